"""What the rules found on each document of a run, and until when that holds: a later run of the
same inputs judges again only the documents whose findings may have changed since.

A finding depends on the run's inputs and the clock. The run cache (engine/replay/run_cache.py)
keys a run by everything but the clock, so under one key the rules' findings on a document are
the same at every moment from when it was judged until that document's own `valid_until` (what
its evaluation read of the clock, engine/cel/clock.py). A history whose deadlines pass one
record at a time is then judged again one record at a time, not whole (benchmarks/README.md,
Scale: about one record of 1,000 an hour in the worst case measured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional


def holds(judged_at: datetime, valid_until: Optional[datetime], moment: datetime) -> bool:
    """Whether findings judged at `judged_at`, holding until `valid_until` (None: for ever), hold
    at `moment`: only later moments are known, and the moment itself (a pinned clock)."""
    return moment == judged_at or (judged_at <= moment and (valid_until is None or moment < valid_until))


@dataclass(frozen=True)
class Verdict:
    """The findings of every rule on one document (or of the workspace policies), as the rules
    gave them: before severity overrides, waivers and caps, which every run applies again."""

    path: str                       # the document's path; the workspace's for the workspace policies
    findings: tuple
    judged_at: datetime             # the run's `ctx.now`
    valid_until: Optional[datetime]

    def holds_at(self, moment: datetime) -> bool:
        return holds(self.judged_at, self.valid_until, moment)


@dataclass(frozen=True)
class Verdicts:
    """A run's verdicts: one per document judged, in the run's order, and the workspace's (None
    when the run left the workspace policies to its caller)."""

    documents: tuple
    workspace: Optional[Verdict]
