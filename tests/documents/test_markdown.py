"""The outline and scopes: labels in every accepted form, scoping, fences, repeats."""

from __future__ import annotations

from hotfix_policy.engine.documents.markdown import outline
from hotfix_policy.engine.documents.model import LineIndex
from hotfix_policy.engine.documents.schemas import load_schema
from hotfix_policy.engine.documents.scopes import build

from .helpers import assert_value, extract, rules


def structure(text: str, kind: str = "incident"):
    index = LineIndex(text)
    return build(text, outline(text, index), load_schema(kind))


def test_label_forms_are_equivalent():
    for line in ("Severity: HIGH", "**Severity:** HIGH", "- **Severity:** HIGH", "**Severity**: HIGH",
                 "severity: HIGH", "> Severity: HIGH", "Severity:   HIGH  "):
        document = extract(f"🚨 PRODUCTION INCIDENT DECLARED\n{line}\nStatus: FIXING\n\n🔄 INCIDENT UPDATE - 10:00\nStatus: FIXING\n",
                           strip=False)
        assert_value(document, "severity", "HIGH")


def test_labels_are_scoped_to_their_block():
    document = extract("""
        🚨 PRODUCTION INCIDENT DECLARED
        Status: INVESTIGATING
        Declared: 2026-11-20T09:10Z

        🔄 INCIDENT UPDATE - 2026-11-20T09:35Z
        Status: FIXING
        """)
    assert_value(document, "status", "INVESTIGATING", line=2)
    assert_value(document, "updates.0.status", "FIXING", line=6)


def test_a_template_pasted_in_a_fence_reads_the_same():
    plain = "🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n\n🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\nStatus: FIXING\n"
    fenced = "Some intro.\n\n```\n" + plain + "```\n"
    for text in (plain, fenced):
        document = extract(text, strip=False)
        assert document.kind == "incident"
        assert_value(document, "severity", "HIGH")
        assert_value(document, "updates.0.status", "FIXING")


def test_code_fences_of_other_languages_are_not_read():
    document = extract("""
        # INC-7: x

        ```bash
        # Severity: HIGH
        Severity: HIGH
        ```
        """)
    assert "severity" not in document.data


def test_repeated_label_first_wins_and_the_repeat_is_reported():
    document = extract("""
        🚨 PRODUCTION INCIDENT DECLARED
        Severity: HIGH
        Severity: CRITICAL

        🔄 INCIDENT UPDATE - 2026-11-20T10:00Z
        Status: FIXING
        """)
    assert_value(document, "severity", "HIGH", line=2)
    [finding] = [f for f in document.findings if f.rule == "SCHEMA001"]
    assert finding.span.line == 3 and "given twice" in finding.message


def test_value_continues_on_the_next_line():
    document = extract("""
        🔄 INCIDENT UPDATE - 2026-11-20T10:00Z
        Status: FIXING
        Progress: found the cause,
        a null currency
        Next: patch
        """)
    assert_value(document, "progress", "found the cause,\na null currency")
    assert_value(document, "next", "patch")


def test_emphasis_and_code_around_values_are_not_part_of_them():
    document = extract("""
        🚨 HOTFIX IN PROGRESS
        Owner: **@dana-k**
        Branch: `hotfix/v1.2.1-x`
        """)
    assert_value(document, "branch", "hotfix/v1.2.1-x")
    assert_value(document, "owner.text", "@dana-k")
    assert_value(document, "owner.name", "dana-k")


def test_heading_markers_and_line_markers_both_start_blocks():
    found = structure("## Updates\n\n### 🔄 INCIDENT UPDATE - 10:00\nStatus: A\n\n🔄 INCIDENT UPDATE - 10:30\nStatus: B\n")
    assert [s.name for s in found.scopes] == [None, None, "update", "update"]


def test_setext_headings_and_nested_lists():
    text = "Incident Summary\n================\n\n- **Date/Time:** 2026-11-20T09:02Z\n  - nested: x\n"
    document = extract("# Post-Incident Review: x\n\n" + text, strip=False)
    assert_value(document, "date_time", document.data["date_time"], "2026-11-20T09:02Z")


def test_no_findings_for_a_clean_block():
    document = extract("🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\nStatus: FIXING\n", strip=False)
    assert rules(document) == []
