"""Bad input becomes a finding, never an exception (issue #3, "Bad input")."""

from __future__ import annotations

from hotfix_policy.engine.documents import load_document, parse_document

from .helpers import rules


def only(document, rule):
    matching = [f for f in document.findings if f.rule == rule]
    assert len(matching) == 1, document.findings
    return matching[0]


def test_empty_file():
    assert "empty" in only(parse_document(b"", path="e.md"), "DOC003").message
    assert "empty" in only(parse_document("  \n\n", path="e.md"), "DOC003").message


def test_front_matter_only():
    document = parse_document("---\nkind: incident\n---\n", path="f.md")
    assert "front matter but no content" in only(document, "DOC003").message


def test_broken_front_matter_yaml():
    document = parse_document("---\nkind: [incident\n---\n# INC-1: x\n", path="f.md")
    finding = only(document, "SCHEMA001")
    assert "front matter is not valid YAML" in finding.message and finding.span.line >= 2
    assert document.kind == "incident"  # detection goes on from the content


def test_unclosed_front_matter():
    document = parse_document("---\nkind: incident\n# INC-1: x\n", path="f.md")
    assert "never ends" in only(document, "SCHEMA001").message


def test_invalid_utf8_is_located_and_the_rest_is_read():
    document = parse_document("# INC-1: caf\u00e9\n".encode() + b"\xff\xfe ok\n", path="bad.md")
    finding = only(document, "DOC003")
    assert "not valid UTF-8: byte 0xff" in finding.message and "1 more" in finding.message
    assert (finding.span.line, finding.span.column) == (2, 1)
    assert document.kind == "incident" and not document.read_in_full


def test_binary_file():
    assert "binary" in only(parse_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00", path="x.md"), "DOC003").message


def test_size_limit_is_configurable(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("# INC-1: x\n" + "Issue: y\n" * 2000)
    assert "size limit" in only(load_document(big, size_limit=1000), "DOC003").message
    assert "DOC003" not in rules(load_document(big))
    assert "size limit" in only(parse_document("x" * 50, path="t.md", size_limit=10), "DOC003").message


def test_a_megabyte_is_refused_by_default(tmp_path):
    big = tmp_path / "huge.md"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    assert "over the size limit of 1,048,576 bytes" in only(load_document(big), "DOC003").message


def test_headings_with_no_body():
    document = parse_document("# Post-Incident Review: x\n## Incident Summary\n## Timeline\n## Action Items\n", path="r.md")
    assert document.kind == "post_incident_review"
    assert rules(document) == ["SCHEMA001"] * 3
    assert {"timeline", "action_items"}.isdisjoint(document.data)


def test_missing_file_is_doc003():
    assert "cannot read file" in only(load_document("/nonexistent/file.md"), "DOC003").message


def test_unknown_kinds():
    assert rules(parse_document("# Release notes\n\nNothing to see.\n", path="n.md")) == ["DOC001"]
    document = parse_document("---\nkind: memo\n---\n# x\n", path="m.md")
    assert rules(document) == ["DOC001"] and "memo" in document.findings[0].message
    assert document.kind is None and document.data == {"secrets": []}


def test_crlf_and_bom_are_normalized():
    document = parse_document("\ufeff# INC-3: x\r\n\r\n🚨 PRODUCTION INCIDENT DECLARED\r\nSeverity: HIGH\r\n\r\n"
                              "🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\r\nStatus: FIXING\r\n".encode(), path="c.md")
    assert document.data["severity"] == "HIGH"
    assert document.spans[("severity",)].line == 4


def test_an_editors_text_is_measured_in_bytes_as_a_file_is():
    """The size limit is in UTF-8 bytes: a buffer of 600 two-byte letters is over a 1,000-byte
    limit though it holds 600 characters (as the same text saved to a file would be)."""
    text = "# INC-1: " + "é" * 600 + "\n"
    document = parse_document(text, path="incidents/INC-1.md", size_limit=1000)
    assert rules(document) == ["DOC003"]
    assert document.findings[0].message == "document is 1,210 bytes, over the size limit of 1,000 bytes"
    assert rules(parse_document(text, path="incidents/INC-1.md", size_limit=1300)) == []
