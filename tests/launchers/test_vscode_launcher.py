"""The VS Code extension's launches, in a hostile workspace, exactly as the extension makes them:
the commands come from the extension's own `src/launcher.js` (read through Node), and the
interpreter check is the extension's `probeInterpreter` itself. Each runs with the workspace as
working directory (the language client's default too) and must import nothing from it.
`editors/vscode/test/e2e.sh` does the same inside VS Code. Skipped without Node."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.launchers.workspace import HostileWorkspace, hostile_workspace, record_diagnostics  # noqa: F401

NODE = shutil.which("node")
SOURCES = REPO / "editors" / "vscode" / "src"

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (the extension's code runs in Node)")


def extension(expression: str, workspace: HostileWorkspace):
    """The value of a JavaScript expression over the extension's `launcher` and `probe` modules,
    with `python` (this interpreter) and `cwd` (the workspace) bound, as JSON."""
    script = (f"const launcher = require({json.dumps(str(SOURCES / 'launcher.js'))});"
              f"const probe = require({json.dumps(str(SOURCES / 'probe.js'))});"
              f"const [python, cwd] = process.argv.slice(1);"
              f"Promise.resolve({expression}).then((value) => process.stdout.write(JSON.stringify(value)));")
    done = subprocess.run([NODE, "-e", script, sys.executable, str(workspace.root)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_the_server_as_the_extension_starts_it(hostile_workspace: HostileWorkspace):
    server = extension("launcher.serverExecutable(python, [], cwd)", hostile_workspace)
    assert server["options"]["cwd"] == str(hostile_workspace.root)
    # vscode-languageclient appends --stdio to an executable with the stdio transport
    command = [server["command"], *server["args"], "--stdio"]
    assert command[1] == str(REPO / "editors" / "vscode" / "python" / "launch_policy.py")
    codes = await record_diagnostics(command, hostile_workspace, env=server["options"]["env"])
    assert codes == ["T001", "T002"]
    assert hostile_workspace.imported() == []


def test_the_interpreter_check_as_the_extension_runs_it(hostile_workspace: HostileWorkspace):
    result = extension("probe.probeInterpreter(python, cwd)", hostile_workspace)
    assert result["ok"] is True, result
    assert result["info"]["missing"] == [] and result["info"]["package"]
    assert result["info"]["executable"] == sys.executable
    assert hostile_workspace.imported() == []


def test_new_incident_record_as_the_extension_runs_it(hostile_workspace: HostileWorkspace):
    run = extension("launcher.policyExecutable(python, ['new', 'incident'], cwd)", hostile_workspace)
    done = subprocess.run([run["command"], *run["args"]], cwd=run["options"]["cwd"], env=run["options"]["env"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "PRODUCTION INCIDENT DECLARED" in done.stdout
    assert hostile_workspace.imported() == []


def test_the_launcher_says_what_is_wrong_without_a_traceback(hostile_workspace: HostileWorkspace):
    """An interpreter without the package (`-S`: no site-packages) gets one line, exit 2."""
    run = extension("launcher.policyExecutable(python, ['lsp', '--stdio'], cwd)", hostile_workspace)
    done = subprocess.run([run["command"], "-S", *run["args"]], cwd=run["options"]["cwd"], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.startswith("hotfix-policy: the hotfix-policy package cannot be imported by ")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert hostile_workspace.imported() == []
