"""Post-incident reviews: the filled template and variants."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hotfix_policy.engine.documents.templates import template_for

from .helpers import assert_ranges_consistent, assert_value, extract, rules

UTC = timezone.utc
REVIEW = """\
# Post-Incident Review: Checkout card payments failing (INC-2041)

## Incident Summary
- **Date/Time:** 2026-11-20 09:02 UTC
- **Duration:** 2 hours
- **Impact:** All card payments
- **Resolution:** Hotfix v3.14.1
- **Review date:** 2026-11-24

## Timeline
- **09:02 UTC** - Issue first detected
- 09:10 - Incident declared
- 2026-11-20T10:15Z — Fix implemented
- [Time] - Resolution deployed
- 11:02: Issue confirmed resolved

## Root Cause Analysis
**Primary Cause:** Null currency
**Contributing Factors:** No test for legacy cards
**Why Weren’t We Protected:** Alerting thresholds too high

## Response Evaluation
**What Went Well:**
- Fast diagnosis
- Clear comms

**What Could Improve:**
- [Process gaps or delays]

## Prevention Measures
**Immediate Actions:** Add the test
**Long-term Improvements:** Contract tests
**Monitoring Enhancements:** Lower threshold

## Action Items
- [ ] Add contract tests - Owner: @dana-k - Due: 2026-12-01
- [x] Lower the alert threshold (Owner: Lee, Due: 2026-11-25)
- [ ] Review the runbook
"""


def test_review_values_and_ranges():
    document = extract(REVIEW, strip=False, path="reviews/PIR-2041.md")
    assert document.kind == "post_incident_review" and document.id == "PIR-2041"
    assert rules(document) == ["DOC002", "DOC002"]
    assert_value(document, "incident.number", 2041, "2041", line=1)
    assert_value(document, "date_time", datetime(2026, 11, 20, 9, 2, tzinfo=UTC), "2026-11-20 09:02 UTC", line=4)
    assert_value(document, "duration", timedelta(hours=2), "2 hours")
    assert_value(document, "review_date", datetime(2026, 11, 24, tzinfo=UTC), "2026-11-24", line=8)
    assert_value(document, "timeline.0.time", datetime(2026, 11, 20, 9, 2, tzinfo=UTC), "09:02 UTC", line=11)
    assert_value(document, "timeline.0.text", "Issue first detected")
    assert_value(document, "timeline.2.text", "Fix implemented")
    assert_value(document, "timeline.3.text", "Resolution deployed")
    assert "time" not in document.data["timeline"][3]
    assert_value(document, "timeline.4.time", datetime(2026, 11, 20, 11, 2, tzinfo=UTC), "11:02")
    assert_value(document, "root_cause.why_not_protected", "Alerting thresholds too high", line=20)
    assert document.data["what_went_well"] == ["Fast diagnosis", "Clear comms"]
    assert_value(document, "what_went_well.1", "Clear comms", line=25)
    assert document.data["what_could_improve"] == []
    assert_value(document, "prevention.long_term_improvements", "Contract tests")
    assert_value(document, "action_items.0.text", "Add contract tests", line=36)
    assert_value(document, "action_items.0.owner.login", "dana-k", "dana-k")
    assert_value(document, "action_items.0.due", datetime(2026, 12, 1, tzinfo=UTC), "2026-12-01")
    assert_value(document, "action_items.1.text", "Lower the alert threshold")
    assert_value(document, "action_items.1.owner.text", "Lee")
    assert document.data["action_items"][1]["checked"] is True
    assert document.data["action_items"][2] == {"text": "Review the runbook", "checked": False}
    assert_ranges_consistent(document)


def test_incident_named_in_summary_and_timeline_as_a_table():
    document = extract("""
        # Post-Incident Review: Login outage

        ## Incident Summary
        Incident: #77
        Date/Time: 2026-11-20T09:00Z

        ## Timeline
        | Time | Event |
        | --- | --- |
        | 09:00 | Issue first detected |
        | 2026-11-20 09:30 | Incident declared |
        """)
    assert document.id == "PIR-77"
    assert_value(document, "timeline.0.time", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "09:00", line=10)
    assert_value(document, "timeline.1.text", "Incident declared", line=11)


def test_template():
    document = extract(template_for("post_incident_review"), strip=False)
    assert document.kind == "post_incident_review" and document.id is None
    assert set(rules(document)) == {"DOC002", "DOC004"}  # the title's placeholder; each block
    assert [name for name, _ in document.unfilled] == [
        "Incident Summary", "Timeline", "Root Cause Analysis", "Response Evaluation", "Prevention Measures",
        "Action Items"]
    assert "timeline" not in document.data and "action_items" not in document.data
    assert_ranges_consistent(document)
