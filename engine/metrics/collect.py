"""What `policy report` reads: the run's documents, its time and `ctx` (as `policy check` builds
them), and from git the number of files each hotfix merge changed on main.

The only module of `engine.metrics` that touches files and git; the figures themselves are
computed from what it returns.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from ..policy.check import configuration
from ..policy.config import Config
from ..policy.document_files import Discovered
from ..policy.inputs import RunInputs, build_context, collect_documents, run_time


@dataclass
class Gathered:
    documents: list
    now: datetime
    ctx: dict
    config: Config
    changed_files: dict     # merge sha -> files changed on main (absent: unknown)
    discovered: Discovered  # files excluded, folders that held no document


def gather(paths: list, *, config_path: Optional[str] = None, now: Optional[str] = None,
           github_event: Optional[str] = None) -> Gathered:
    """The run's inputs; raises PolicyError (config) and InputError (paths, git) like `check`."""
    inputs = RunInputs(paths=list(paths), now=now, github_event=github_event)
    config = configuration(inputs, config_path)
    moment = run_time(inputs, config)
    discovered = Discovered()
    documents = collect_documents(inputs, config, discovered=discovered)
    ctx = build_context(inputs, documents, moment)
    folder = _git_folder(paths)
    changed = {}
    for document in documents:
        if document.kind == "repository":
            for merge in document.data.get("merges") or []:
                count = merge_changed_files(merge, folder)
                if count is not None:
                    changed[merge["sha"]] = count
    return Gathered(documents, moment, ctx, config, changed, discovered)


def merge_changed_files(merge: dict, cwd) -> Optional[int]:
    """Files a hotfix changed on main: the diff between main before it (first parent) and it."""
    sha, parents = merge.get("sha"), merge.get("parents") or []
    if not sha or not parents:
        return None
    try:
        result = subprocess.run(["git", "diff", "--name-only", "--no-renames", parents[0], sha], cwd=cwd,
                                capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return len([line for line in result.stdout.splitlines() if line.strip()])


def _git_folder(paths: list) -> Optional[str]:
    from pathlib import Path

    for given in paths:
        if given != "-":
            path = Path(given)
            return str(path if path.is_dir() else path.parent)
    return None
