"""Property test: random Markdown built from the templates' pieces never raises.

Lines of every template, label lines with random values, headings, fences, list items,
front matter and stray bytes, shuffled and recombined: extraction must return a document
whose ranges are all consistent, with only engine findings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.documents import parse_document
from hotfix_policy.engine.documents.templates import template_for
from hotfix_policy.engine.kinds import FILE_KINDS, REGISTRY

from .helpers import assert_ranges_consistent

PIECES = sorted({line for kind in REGISTRY if kind.from_file for variant in kind.variants or (None,)
                 for line in template_for(kind.name, variant).splitlines()})
EXTRA = ["```", "```markdown", "~~~", "---", "kind: incident", "kind: [broken", "> Status: FIXING", "",
         "| Time | Event |", "| --- | --- |", "| 09:00 | detected |", "<!--", "-->", "   - [x] nested",
         "Severity: HIGH", "Severity: HIGH", "Status: MONITORING", "Status: CLOSED", "Declared: 09:00",
         "ETA: soon", "Duration: 1h 5m", "Commander: @x", "Incident: #12", "***", "Setext\n===",
         "password=S3cr3tValue!", "- **Owner:** @a - Due: 2026-01-01", "#", "# ", "**", "- ", "- [ ]"]
VALUES = st.one_of(st.sampled_from(["2026-11-20T10:00Z", "10:45", "1h 52m", "@dana", "#2041", "none", "[x]",
                                    "`code`", "**bold**", "", "Thu Nov 20 10:30:00 UTC 2026", "INC-7"]),
                   st.text(max_size=20))
LINE = st.one_of(st.sampled_from(PIECES + EXTRA),
                 st.builds(lambda label, value: f"{label}: {value}",
                           st.sampled_from(["Status", "ETA", "Severity", "Owner", "Due", "Time", "Closed", "Issue"]),
                           VALUES),
                 st.text(max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=40), kind=st.sampled_from([None, None, *FILE_KINDS]))
def test_random_markdown_never_raises(lines, kind):
    document = parse_document("\n".join(lines), path="random.md", kind=kind)
    assert_ranges_consistent(document)
    assert all(f.rule in ("DOC001", "DOC002", "DOC003", "DOC004", "SCHEMA001") for f in document.findings)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(raw):
    document = parse_document(raw, path="random.bin")
    assert_ranges_consistent(document)
