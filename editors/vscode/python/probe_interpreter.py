"""Answers the VS Code extension's question before it starts the language server with this
interpreter: which Python is this, and are the server's packages importable? Prints one line of
JSON: {"executable", "version", "missing", "package"}.

    python /path/to/probe_interpreter.py DISTRIBUTION

Run by its path, never as `python -c`: with `-c` the working directory (the workspace) comes first
on `sys.path`, so even this probe's `import json` would run a workspace's `json.py`. Run by its
path, Python puts this folder first instead: it ships inside the extension and holds only this
file and launch_policy.py, which shadow nothing. The probe only locates the modules
(`find_spec`) without importing them, except the parent package `hotfix_policy` that
`find_spec("hotfix_policy.lsp")` must import.

The syntax is valid for Python 2.7 and every Python 3, so that an old interpreter still answers
with its version and the extension can say "needs Python 3.10".
"""

import json
import sys

# The server's own package and the two it cannot start without; the rest fail loudly at start.
REQUIRED = ("hotfix_policy", "hotfix_policy.lsp", "pygls", "lsprotocol")


def missing_modules():
    try:
        from importlib.util import find_spec
    except ImportError:  # Python 2
        return list(REQUIRED)
    missing = []
    for name in REQUIRED:
        try:
            found = find_spec(name) is not None
        except Exception:  # find_spec("a.b") imports a: missing or broken
            found = False
        if not found:
            missing.append(name)
    return missing


def distribution_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


def main(argv):
    print(json.dumps({
        "executable": sys.executable,
        "version": list(sys.version_info[:3]),
        "missing": missing_modules(),
        "package": distribution_version(argv[0]) if argv else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
