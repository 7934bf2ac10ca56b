"""The `Document` type: what extraction hands to the policy layer and the language server.

A document is the typed `data` the rules see as `doc`, plus everything needed to point back
into the source: a source map from value paths to spans, the anchors where missing values
belong, the placeholders left in it, the secrets found in it (kind and place only) and the
engine's own findings about it (DOC001-004, SCHEMA001).

Value paths are tuples of dict keys and list indices into `data`, e.g. `("updates", 2,
"status")`. Spans are `engine.span.Span`s over `Document.text` (line endings normalized to
`\\n`; lines and columns are those of the file as written).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding, Severity
from ..span import LineIndex, Span

__all__ = ["Document", "LineIndex", "Path", "Placeholder", "Secret"]

Path = tuple  # tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A template placeholder left in the document (`[Brief description]`): never a value."""

    path: Path
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Secret:
    """A credential the scanner found: its kind and place, never its value."""

    kind: str
    span: Span
    description: str = ""   # the kind in words, for messages ("GitHub token")

    def as_data(self) -> dict:
        """The entry rules see in `doc.secrets` (no value, by design)."""
        return {
            "kind": self.kind,
            "description": self.description or self.kind,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }


@dataclass(slots=True)
class Document:
    """One document of a kind, with its values located in its source.

    Attributes:
        kind: the kind name (`incident`, `pull_request`, ...) or None when unknown.
        id: the document id per DESIGN.md (`INC-2041`, `PIR-2041`, `pr:318`,
            `commit:1a2b3c4`, `tag:v1.2.1`, `repository`) or None when it has none.
        path: the file path, or the source name (`commit:<sha>`, `tag:<name>`, the event file).
        text: the source text the spans index (for a secret-bearing file this is the real
            text; `data` never carries a detected secret).
        data: what rules see as `doc`; only the rule language's runtime types; a missing or
            unfilled value is absent.
        spans: source map, value path -> span of the value's text (a dict; for a document read
            back from the extraction cache a read-only `stored.StoredSpans`, anchors too).
        anchors: value path -> span of the block or heading where a missing value belongs.
        title: span of the document's title (first heading or first line), the last resort
            for pointing at anything.
        derived: paths whose value is computed from the text its span covers (a block's type,
            an implied status, a login, a date read from a version) rather than being a slice
            of it; every other text value equals the text its span covers.
        unfilled: the blocks still the template's text, (name, span) each: extraction skipped
            them (`unfilled.py`), so rules do not see them.
        filled_views: per unfilled block, the document read with that block as written (its
            placeholders absent): the engine asks a failing rule whether it fails only for
            want of that block (`policy/template_text.py`).
        read_in_full: False when the file could not be read as written (DOC003: not a regular
            file, binary, UTF-16, bytes that are not UTF-8): such a file cannot be told apart
            from one of ours, so a folder's walk never passes over it. A file over the size or
            line limit is the exception: its start shows its kind (`read` is False, and a walk
            passes over it when that start is none of ours).
        placeholders, secrets, findings: as their types say. A PR body read from an event
            file counts its lines inside the body (DESIGN.md, CLI contract).
        read: False when the document could not be read or is too large to judge (DOC003 says
            why): no rule judges it and `docs` does not list it, so its empty data cannot
            pass a rule or fail one with a misleading message.
    """

    kind: str | None
    id: str | None
    path: str
    text: str
    data: dict = field(default_factory=dict)
    spans: Mapping = field(default_factory=dict)
    anchors: Mapping = field(default_factory=dict)
    title: Span | None = None
    derived: set = field(default_factory=set)
    placeholders: list = field(default_factory=list)
    unfilled: list = field(default_factory=list)
    filled_views: list = field(default_factory=list)
    secrets: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    read_in_full: bool = True
    read: bool = True

    def span_of(self, path: Path) -> Span | None:
        """Where a value is, or where it belongs when missing.

        Tries the value itself, then the anchor recorded for it, then each shorter prefix
        (the enclosing item or block), then the title.
        """
        path = tuple(path)
        while True:
            span = self.spans.get(path) or self.anchors.get(path)
            if span is not None:
                return span
            if not path:
                return self.title
            path = path[:-1]

    def fails_closed(self) -> bool:
        """Whether `policy check` judges this document though it has no kind: it could not be read
        in full (DOC003: it may be one of ours), or its front matter misspells one of our kinds
        (DOC001, an error: the author meant it to be one)."""
        return not self.read_in_full or any(f.rule == "DOC001" and f.severity is Severity.ERROR for f in self.findings)

    def add_finding(self, rule: str, severity: Severity, message: str, span: Span | None) -> None:
        self.findings.append(
            Finding(rule=rule, severity=severity, message=message, path=self.path, span=span,
                    kind=self.kind or "", document=self.id or self.path)
        )

    def value_at(self, path: Path) -> Any:
        """The value at a path in `data` (KeyError/IndexError when absent)."""
        value: Any = self.data
        for key in path:
            value = value[key]
        return value
