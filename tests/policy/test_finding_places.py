"""A rule about two fields points at the field that failed, not at its block (MSG002, INC008),
and a `target` that gives a field's value points at that field."""

from __future__ import annotations

import json

import pytest

from hotfix_policy.cli.main import main

IN_PROGRESS = """\
🚨 HOTFIX IN PROGRESS
Issue: Orders API serves yesterday's prices
Impact: Every shopper in the EU
Severity: {severity}
ETA: 2026-11-20T15:00Z
Owner: @dana-k
Branch: {branch}
Status: FIXING
"""

RESOLVED = """\
# INC-7: Orders API returns stale prices

🚨 PRODUCTION INCIDENT DECLARED
Declared: 2026-11-20T13:25Z

✅ INCIDENT RESOLVED - 2026-11-20T15:45Z
Issue: Stale prices on the Orders API
Duration: {duration}
Resolution: Hotfix v2.8.1 adds the date to the cache key
{impact}Follow-up: Post-incident review scheduled for 2026-11-24
"""


def places(tmp_path, capsys, name: str, text: str, rule: str) -> list:
    (tmp_path / name).write_text(text, encoding="utf-8")
    main(["check", str(tmp_path / name), "--now", "2026-11-20T16:00Z", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return [(f["line"], f["column"]) for f in findings if f["rule"] == rule]


@pytest.mark.parametrize("severity, branch, place", [
    ("CRITICAL", "hotfix/v2.8.1-stale-prices", (4, 11)),                 # the Severity
    ("Production down", "hotfix/stale-prices", (7, 9)),                 # the Branch
    ("CRITICAL", "hotfix/stale-prices", (7, 9)),                        # both: the first, Branch
])
def test_msg002_points_at_the_field_that_failed(tmp_path, capsys, severity, branch, place):
    text = IN_PROGRESS.format(severity=severity, branch=branch)
    assert places(tmp_path, capsys, "hotfix.md", text, "MSG002") == [place]


@pytest.mark.parametrize("duration, impact, place", [
    ("1h 30m", "Impact: EU shoppers saw old prices\n", (8, 11)),        # the Duration
    ("2h 20m", "", (6, 1)),                                            # Impact missing: the block
    ("1h 30m", "", (6, 1)),                                            # both: the block lists both
])
def test_inc008_points_at_the_duration_when_it_alone_is_wrong(tmp_path, capsys, duration, impact, place):
    text = RESOLVED.format(duration=duration, impact=impact)
    assert places(tmp_path, capsys, "INC-7.md", text, "INC008") == [place]
