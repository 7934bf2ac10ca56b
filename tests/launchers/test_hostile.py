"""The control for every launcher test: the hostile workspace's modules do write their markers
when a launch puts the workspace on `sys.path` (`python -c` from it), so an empty marker folder
after a safe launch means something."""

from __future__ import annotations

from tests.launchers.hostile import MARKER_NAMES, unsafe_imports_fire
from tests.launchers.workspace import HostileWorkspace, hostile_workspace  # noqa: F401 - a fixture


def test_every_planted_module_fires_when_the_workspace_is_on_sys_path(hostile_workspace: HostileWorkspace):
    assert {"engine", "lsp", "hotfix_policy", "json", "pygls", "yaml", "pip"} <= set(MARKER_NAMES)
    assert unsafe_imports_fire(hostile_workspace.root, hostile_workspace.markers) == []
    assert hostile_workspace.imported() == []      # the control leaves the folder empty again
