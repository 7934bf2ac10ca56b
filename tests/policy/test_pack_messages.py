"""What the pack's messages tell a user when two demands meet: both problems of a two-part rule,
and how to satisfy INC006 and INC012 together."""

from __future__ import annotations

import json

from hotfix_policy.cli.main import main

MONITORED_33_MINUTES = """\
# INC-7: Orders API returns stale prices

🚨 PRODUCTION INCIDENT DECLARED
Severity: HIGH
Criterion: Critical business function broken for all users
Issue: Stale prices
Impact: EU shoppers
Status: INVESTIGATING
ETA: 2026-11-20T15:00Z
Commander: @dana.k
Declared: 2026-11-20T13:25Z
Updates: Every 30 minutes or on status change

### 🔄 INCIDENT UPDATE - 2026-11-20T13:50Z
Status: MONITORING
Progress: v2.8.1 deployed
Next: Watch error rates
ETA: 2026-11-20T14:30Z
Issues: None

✅ INCIDENT RESOLVED - 2026-11-20T14:23Z
Issue: Stale prices on the Orders API
Duration: 58m
Resolution: Hotfix v2.8.1 adds the date to the cache key
Impact: EU shoppers saw old prices for 58 minutes
Follow-up: Post-incident review scheduled for 2026-11-24
"""


def messages(tmp_path, capsys, name: str, text: str, rule: str, *args: str) -> list:
    (tmp_path / name).write_text(text, encoding="utf-8")
    main(["check", str(tmp_path / name), "--now", "2026-11-20T16:00Z", "--format", "json", *args])
    return [f["message"] for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == rule]


def test_a_gap_that_monitoring_explains_says_how_to_satisfy_both_rules(tmp_path, capsys):
    found = messages(tmp_path, capsys, "INC-7.md", MONITORED_33_MINUTES, "INC006")
    assert found == ["Status update gap of 33 minutes (13:50 -> 14:23 UTC): monitoring lasts at least 30 minutes "
                     "before RESOLVED (INC012) and updates are due every 30 minutes, so post a MONITORING update "
                     "by 14:20 UTC, then resolve"]
    assert messages(tmp_path, capsys, "INC-7.md", MONITORED_33_MINUTES, "INC012") == []


def test_an_ordinary_gap_keeps_the_cadence_message(tmp_path, capsys):
    text = MONITORED_33_MINUTES.replace("Status: MONITORING", "Status: FIXING")
    found = messages(tmp_path, capsys, "INC-7.md", text, "INC006")
    assert found == ["Status update gap of 33 minutes (13:50 -> 14:23 UTC); updates are due every 30 minutes "
                     "while the incident is open"]


def test_a_two_part_rule_names_each_part_that_failed(tmp_path, capsys):
    body = "## HOTFIX - EMERGENCY DEPLOYMENT\n\n**Incident Reference:** #7\n**Severity:** HIGH\n"
    found = messages(tmp_path, capsys, "pr.md", body, "PR001", "--kind", "pull_request",
                     "--branch", "hotfix/fix-prices", "--base", "develop")
    assert found == ["Head branch 'hotfix/fix-prices' does not follow hotfix/v<MAJOR>.<MINOR>.<PATCH>-"
                     "<kebab-description> (e.g. hotfix/v1.2.1-deployment-failure-fix); the base branch is "
                     "'develop'; a hotfix merges into main (it is synced to develop afterwards)"]
