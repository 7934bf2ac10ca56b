"""Hotfix PR descriptions: the filled template, variants, the bypass section."""

from __future__ import annotations

from datetime import datetime, timezone

from hotfix_policy.engine.documents.templates import template_for

from .helpers import assert_missing, assert_ranges_consistent, assert_value, extract, rules

FILLED = """\
## 🚨 HOTFIX - EMERGENCY DEPLOYMENT

**Incident Reference:** #2041
**Severity:** CRITICAL
**Emergency Justification:** Every card payment fails

### Issue Description
Card payments with legacy stored cards fail with HTTP 500
because the currency is null.

### Fix Implementation
Default the currency in the serializer.

### Testing Performed
- [x] Existing tests pass
- [X] New test validates fix
- [x] Manual validation: paid with a legacy card on staging
- [ ] Staging validation: N - no legacy cards on staging; smoke test of core functionality done

### Risk Assessment
**Risks Accepted:** Review shortened
**Rollback Plan:** Revert the merge commit
**Monitoring Plan:** Watch the error rate for 30 minutes
**Skipped Checks:** review, load test

### Post-Deployment Actions
- [ ] Monitor production for 30 minutes
- [x] Verify issue resolution
- [ ] Schedule post-incident review
- [ ] Address any bypassed quality checks

## 🚨 EMERGENCY BYPASS JUSTIFICATION

**Incident:** [INC-2041](https://tracker.example/incidents/2041)
**Bypass Reason:** Production completely down
**Risk Assessment:** Unreviewed change
**Post-Incident Actions:** Review after deploy
**Authorized By:** @Ops-Lead
**Timestamp:** Thu Nov 20 10:30:00 UTC 2026
"""


def test_filled_template_values_and_ranges():
    document = extract(FILLED, strip=False, path="pr.md")
    assert document.kind == "pull_request" and document.id is None
    assert rules(document) == []
    assert document.data["hotfix_template"] is True
    assert_value(document, "incident_reference", {"text": "#2041", "number": 2041}, "#2041", line=3)
    assert_value(document, "incident_reference.number", 2041, "2041")
    assert_value(document, "severity", "CRITICAL", line=4)
    assert_value(document, "emergency_justification", "Every card payment fails")
    assert_value(document, "issue_description",
                 "Card payments with legacy stored cards fail with HTTP 500\nbecause the currency is null.", line=8)
    assert_value(document, "fix_implementation", "Default the currency in the serializer.")
    assert_value(document, "testing_performed.0.text", "Existing tests pass", line=15)
    assert document.data["testing_performed"][0]["checked"] is True
    assert document.data["testing_performed"][1]["checked"] is True
    assert document.data["testing_performed"][3]["checked"] is False
    assert_value(document, "testing_performed.2.label", "Manual validation")
    assert_value(document, "testing_performed.2.value", "paid with a legacy card on staging")
    assert_value(document, "testing_performed.3.value", "N - no legacy cards on staging; smoke test of core functionality done")
    assert_value(document, "risk_assessment.rollback_plan", "Revert the merge commit", line=22)
    assert_value(document, "risk_assessment.skipped_checks.0", "review", line=24)
    assert_value(document, "risk_assessment.skipped_checks.1", "load test")
    assert [i["checked"] for i in document.data["post_deployment_actions"]] == [False, True, False, False]
    assert_value(document, "bypass.incident.number", 2041, "2041", line=34)
    assert_value(document, "bypass.bypass_reason", "Production completely down")
    assert_value(document, "bypass.authorized_by.login", "ops-lead", "Ops-Lead")
    assert_value(document, "bypass.timestamp", datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc),
                 "Thu Nov 20 10:30:00 UTC 2026", line=39)
    assert document.data["sections"][-1] == "EMERGENCY BYPASS JUSTIFICATION"
    assert_ranges_consistent(document)


def test_template_placeholders_are_recorded_not_values():
    document = extract(template_for("pull_request"), strip=False)
    assert document.kind == "pull_request"
    assert set(rules(document)) == {"DOC004"}
    assert "bypass" not in document.data  # the bypass section is a comment until used
    assert document.data["hotfix_template"] is True  # its heading is there, unfilled or not
    # blocks still the template's text are not read; the checklist without placeholders is
    assert [name for name, _ in document.unfilled] == [
        "HOTFIX - EMERGENCY DEPLOYMENT", "Issue Description", "Fix Implementation", "Testing Performed",
        "Risk Assessment"]
    for field in ("incident_reference", "severity", "issue_description", "fix_implementation",
                  "testing_performed", "risk_assessment"):
        assert field not in document.data
    assert [item["checked"] for item in document.data["post_deployment_actions"]] == [False] * 4
    assert_ranges_consistent(document)


def test_skipped_checks_none_is_an_empty_list_and_a_list_form_works():
    document = extract("""
        ## HOTFIX - EMERGENCY DEPLOYMENT
        ### Risk Assessment
        Skipped Checks: none
        """)
    assert document.data["risk_assessment"]["skipped_checks"] == []
    document = extract("""
        ## HOTFIX - EMERGENCY DEPLOYMENT
        ### Risk Assessment
        **Skipped Checks:**
        - review
        - load test
        """)
    assert_value(document, "risk_assessment.skipped_checks.1", "load test", line=5)


def test_plain_body_without_template_heading_with_forced_kind():
    document = extract("""
        Fixes the checkout.

        Incident Reference: INC-2041
        Severity: HIGH
        """, kind="pull_request")
    assert document.data["hotfix_template"] is False
    assert_value(document, "incident_reference.number", 2041, "2041")
    assert_value(document, "severity", "HIGH")
    assert_missing(document, "risk_assessment")


def test_empty_section_is_reported_and_absent():
    document = extract("""
        ## HOTFIX - EMERGENCY DEPLOYMENT
        ### Issue Description
        ### Fix Implementation
        Default the currency.
        """)
    assert_missing(document, "issue_description")
    [finding] = document.findings
    assert finding.rule == "SCHEMA001" and finding.span.line == 2 and "no content" in finding.message
