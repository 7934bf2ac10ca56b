"""When an open incident's next status update is due, judged with the built-in pack: the lens's
due time, its wording, and that "overdue" comes exactly when the pack's INC006 finding does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hotfix_policy.engine.editor.clock import clock_kinds, next_look, update_due
from hotfix_policy.engine.workspace import Workspace

RECORD = """\
# INC-7: Orders API returns stale prices

🚨 PRODUCTION INCIDENT DECLARED
Severity: HIGH
Issue: Orders API serves yesterday's prices
Impact: Every shopper in the EU
Status: INVESTIGATING
ETA: 2026-11-20T15:00Z
Commander: @dana-k
Declared: 2026-11-20T13:50Z

### 🔄 INCIDENT UPDATE - 14:12
Status: FIXING
"""

LAST = datetime(2026, 11, 20, 14, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("clock")
    (root / ".policy.yaml").write_text("data:\n  update_interval_minutes: 30\n", encoding="utf-8")
    workspace = Workspace(root)
    assert workspace.reload_configuration() == []
    workspace.index()  # rules reading other documents (every incident rule of the pack) wait for it
    return workspace


def _due(workspace: Workspace, text: str, now: datetime, pinned: bool = False):
    checked = workspace.check_text(str(workspace.root / "INC-7.md"), text, now=now)
    return update_due(checked.document, workspace.policies, workspace.config.data, now, pinned), checked.findings


def test_due_time_is_the_last_update_plus_the_packs_interval(workspace):
    due, _ = _due(workspace, RECORD, LAST + timedelta(minutes=18))
    assert (due.last, due.due, due.overdue) == (LAST, LAST + timedelta(minutes=30), False)
    assert due.title == "next update due 14:42 UTC, in 12 min"
    assert due.span.line == 12 and due.rule[0] == "INC006"


def test_the_interval_comes_from_the_configuration_data(tmp_path):
    (tmp_path / ".policy.yaml").write_text("data:\n  update_interval_minutes: 15\n", encoding="utf-8")
    workspace = Workspace(tmp_path)
    workspace.reload_configuration()
    workspace.index()
    due, _ = _due(workspace, RECORD, LAST + timedelta(minutes=5))
    assert due.due == LAST + timedelta(minutes=15) and due.title == "next update due 14:27 UTC, in 10 min"


@pytest.mark.parametrize("offset", [-61, -60, -1, 0, 1, 59, 60, 61, 600])
def test_overdue_exactly_when_the_rule_warns(workspace, offset):
    """Seconds around the due time: the lens and `policy check`'s INC006 agree."""
    now = LAST + timedelta(minutes=30, seconds=offset)
    due, findings = _due(workspace, RECORD, now)
    warned = any(f.rule == "INC006" and "No status message" in f.message for f in findings)
    assert due.overdue == warned == (offset > 0)
    if offset == 600:
        assert due.title == "status update overdue since 14:42 UTC, 10 min ago (INC006)"


def test_no_lens_once_resolved_or_without_the_rule(workspace, tmp_path):
    resolved = RECORD + "\n### 🔄 INCIDENT UPDATE - 14:30\nStatus: RESOLVED\n"
    assert _due(workspace, resolved, LAST + timedelta(hours=3))[0] is None
    (tmp_path / ".policy.yaml").write_text("rules: {INC006: off}\n", encoding="utf-8")
    off = Workspace(tmp_path)
    off.reload_configuration()
    off.index()
    checked = off.check_text(str(tmp_path / "INC-7.md"), RECORD, now=LAST)
    assert update_due(checked.document, off.policies, off.config.data, LAST, levels=off.config.rules) is None


def test_a_pinned_clock_says_so(workspace):
    due, _ = _due(workspace, RECORD, LAST + timedelta(minutes=25), pinned=True)
    assert due.title == "clock pinned at 2026-11-20 14:37 UTC · next update due 14:42 UTC, in 5 min"


def test_incidents_move_with_the_clock_and_the_next_look_follows_the_minute(workspace):
    assert "incident" in clock_kinds(workspace.policies)
    assert next_look(datetime(2026, 11, 20, 14, 41, 30, 5, tzinfo=timezone.utc)) == \
        datetime(2026, 11, 20, 14, 42, 1, tzinfo=timezone.utc)
