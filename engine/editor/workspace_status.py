"""What an editor's status item says about the workspace the server judges with: the
configuration file in force (or the built-in defaults), its packs and extra policies, how many
rules are in force, how many documents the index holds (None while it is still being read) and
whether the configuration pins the clock (then every time-aware rule judges at that moment, and
nothing falls due as time passes).

Paths are shown relative to the workspace root, as a user names them; a configuration above the
root (found by walking up, as `policy check` finds it) keeps its `../` form.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class WorkspaceStatus:
    config: Optional[str]       # the `.policy.yaml` in force, relative to the root; None: built-in defaults
    config_errors: int          # mistakes in it or its policies (the last good policies stay in force)
    packs: tuple                # as the configuration names them, e.g. ("builtin:hotfix",)
    policies: tuple             # the configuration's extra policy files or folders, relative to the root
    rules: int                  # rules in force (pack and extra policies)
    documents: Optional[int]    # documents in the index; None while indexing
    clock_pinned: Optional[str] # the configuration's `clock:` as "2026-11-20 14:37 UTC", None: it runs


def workspace_status(workspace) -> WorkspaceStatus:
    """The status of an `engine.workspace.Workspace` (reads only what it holds: no file is read)."""
    config = workspace.config
    root = workspace.root
    clock = config.clock
    return WorkspaceStatus(
        config=_shown(config.path, root) if config.path else None,
        config_errors=len(workspace.policy_errors),
        packs=tuple(config.packs),
        policies=tuple(_shown(config.directory / path, root) for path in config.policies),
        rules=len(workspace.policies.rules()),
        documents=len(workspace.documents()) if workspace.ready else None,
        clock_pinned=f"{clock:%Y-%m-%d %H:%M} UTC" if clock is not None else None,
    )


def _shown(path, root) -> str:
    """`path` relative to `root` with `/` separators, absolute when they share nothing but `/`."""
    absolute = os.path.abspath(str(path))
    if root is None:
        return absolute
    try:
        common = os.path.commonpath([absolute, str(root)])
    except ValueError:  # another drive
        return absolute
    if os.path.dirname(common) == common:
        return absolute
    return os.path.relpath(absolute, str(root)).replace(os.sep, "/")
