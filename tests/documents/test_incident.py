"""Incident records: DESIGN.md's example, the filled template and hand-written variants."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hotfix_policy.engine.documents.templates import template_for

from .helpers import assert_missing, assert_ranges_consistent, assert_value, extract, rules

UTC = timezone.utc
DESIGN_EXAMPLE = """\
---
kind: incident
---
# INC-2041: Checkout card payments failing

🚨 PRODUCTION INCIDENT DECLARED
Severity: CRITICAL
Criterion: Critical business function broken for all users
Issue: Every card payment fails with HTTP 500
Impact: All users in all regions
Status: INVESTIGATING
ETA: 2026-11-20T11:00Z
Commander: @dana-k
Branch: hotfix/v3.14.1-card-payment-null-currency
Declared: 2026-11-20T09:10Z

## Updates

### 🔄 INCIDENT UPDATE - 2026-11-20T09:35Z
Status: FIXING
Progress: Root cause found: currency is null for legacy stored cards
Next: Patch the serializer and add a regression test
ETA: 2026-11-20T10:30Z
Issues: None

### 🔄 INCIDENT UPDATE - 2026-11-20T10:00Z
Status: TESTING
Progress: Patch ready
Next: Deploy
ETA: 2026-11-20T10:30Z
Issues: None

### 🔄 INCIDENT UPDATE - 2026-11-20T10:20Z
Status: DEPLOYING

### 🔄 INCIDENT UPDATE - 2026-11-20T10:30Z
Status: MONITORING

### 🔄 INCIDENT UPDATE - 2026-11-20T10:55Z
Status: MONITORING

## Resolution

✅ INCIDENT RESOLVED - 2026-11-20T11:02Z
Issue: Card payments failed for legacy stored cards
Duration: 1h 52m
Resolution: Hotfix v3.14.1 defaults the currency
Impact: All card payments failed for 1h 52m
Follow-up: Post-incident review scheduled for 2026-11-24

## Closed

Status: CLOSED
Closed: 2026-11-20T15:40Z
"""


def t(hour, minute, day=20):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_design_example_values_and_ranges():
    document = extract(DESIGN_EXAMPLE, path="incidents/INC-2041.md", strip=False)
    assert document.kind == "incident" and document.id == "INC-2041"
    assert rules(document) == []
    assert_value(document, "number", 2041, "2041", line=4)
    assert_value(document, "title", "Checkout card payments failing", line=4)
    assert_value(document, "severity", "CRITICAL", line=7)
    assert_value(document, "criterion", "Critical business function broken for all users", line=8)
    assert_value(document, "issue", "Every card payment fails with HTTP 500")
    assert_value(document, "eta", t(11, 0), "2026-11-20T11:00Z", line=12)
    assert_value(document, "commander", {"text": "@dana-k", "name": "dana-k", "login": "dana-k"}, "@dana-k", line=13)
    assert_value(document, "commander.name", "dana-k")
    assert_value(document, "branch", "hotfix/v3.14.1-card-payment-null-currency")
    assert_value(document, "declared", t(9, 10), "2026-11-20T09:10Z", line=15)
    assert len(document.data["updates"]) == 5
    assert_value(document, "updates.0.time", t(9, 35), "2026-11-20T09:35Z", line=19)
    assert_value(document, "updates.0.status", "FIXING", line=20)
    assert_value(document, "updates.0.progress", "Root cause found: currency is null for legacy stored cards")
    assert_value(document, "updates.0.issues", "None")
    assert_value(document, "updates.2.status", "DEPLOYING", line=34)
    assert_missing(document, "updates.2.progress", "🔄 INCIDENT UPDATE - 2026-11-20T10:20Z")
    assert_value(document, "resolution.time", t(11, 2), "2026-11-20T11:02Z", line=44)
    assert_value(document, "resolution.duration", timedelta(hours=1, minutes=52), "1h 52m")
    assert_value(document, "resolution.follow_up", "Post-incident review scheduled for 2026-11-24")
    assert_value(document, "resolution.review_scheduled", t(0, 0, 24), "2026-11-24")
    assert_value(document, "closed.status", "CLOSED", line=53)
    assert_value(document, "closed.time", t(15, 40), "2026-11-20T15:40Z", line=54)
    assert [m["type"] for m in document.data["messages"]] == ["declaration"] + ["update"] * 5 + ["resolution", "closed"]
    assert [m["status"] for m in document.data["messages"]] == [
        "INVESTIGATING", "FIXING", "TESTING", "DEPLOYING", "MONITORING", "MONITORING", "RESOLVED", "CLOSED"]
    assert [m["time"] for m in document.data["messages"]] == [
        t(9, 10), t(9, 35), t(10, 0), t(10, 20), t(10, 30), t(10, 55), t(11, 2), t(15, 40)]
    assert document.data["current_status"] == "CLOSED"
    assert "Updates" in document.data["sections"]
    assert document.data["secrets"] == [] and document.data["placeholders"] == []
    assert_missing(document, "update_cadence", "🚨 PRODUCTION INCIDENT DECLARED")
    assert_ranges_consistent(document)


def test_template_is_an_incident_whose_blocks_are_unfilled():
    """`policy new incident` as printed: every block is still the template's, so no fixed line of
    it (`Status: INVESTIGATING`, `Status: CLOSED`) reads as a fact; one DOC004 per block, and
    DOC002 for each of the title's placeholders, which are in no block."""
    document = extract(template_for("incident"), strip=False)
    assert document.kind == "incident" and document.id is None
    assert set(rules(document)) == {"DOC002", "DOC004"}
    assert [name for name, _ in document.unfilled] == [
        "PRODUCTION INCIDENT DECLARED", "INCIDENT UPDATE", "INCIDENT RESOLVED", "Closed"]
    for field in ("status", "severity", "issue", "declared", "number", "resolution", "closed", "current_status"):
        assert field not in document.data, field
    assert document.data["messages"] == [] and document.data["updates"] == []
    assert [p["field"] for p in document.data["placeholders"]] == ["title", "title"]  # number and description
    messages = [f.message for f in document.findings]
    assert sum("block is still the template's text" in m for m in messages) == 4
    assert not any("messages." in m or "updates." in m for m in messages), messages
    assert_ranges_consistent(document)


def declared_only() -> str:
    """`policy new incident` filled in up to its declaration."""
    text = template_for("incident")
    for placeholder, value in [
        ("[CRITICAL/HIGH/MEDIUM]", "HIGH"), ("[Brief description]", "Login down"),
        ("[One of the five emergency criteria, e.g. Production down]", "Production down"),
        ("[Brief description]", "Login fails"), ("[Affected users/systems]", "Everyone"),
        ("[Initial estimate]", "2026-11-20T12:00Z"), ("@[name]", "@lee"), ("[TIMESTAMP]", "2026-11-20T10:00Z")]:
        text = text.replace(placeholder, value, 1)
    return text


def test_declared_only_record_is_open():
    """Filled in up to the declaration: the unused resolution and closing blocks do not close it."""
    text = declared_only()
    document = extract(text, strip=False)
    assert document.data["current_status"] == "INVESTIGATING" and document.data["status"] == "INVESTIGATING"
    assert [m["type"] for m in document.data["messages"]] == ["declaration"]
    assert "resolution" not in document.data and "closed" not in document.data
    assert [name for name, _ in document.unfilled] == ["INCIDENT UPDATE", "INCIDENT RESOLVED", "Closed"]
    # each placeholder left is reported at its span: the title's number, both of the Branch line's
    assert [(f.span.line, f.span.column) for f in document.findings if "placeholder" in f.message] == \
        [(5, 7), (15, 16), (15, 26)]


def test_a_closing_block_left_with_its_fixed_line_only_is_unfilled():
    """Deleting the unused `Closed: [TIMESTAMP]` line leaves `Status: CLOSED`, the template's own
    line: the block is still the template's text and the record stays open."""
    text = declared_only()
    text = text.replace("Closed: [TIMESTAMP]\n", "")
    document = extract(text, strip=False)
    assert document.data["current_status"] == "INVESTIGATING" and "closed" not in document.data
    assert [name for name, _ in document.unfilled] == ["INCIDENT UPDATE", "INCIDENT RESOLVED", "Closed"]
    closed = extract(text.replace("Status: CLOSED", "Status: CLOSED\nClosed: 2026-11-20T14:00Z"), strip=False)
    assert closed.data["current_status"] == "CLOSED"


def test_filled_template():
    text = template_for("incident")
    for placeholder, value in [
        ("INC-[incident-number]: [Brief description]", "INC-7: Login down"), ("[CRITICAL/HIGH/MEDIUM]", "HIGH"),
        ("[One of the five emergency criteria, e.g. Production down]", "Production down"),
        ("Issue: [Brief description]\nImpact: [Affected users/systems]", "Issue: Login fails\nImpact: Everyone"),
        ("[Initial estimate]", "2026-11-20T12:00Z"), ("@[name]", "@lee"),
        ("hotfix/[version]-[brief-description]", "hotfix/v1.2.1-login"), ("Declared: [TIMESTAMP]", "Declared: 2026-11-20T10:00Z"),
        ("UPDATE - [TIMESTAMP]", "UPDATE - 10:25"), ("[INVESTIGATING/FIXING/TESTING/DEPLOYING/MONITORING]", "FIXING"),
        ("[What's been done]", "Found it"), ("[What's happening next]", "Fix it"), ("[Updated estimate]", "11:30"),
        ("[Any blockers or complications]", "None"), ("RESOLVED - [TIMESTAMP]", "RESOLVED - 2026-11-20T11:40Z"),
        ("Issue: [Brief description]", "Issue: Login fails"), ("[Total incident time]", "1h 40m"),
        ("[What fixed it]", "Hotfix v1.2.1"), ("[Final impact assessment]", "Nobody could log in"),
        ("[date]", "2026-11-25"), ("Closed: [TIMESTAMP]", "Closed: 2026-11-20 15:00 UTC"),
    ]:
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value, 1)
    document = extract(text, strip=False)
    assert rules(document) == [], document.findings
    assert document.id == "INC-7"
    assert_value(document, "updates.0.time", t(10, 25), "10:25")
    assert_value(document, "updates.0.eta", t(11, 30), "11:30")
    assert_value(document, "closed.time", t(15, 0), "2026-11-20 15:00 UTC")
    assert_value(document, "update_cadence", "Every 30 minutes or on status change")
    assert_ranges_consistent(document)


def test_variation_bold_labels_no_emoji_bare_times_and_time_zone():
    document = extract("""
        ---
        id: INC-99
        timezone: Europe/Berlin
        ---
        # Payments outage

        **PRODUCTION INCIDENT DECLARED**
        - **Severity:** high
        - **Criterion:** data loss
        - **Declared:** 2026-11-20 10:10
        - **Commander:** Dana K

        #### INCIDENT UPDATE: 10:45
        **Status:** FIXING

        INCIDENT UPDATE - Thu Nov 20 11:15:00 UTC 2026
        Status: TESTING
        """)
    assert document.kind == "incident" and document.id == "INC-99"
    assert_value(document, "number", 99, "99", line=2)
    assert_value(document, "severity", "high")
    assert_value(document, "criterion", "data loss")
    assert_value(document, "declared", t(9, 10), "2026-11-20 10:10")
    assert_value(document, "commander", {"text": "Dana K", "name": "Dana K", "login": "dana k"}, "Dana K")
    assert_value(document, "updates.0.time", t(9, 45), "10:45")
    assert_value(document, "updates.1.time", t(11, 15), "Thu Nov 20 11:15:00 UTC 2026")
    assert_ranges_consistent(document)


def test_hotfix_in_progress_block_feeds_criterion_owner_and_branch():
    document = extract("""
        # INC-12: API down

        🚨 HOTFIX IN PROGRESS
        Issue: API returns 502
        Impact: All clients
        Severity: Production down
        ETA: 2026-11-20T12:00Z
        Owner: @sam
        Branch: hotfix/v2.0.1-api-gateway
        Status: FIXING
        """)
    assert document.kind == "incident"
    assert_value(document, "criterion", "Production down", line=6)
    assert "severity" not in document.data
    assert_value(document, "commander.text", "@sam")
    assert_value(document, "branch", "hotfix/v2.0.1-api-gateway")
    assert document.data["messages"][0]["type"] == "in_progress"


def test_wrong_types_are_schema001_at_the_value_and_absent():
    document = extract("""
        # INC-5: x

        🚨 PRODUCTION INCIDENT DECLARED
        ETA: soon
        Declared: 2026-11-20T09:00Z

        ✅ INCIDENT RESOLVED - 2026-11-20T10:00Z
        Duration: a while
        """)
    messages = {(f.span.line, f.message) for f in document.findings if f.rule == "SCHEMA001"}
    assert messages == {(4, "ETA must be a time such as 2026-11-20T11:00Z; found 'soon'"),
                        (8, "Duration must be a duration such as 1h 52m; found 'a while'")}
    assert_missing(document, "eta")
    assert_missing(document, "resolution.duration")
    assert document.span_of(("eta",)).slice(document.text) == "soon"


def test_missing_values_anchor_at_their_block_else_the_title():
    document = extract("""
        # INC-5: Nothing yet

        🚨 PRODUCTION INCIDENT DECLARED
        Severity: HIGH

        🔄 INCIDENT UPDATE - 2026-11-20T09:00Z
        Status: FIXING
        """)
    assert_missing(document, "commander", "🚨 PRODUCTION INCIDENT DECLARED")
    assert_missing(document, "resolution", "INC-5: Nothing yet")
    assert_missing(document, "updates.0.eta", "🔄 INCIDENT UPDATE - 2026-11-20T09:00Z")


def test_a_time_zone_that_does_not_exist_is_schema001_at_its_value_never_utc_in_disguise():
    document = extract("""
        ---
        timezone: Europe/Berln
        ---
        # INC-5: Checkout down

        PRODUCTION INCIDENT DECLARED
        Severity: HIGH
        Declared: 2026-11-20 10:10
        """)
    (finding,) = [f for f in document.findings if f.rule == "SCHEMA001"]
    assert finding.severity.value == "error"
    assert "unknown time zone 'Europe/Berln'" in finding.message and "`Europe/Berlin`" in finding.message
    assert finding.span.slice(document.text) == "Europe/Berln" and finding.span.line == 2


def test_a_time_in_a_zone_that_does_not_exist_is_not_a_time():
    document = extract("""
        # INC-5: Checkout down

        PRODUCTION INCIDENT DECLARED
        Severity: HIGH
        Declared: 2026-11-20T10:10 Mars/Olympus
        """)
    assert document.data.get("declared") != t(10, 10)
    assert any(f.rule == "SCHEMA001" and f.span.slice(document.text).startswith("2026-11-20T10:10")
               for f in document.findings)


def test_a_time_zone_given_by_the_caller_is_honoured_from_a_file_and_from_text(tmp_path):
    from hotfix_policy.engine.documents import load_document

    text = "# INC-5: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nDeclared: 2026-11-20 10:10\n"
    record = tmp_path / "INC-5.md"
    record.write_text(text, encoding="utf-8")
    from_file = load_document(record, timezone="Europe/Berlin")
    from_text = load_document(text, path="INC-5.md", timezone="Europe/Berlin")
    assert from_file.data["declared"] == from_text.data["declared"] == t(9, 10)
    unknown = load_document(record, timezone="Europe/Berln")
    assert [f.span for f in unknown.findings if f.rule == "SCHEMA001"] == [None]


def test_a_filled_line_with_one_placeholder_left_is_not_template_text():
    """A block is unfilled only when each line is a template line with placeholders in their
    places: `Due: [Date]` in an action item that names a real action leaves the block filled."""
    review = template_for("post_incident_review").replace("[Action item 1]", "Add legacy card fixtures")
    document = extract(review, strip=False)
    assert "Action Items" not in [name for name, _ in document.unfilled]
    assert document.data["action_items"][0]["text"] == "Add legacy card fixtures"
