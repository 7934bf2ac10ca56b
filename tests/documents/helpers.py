"""Terse helpers for the document tests: extract, then assert values with their exact ranges."""

from __future__ import annotations

from textwrap import dedent

from hotfix_policy.engine.documents import Document, parse_document
from hotfix_policy.engine.documents import validate
from hotfix_policy.engine.documents.secrets import mask


def extract(text: str, *, kind: str | None = None, path: str = "doc.md", strip: bool = True) -> Document:
    """Extract a document from an indented literal (dedented, leading newline dropped)."""
    if strip:
        text = dedent(text).lstrip("\n")
    return parse_document(text, path=path, kind=kind)


def at(document: Document, path: str):
    """The value at a dotted path (`updates.2.status`)."""
    return document.value_at(_path(path))


def _path(dotted: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in dotted.split("."))


def assert_value(document: Document, path: str, value, source: str | None = None, line: int | None = None) -> None:
    """The value at `path` equals `value` and its range covers exactly `source` (default: the
    value itself when it is a string), optionally on `line`."""
    key = _path(path)
    assert document.value_at(key) == value, (path, document.value_at(key))
    span = document.spans[key]
    expected = value if source is None else source
    if isinstance(expected, str):
        assert span.slice(document.text) == expected, (path, span.slice(document.text))
        assert span.end_line == span.line + expected.count("\n")
    if line is not None:
        assert span.line == line, (path, span.line)


def assert_missing(document: Document, path: str, anchor_text: str | None = None) -> None:
    """No value at `path`; when `anchor_text` is given, the anchor is where that text is."""
    key = _path(path)
    try:
        document.value_at(key)
    except (KeyError, IndexError):
        pass
    else:
        raise AssertionError(f"{path} is present: {document.value_at(key)!r}")
    if anchor_text is not None:
        span = document.span_of(key)
        assert span is not None and span.slice(document.text) == anchor_text, (
            path, span and span.slice(document.text))


def rules(document: Document) -> list:
    """The rule ids of the document's findings, in order."""
    return [finding.rule for finding in document.findings]


def assert_ranges_consistent(document: Document) -> None:
    """Every range lies inside the text, and slices to its value for values read as text
    (in the text as extraction read it: with detected secrets masked)."""
    text = mask(document.text, document.secrets)
    for path, span in document.spans.items():
        assert 0 <= span.start <= span.end <= len(text), path
        assert (span.line, span.column) == _line_column(text, span.start), path
        assert (span.end_line, span.end_column) == _line_column(text, span.end), path
        value = document.value_at(path)
        if isinstance(value, str) and path not in document.derived:
            assert span.slice(text) == value, (path, value, span.slice(text))
    for path, span in document.anchors.items():
        assert 0 <= span.start <= span.end <= len(text), path
    for finding in document.findings:
        if finding.span is not None:
            assert 0 <= finding.span.start <= finding.span.end <= len(text)
    if document.kind is not None:
        # extraction skips jsonschema when every typed value parsed: prove the data is valid anyway
        assert validate.check(document.kind, document.data, lambda path: None) == []


def _line_column(text: str, offset: int) -> tuple:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
