"""The `policy` console script in a hostile workspace: the command every editor recipe, the
pre-commit hooks and the GitHub Action run. A console script puts its own folder (the
environment's bin/) first on `sys.path`, never its working directory, so the workspace's
modules named like ours and our dependencies stay unimported."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import POLICY_COMMAND
from tests.launchers.workspace import HostileWorkspace, hostile_workspace, record_diagnostics  # noqa: F401


async def test_policy_lsp_serves_a_hostile_workspace(hostile_workspace: HostileWorkspace):
    assert await record_diagnostics([POLICY_COMMAND, "lsp", "--stdio"], hostile_workspace) == ["T001", "T002"]
    assert hostile_workspace.imported() == []


def test_policy_check_in_a_hostile_workspace(hostile_workspace: HostileWorkspace):
    done = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json"], cwd=hostile_workspace.root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr          # findings, not a crash
    report = json.loads(done.stdout)
    assert sorted((f["path"], f["rule"]) for f in report["findings"]) == [
        ("incidents/INC-7.md", "T001"), ("incidents/INC-7.md", "T002")]
    assert hostile_workspace.imported() == []
