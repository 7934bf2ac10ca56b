"""Runs the `policy` command of the hotfix-policy package installed for this interpreter:
`python /path/to/launch_policy.py lsp --stdio` is `policy lsp --stdio`.

Why a script and not `python -m hotfix_policy.cli`: the extension starts Python with the
workspace as working directory, and `python -m` (or `-c`) puts the working directory first on
`sys.path`, so a repository holding an `lsp/`, `hotfix_policy/` or `json.py` would run its own
code as soon as it is opened. A script run by its path puts its own folder first instead: this
folder, which ships inside the extension and holds nothing else to import. The script removes
even that entry before importing, so every import comes from the interpreter's own paths.

It also works without the `policy` console script being on PATH, which depends on how the
package was installed (a venv's bin/, Scripts\\ on Windows, ~/.local/bin for `pip --user`).
The syntax is kept valid for old Pythons so that a wrong interpreter gets a sentence, not a
SyntaxError; the extension's probe (probe_interpreter.py) normally refuses it first.
"""

import os
import sys

MIN_PYTHON = (3, 10)


def fail(message):
    sys.stderr.write("hotfix-policy: " + message + "\n")
    return 2


def main():
    if tuple(sys.version_info[:2]) < MIN_PYTHON:
        return fail("needs Python %d.%d or newer; %s is %s" % (
            MIN_PYTHON[0], MIN_PYTHON[1], sys.executable, sys.version.split()[0]))
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == here:
        del sys.path[0]
    try:
        from hotfix_policy.cli.main import main as policy
    except ImportError as error:
        return fail("the hotfix-policy package cannot be imported by %s (%s); install it with: %s -I -m pip install "
                    "hotfix-policy" % (sys.executable, error, sys.executable))
    return policy(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
