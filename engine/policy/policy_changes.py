"""POL001: a pull request that changes the configuration or policies that judge it.

A pull-request run is judged by the base commit's configuration and policies (base_policies.py),
so a PR's own edits to them change nothing about its verdict. The edit still has to be seen and
agreed to before it lands and judges every later PR: POL001 (error) on the pull request lists
what changed, and only an APPROVED review (`--reviews`) by someone in the base's `data.admins`
who is not the PR's author satisfies it.

What changed is found by comparing, file by file, the base commit with the working tree: the
base's configuration and the policy files it names, the configuration a working-tree run would
use and the files that one names (a PR may add a configuration or name new files). The
comparison is exact and needs no API call; `--changed-files` (GitHub's list of the PR's files)
is added to it, because `pull_request_target` checks out the base by default, where the
working tree shows no change at all.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath
from typing import Optional

from ..documents.git_tree import relative_to_top
from ..files import FileTooLarge, read_regular_file
from ..findings import Severity
from ..limits import MAX_BASE_POLICY_FILES, MAX_YAML_BYTES
from ..located_yaml import YamlError, load_yaml_bytes
from .base_policies import BaseSnapshot, in_named_path, named_policy_paths
from .config import find_config
from .inputs import InputError, RunInputs, event_path, git_folder
from .loader import policy_files

RULE = "POL001"
SHOWN_CHANGES = 20
"""Changed files a POL001 message names; more are counted."""

_UNREADABLE = object()
"""A working-tree file that cannot be read in full: never equal to the base's."""


def note_policy_changes(documents: list, config, inputs: RunInputs, ctx: dict) -> None:
    """Add POL001 to the pull request's document when the PR changes what judges it and no
    admin other than its author approved."""
    base = config.base
    changed = changed_policy_files(base, inputs, ctx.get("changed_files") or [])
    if not changed:
        return
    message = _unapproved(changed, base, config.data, ctx)
    event = event_path(inputs)
    pull_request = next((d for d in documents if d.kind == "pull_request" and d.path == event), None)
    if message is not None and pull_request is not None:
        pull_request.add_finding(RULE, Severity.ERROR, message, None)


def changed_policy_files(base: BaseSnapshot, inputs: RunInputs, listed: list) -> list:
    """The configuration and policy files (repository paths) the pull request changes, adds or
    removes, in name order."""
    candidates = set(base.files) | _working_tree_files(base, inputs)
    changed = {rel for rel in candidates if _differs(base.read(rel), _read_working(base.top, rel))}
    return sorted(changed | (candidates & set(listed)))


def _differs(in_base: Optional[bytes], in_working_tree) -> bool:
    return in_working_tree is _UNREADABLE or in_base != in_working_tree


def _working_tree_files(base: BaseSnapshot, inputs: RunInputs) -> set:
    """The repository paths of the configuration a working-tree run would use and of the
    policy files it names."""
    config = _working_configuration(base, inputs)
    if config is None:
        return set()
    files = {config}
    content = _read_working(base.top, config)
    try:
        loaded = load_yaml_bytes(content, config) if isinstance(content, bytes) else None
    except YamlError:
        loaded = None
    if loaded is None:
        return files
    named, _ = named_policy_paths(loaded, config, config)
    for rel in named:
        for found in _files_at(base.top, rel):
            if len(files) > MAX_BASE_POLICY_FILES:
                raise InputError(f"the pull request's configuration names over {MAX_BASE_POLICY_FILES:,} "
                                 "policy files: too many to compare with the base commit")
            files.add(found)
    return files


def _working_configuration(base: BaseSnapshot, inputs: RunInputs) -> Optional[str]:
    """The repository path of the configuration a working-tree run would read, when inside
    the repository."""
    if base.config_named:
        return base.config_rel
    path = find_config(Path(git_folder(inputs) or os.getcwd()))
    return relative_to_top(path, base.top) if path is not None else None


def _files_at(top: str, rel: str) -> list:
    """The policy files a working-tree run loads for the named `rel` (a file or a folder)."""
    path = Path(top, *PurePosixPath(rel).parts)
    if not path.is_dir():
        return [rel] if rel != "." else []
    found = []
    for file in policy_files(path):
        below = os.path.relpath(file, path).replace(os.sep, "/")
        name = below if rel == "." else posixpath.join(rel, below)
        if in_named_path(name, rel):
            found.append(name)
    return found


def _read_working(top: str, rel: str):
    """A working-tree file's bytes, None when absent, _UNREADABLE when it cannot be read in full."""
    path = Path(top, *PurePosixPath(rel).parts)
    if not os.path.lexists(path):
        return None
    try:
        return read_regular_file(path, MAX_YAML_BYTES)
    except (OSError, FileTooLarge):
        return _UNREADABLE


def _unapproved(changed: list, base: BaseSnapshot, data: dict, ctx: dict) -> Optional[str]:
    """POL001's message, or None when an admin of the base other than the author approved."""
    admins = sorted({str(a).lower().replace("@", "").strip() for a in data.get("admins") or []} - {""})
    author = str(ctx.get("author") or "").lower()
    approvals = ctx.get("approvals")
    approvers = [str(a.get("login", "")).lower() for a in approvals or []]
    if approvals is not None and any(login in admins and login != author for login in approvers):
        return None
    shown = ", ".join(map(_printable, changed[:SHOWN_CHANGES])) + (f" and {len(changed) - SHOWN_CHANGES} more"
                                                  if len(changed) > SHOWN_CHANGES else "")
    who = f"an admin of the base's data.admins ({', '.join(admins)}) other than @{author}" if admins else \
        "an admin, and the base's data.admins is empty, so nobody can (fail closed)"
    if approvals is None:
        state = "approvals are unknown: pass --reviews"
    elif approvers:
        state = f"approved by {', '.join('@' + a for a in approvers)}, who {'does' if len(approvers) == 1 else 'do'} not count"
    else:
        state = "no approval yet"
    return (f"This pull request changes the configuration or policies that judge it ({shown}); it is judged "
            f"by those of its base commit {base.short}, and the change needs an approval by {who}: {state}")


def _printable(name: str) -> str:
    """A file name the pull request chose, with control characters (a newline, an escape) written
    as escapes: a name cannot start a line of its own in any output."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
