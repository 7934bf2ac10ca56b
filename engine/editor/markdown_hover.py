"""Hover in incident, review and PR Markdown: what a label means, what a value may be, and on
a finding, the rule's documentation and the values that made it fail.

Hover text comes from the schema, the rule's docs and the document's (masked) data, never from
the raw text: a detected secret is never repeated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from ..documents import parse_document
from ..documents.scopes import normalize_label
from ..findings import Severity
from . import text as texts
from .fields import find_label
from .layout import detected_layout
from .model import Hover
from .rule_docs import engine_rule_markdown, explanation_markdown, rule_markdown


def field_markdown(field) -> str:
    lines = [f"**{field.label}** · `doc.{field.dotted}` ({field.value})", "", field.description]
    if field.enum:
        lines += ["", "Values:"] + [f"- `{value}`: {description}" for value, description in field.enum]
    if field.aliases:
        lines += ["", "Also written: " + ", ".join(f"`{a}`" for a in field.aliases)]
    return "\n".join(lines)


def hover_markdown(text: str, line: int, column: int, *, path: str = "-", findings: Iterable = (),
                   policies=None, documents: Iterable = (), data: Optional[dict] = None,
                   now: Optional[datetime] = None, config_globs: Optional[dict] = None,
                   document=None) -> Optional[Hover]:
    """Hover at a 1-based line and column; `findings` are the document's current findings and
    `document` the engine's reading of this same text when the caller has it (the check's):
    reading a large record again costs seconds."""
    shape = detected_layout(text, path=path, config_globs=config_globs)
    kind = shape.kind
    offset = texts.offset_of(shape.text, line, column)
    parts, where = [], None
    rules = policies.rules() if policies is not None else {}
    if document is not None and document.kind != kind:
        document = None
    for finding in findings:
        span = finding.span
        if span is None or not (span.start <= offset <= span.end):
            continue
        where = where or span
        if finding.rule in rules:
            policy, rule = rules[finding.rule]
            parts.append(rule_markdown(policy, rule, Severity(finding.severity).value))  # the level in force
            if document is None and kind:
                document = parse_document(text, path=path, kind=kind, config_globs=config_globs)
            if kind:
                parts.append(explanation_markdown(policy, rule, document, list(documents),
                                                  data if data is not None else policies.data, now))
        else:
            parts.append(engine_rule_markdown(finding.rule, Severity(finding.severity).value) or f"**{finding.rule}**")
    if kind:
        block = shape.block_at(offset)
        for label in block.labels:
            if label.start <= offset <= label.end:
                field = find_label(kind, block.name, label.name)
                if field is not None:
                    parts.insert(0, field_markdown(field))
                    where = where or texts.span(shape.text, label.start, label.end)
                break
            if label.value_start <= offset <= label.value_end:
                field = find_label(kind, block.name, label.name)
                value = shape.masked[label.value_start:label.value_end].strip()
                for allowed, description in (field.enum if field else ()):
                    if normalize_label(allowed) == normalize_label(value):
                        parts.insert(0, f"`{allowed}`: {description}")
                        where = where or texts.span(shape.text, label.value_start, label.value_end)
                break
    if not parts:
        return None
    return Hover("\n\n---\n\n".join(parts), where)
