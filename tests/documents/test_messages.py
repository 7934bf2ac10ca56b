"""Status messages on their own, and commit and tag messages read from files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hotfix_policy.engine.documents.templates import template_for
from hotfix_policy.engine.kinds import kind_named

from .helpers import assert_ranges_consistent, assert_value, extract, rules

UTC = timezone.utc


def test_each_status_template_is_a_status_update():
    for variant in kind_named("status_update").variants:
        document = extract(template_for("status_update", variant), strip=False)
        assert document.kind == "status_update" and len(document.unfilled) == 1
        assert "type" not in document.data  # the message is still the template's: rules skip it
        assert set(rules(document)) == {"DOC004"}
        assert_ranges_consistent(document)


def test_in_progress_message():
    document = extract("""
        🚨 HOTFIX IN PROGRESS
        Issue: Checkout fails
        Impact: All users
        Severity: Production down
        ETA: 2026-11-20T11:00Z
        Owner: @dana-k
        Branch: hotfix/v3.14.1-card-payment
        Status: FIXING
        """)
    assert document.kind == "status_update" and rules(document) == []
    assert_value(document, "criterion", "Production down", line=4)
    assert "severity" not in document.data
    assert_value(document, "owner.name", "dana-k")
    assert document.data["fields"] == ["Issue", "Impact", "Severity", "ETA", "Owner", "Branch", "Status"]
    assert_value(document, "fields.2", "Severity", line=4)


def test_resolution_message_implies_resolved():
    document = extract("""
        ✅ INCIDENT RESOLVED - 2026-11-20T11:02Z
        Issue: x
        Duration: 45 minutes
        """)
    assert document.data["status"] == "RESOLVED" and ("status",) in document.derived
    assert_value(document, "time", datetime(2026, 11, 20, 11, 2, tzinfo=UTC), "2026-11-20T11:02Z")
    assert_value(document, "duration", timedelta(minutes=45), "45 minutes")


def test_commit_message():
    document = extract("""
        hotfix(payments): default a null currency

        EMERGENCY FIX: card payments fail for legacy stored cards
        Root Cause: currency is null for cards stored before 2019
        Impact: all card payments
        Solution: default the currency

        Restores: card checkout
        Urgency: all payments fail

        Incident: #2041
        """, kind="commit", path="COMMIT_EDITMSG")
    assert document.kind == "commit" and rules(document) == []
    assert_value(document, "header", "hotfix(payments): default a null currency", line=1)
    assert_value(document, "type", "hotfix")
    assert_value(document, "scope", "payments")
    assert_value(document, "description", "default a null currency")
    assert_value(document, "root_cause", "currency is null for cards stored before 2019", line=4)
    assert_value(document, "incident.number", 2041, "2041", line=11)
    assert document.data["body"].startswith("EMERGENCY FIX:")
    assert_ranges_consistent(document)


def test_commit_template_and_tag_template():
    for kind in ("commit", "tag"):
        document = extract(template_for(kind), kind=kind, strip=False)
        assert document.kind == kind and set(rules(document)) == {"DOC002"}
        assert "header" not in document.data


def test_tag_message():
    document = extract("""
        Hotfix v1.2.1: default a null currency

        Emergency fix for: card payments failing
        Impact: card checkout restored
        Deployed: Thu Nov 20 10:40:00 UTC 2026
        Incident: #2041
        """, kind="tag")
    assert_value(document, "header_version", {"text": "v1.2.1", "major": 1, "minor": 2, "patch": 1}, "v1.2.1")
    assert_value(document, "deployed", datetime(2026, 11, 20, 10, 40, tzinfo=UTC), "Thu Nov 20 10:40:00 UTC 2026")
    assert_value(document, "emergency_fix_for", "card payments failing")


def test_commit_message_file_stops_at_git_commit_verbose_scissors():
    from hotfix_policy.engine.documents import parse_document

    text = ("hotfix(api): default the currency\n\nEMERGENCY FIX: payments fail\n"
            "# ------------------------ >8 ------------------------\n"
            "# Do not modify or remove the line above.\ndiff --git a/x b/x\n+password: hunter2secret\n")
    document = parse_document(text, path="COMMIT_EDITMSG", kind="commit")
    assert document.data["emergency_fix"] == "payments fail"
    assert document.secrets == [] and document.data["secrets"] == []
