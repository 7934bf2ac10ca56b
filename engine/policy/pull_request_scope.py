"""Which PR bodies kept in the repository describe the run's pull request.

A team may keep its hotfix PR descriptions as files (`.github/hotfix/*.md`) to write them with
the editor's help. The run's PR facts in `ctx` (head and base branch, author, labels, approvals,
changed files, the event) belong to one pull request: the one whose change this is. A stored body
that the change adds or edits describes it; the bodies of earlier hotfixes stay in the repository
after their merge and describe PRs whose branches are gone. Judged against today's branch they
would fail PR001 on main ("head branch 'main'") and PR015 on the next hotfix. So they are judged
on what they say, with a `ctx` that knows no pull request (the rules that need one do not judge).

The change is `ctx.changed_files` when the run knows it (the event's PR, `--changed-files`, git
against `--base`); else what this checkout changes since it left the main branch (committed,
staged, edited or new files); outside git, every body is the run's, as before. A body named on
the command line or read from stdin is the one the user asked about: always the run's. When
the event gives the run's PR body too, a stored body of the run's PR is read but not judged: the
event's is (one finding per problem).
"""

from __future__ import annotations

import os
from typing import NamedTuple, Optional

from ..documents.git import checkout_change, work_tree_top


class Split(NamedTuple):
    """How a run's stored PR bodies are judged (`split_pull_requests`)."""

    same: list             # bodies of the event's PR: read, not judged
    others: list           # bodies of other PRs: judged without the run's PR in `ctx`
    asked: Optional[tuple]  # (folder, `the_change(folder, ...)`) when git was asked, for the run cache


def split_pull_requests(documents: list, ctx: dict, named: list, main_branch: str) -> Split:
    """The stored PR bodies among `documents` that are the event's PR again, and those of other PRs.

    A body the run's change touches describes the run's PR; when the run also has that PR's body
    from the event (what GitHub shows the reviewers), judging both would report every finding
    twice, so the event's is judged and the file is only read. A body the change does not touch
    is another PR's. `named`: the paths given on the command line (a file named there is always
    the run's)."""
    stored = [d for d in documents if d.kind == "pull_request" and d.read and "head" not in d.data and d.path != "-"]
    from_event = any(d.kind == "pull_request" and "head" in d.data for d in documents)
    if not stored:
        return Split([], [], None)
    unnamed = [d for d in stored if not _is_named(d.path, named)]
    others, asked = [], None
    if unnamed:
        folder = os.path.dirname(os.path.abspath(unnamed[0].path))
        change = the_change(folder, ctx, main_branch)
        asked = (folder, change)
        if change is not None:
            others = [d for d in unnamed if _relative(d.path, change[0]) not in change[1]]
    same = [d for d in stored if from_event and not any(d is o for o in others)]
    return Split(same, others, asked)


def the_change(folder: str, ctx: dict, main_branch: str) -> Optional[tuple]:
    """(the real top of the work tree holding `folder`, the paths the run's change touches
    relative to it), or None outside git."""
    changed = ctx.get("changed_files")
    if changed is not None:
        top, change = work_tree_top(folder), set(changed)
    else:
        top, change = checkout_change(folder, main_branch) or (None, None)
    return None if top is None else (os.path.realpath(top), change)


def _is_named(path: str, named: list) -> bool:
    real = os.path.realpath(path)
    return any(given != "-" and os.path.isfile(given) and os.path.realpath(given) == real for given in named)


def _relative(path: str, real_top: str) -> str:
    return os.path.relpath(os.path.realpath(path), real_top).replace(os.sep, "/")
