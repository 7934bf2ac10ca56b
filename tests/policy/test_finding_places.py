"""A rule about two fields points at the field that failed, not at its block (MSG002, INC008),
and a `target` that gives a field's value points at that field, also when the rule reached it
through values it built (`pairs(...)`: INC013 on the Status value)."""

from __future__ import annotations

import json
import subprocess

import pytest

from hotfix_policy.cli.main import main
from hotfix_policy.engine.policy.locate import document_path, identity_index
from tests.conftest import POLICY_COMMAND

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


STEP_BACK = """\
# INC-7: Orders API returns stale prices

🚨 PRODUCTION INCIDENT DECLARED
Status: INVESTIGATING
Declared: 2026-11-20T13:25Z

### 🔄 INCIDENT UPDATE - 13:50
Status: TESTING

### 🔄 INCIDENT UPDATE - 14:10
Status: FIXING
Issues: None
"""


def test_inc013_points_at_the_status_that_steps_back(tmp_path, capsys):
    assert places(tmp_path, capsys, "INC-7.md", STEP_BACK, "INC013") == [(11, 9)]  # `FIXING`, not its block


def test_inc013_place_in_the_text_and_sarif_outputs(tmp_path):
    (tmp_path / "INC-7.md").write_text(STEP_BACK, encoding="utf-8")
    run = [POLICY_COMMAND, "check", "INC-7.md", "--now", "2026-11-20T16:00Z"]
    text = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120).stdout
    assert "INC-7.md:11:9: error INC013 Status goes back from TESTING to FIXING" in text
    sarif = json.loads(subprocess.run(run + ["--format", "sarif"], cwd=tmp_path, capture_output=True, text=True,
                                      timeout=120).stdout)
    [region] = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]
                if r["ruleId"] == "INC013"]
    assert region == {"startLine": 11, "startColumn": 9, "endLine": 11, "endColumn": 15}


TEAM_POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: team}
spec:
  appliesTo: incident
  rules:
    - id: TEAM001
      severity: warning
      forEach: "pairs(doc.updates)"
      expression: "item[0].status != item[1].status"
      message: "The same status twice in a row"
    - id: TEAM002
      severity: warning
      forEach: "pairs(doc.updates)"
      expression: "item[1].status != item[0].status"
      target: "item[1].status"
      message: "The same status twice in a row"
"""


@pytest.mark.parametrize("rule", ["TEAM001", "TEAM002"])
def test_a_path_through_built_values_reaches_the_document(tmp_path, capsys, rule):
    """Any rule, without or with a `target`: `item` is a pair the rule built, `item[1]` an update."""
    (tmp_path / "team.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [team.yaml]\n", encoding="utf-8")
    text = STEP_BACK.replace("Status: FIXING", "Status: TESTING")
    # without a target, the first value the rule reads: the earlier update's Status
    expected = [(8, 9)] if rule == "TEAM001" else [(11, 9)]
    assert places(tmp_path, capsys, "INC-7.md", text, rule) == expected


def test_document_path_follows_built_values_back_to_the_document():
    data = {"updates": [{"status": "TESTING"}, {"status": "FIXING"}]}
    identities = identity_index(data)
    pair = [data["updates"][0], data["updates"][1]]  # made by the rule, not in the document
    assert document_path(pair, (1, "status"), identities) == ("updates", 1, "status")
    assert document_path(pair, (1, "eta"), identities) == ("updates", 1, "eta")  # absent: where it belongs
    assert document_path(data, ("updates", 0), identities) == ("updates", 0)
    assert document_path(["made", "up"], (0,), identities) is None
