"""A placeholder DOC002 reports is not reported again by a pack rule in other words: a rule that
asks for a field counts it as present, a rule that judges the value reads it as absent."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hotfix_policy.engine.documents import parse_document
from hotfix_policy.engine.policy.check import judge
from hotfix_policy.engine.policy.config import Config, default_data
from hotfix_policy.engine.policy.loader import load_policies
from hotfix_policy.engine.resources import resource_dir

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)

RECORD = """# INC-7: Login down

🚨 PRODUCTION INCIDENT DECLARED
Severity: {severity}
Criterion: Production down
Issue: Login fails
Impact: Everyone
Status: INVESTIGATING
ETA: 2026-11-20T12:00Z
Commander: @lee
Declared: 2026-11-20T09:30Z

### 🔄 INCIDENT UPDATE - {time}
Status: FIXING
Progress: {progress}
{next}ETA: 2026-11-20T11:00Z
Issues: None
"""


@pytest.fixture(scope="module")
def pack():
    return load_policies([resource_dir("policies") / "hotfix"], default_data())


def findings(pack, text, path="incidents/INC-7.md"):
    document = parse_document(text, path=path)
    ctx = {"now": NOW, "branch": "main", "base": "main", "author": "lee", "labels": []}
    return [(f.rule, f.span.line if f.span else None, f.message)
            for f in judge([document], ctx, NOW, Config(data=pack.data), pack) if f.severity.value != "info"]


def record(**values):
    fields = {"severity": "HIGH", "time": "2026-11-20T09:55Z", "progress": "Found it", "next": "Next: Fix it\n"}
    fields.update(values)
    return RECORD.format(**fields)


def test_the_filled_record_passes(pack):
    assert findings(pack, record()) == []


def test_placeholder_time_of_an_update_is_doc002_alone(pack):
    found = findings(pack, record(time="[TIMESTAMP]"))
    assert [(rule, line) for rule, line, _ in found] == [("DOC002", 13)]
    assert found[0][2] == "template placeholder [TIMESTAMP] left: replace it with the real value"


def test_presence_rule_names_only_what_is_really_missing(pack):
    found = findings(pack, record(progress="[What's been done]", next=""))
    assert [(rule, line) for rule, line, _ in found] == [("DOC002", 15), ("INC007", 13)]
    assert "lacks Next" in found[1][2] and "Progress" not in found[1][2].split("(")[0]


def test_value_rule_reading_a_placeholder_says_nothing_more(pack):
    found = findings(pack, record(severity="[CRITICAL/HIGH/MEDIUM]"))
    assert [rule for rule, _, _ in found] == ["DOC002"]


def test_risk_assessment_placeholder_is_not_pr008(pack):
    text = ("## HOTFIX - EMERGENCY DEPLOYMENT\n\n**Incident Reference:** #7\n**Severity:** HIGH\n"
            "**Emergency Justification:** Login is down\n\n### Risk Assessment\n"
            "**Risks Accepted:** Shortened review\n**Rollback Plan:** [How to revert if fix fails]\n"
            "**Monitoring Plan:** Login error rate for 30 minutes\n**Skipped Checks:** none\n")
    rules = [rule for rule, _, _ in findings(pack, text, path="pr.md")]
    assert "DOC002" in rules and "PR008" not in rules
    without = text.replace("**Rollback Plan:** [How to revert if fix fails]\n", "")
    assert "PR008" in [rule for rule, _, _ in findings(pack, without, path="pr.md")]


def test_a_rule_reading_a_variable_sees_placeholders_as_present_too(pack):
    """CMT002 reads what its policy's `missing_body` variable found missing: asked again, the
    variable counts the placeholders as present as the rule does, so only DOC002 remains."""
    message = ("hotfix(checkout): default currency\n\nEMERGENCY FIX: [Detailed explanation of issue]\n"
               "Root Cause: [What caused the problem]\nImpact: Everyone\nSolution: Default it\n\n"
               "Restores: Checkout\nUrgency: Revenue\n\nIncident: #7\n")
    document = parse_document(message, path="COMMIT_EDITMSG", kind="commit")
    ctx = {"now": NOW, "branch": "hotfix/v1.2.4-currency", "base": "main", "author": "lee", "labels": []}
    found = [(f.rule, f.message) for f in judge([document], ctx, NOW, Config(data=pack.data), pack)
             if f.severity.value != "info"]
    assert [rule for rule, _ in found] == ["DOC002", "DOC002"], found


def test_a_late_update_is_reported_though_the_unfilled_resolution_would_silence_it(pack):
    """The template's resolution block, left as printed, would resolve the incident if it were
    read: the late update is about what the author wrote, so INC006 says so (not "fill in the
    resolution"), and the block stays an info."""
    from hotfix_policy.engine.documents import template_for

    template = template_for("incident")
    resolution = template[template.index("✅ INCIDENT RESOLVED"):]
    text = record(time="2026-11-20T09:35Z") + "\n---\n\n" + resolution
    late = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)
    document = parse_document(text, path="incidents/INC-7.md")
    ctx = {"now": late, "branch": "main", "base": "main", "author": "lee", "labels": []}
    found = judge([document], ctx, late, Config(data=pack.data), pack)
    assert [(f.rule, f.severity.value) for f in found] == [("DOC004", "info"), ("DOC004", "info"),
                                                           ("INC006", "warning")]
