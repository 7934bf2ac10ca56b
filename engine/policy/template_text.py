"""Findings that template text already explains: DOC002 says it once, the rules do not repeat it.

A placeholder is reported by DOC002 at its span. A rule's finding that points at it says the
same thing in other words (a value rule reading the placeholder as absent: "Severity is
missing"). A presence rule ("the update lacks Progress") counts a placeholder as present: asked
again with has() true for each placeholder's field, it passes (the finding is dropped) or names
only what is really missing. A block still the template's text (`documents/unfilled.py`) is
not seen by the rules; one finding says it is unfilled, and nothing else about its fields. A
rule that fails, but passes (or reads a placeholder's value) when that block is read as written
with its placeholders counted as present, fails for want of the block: its finding is dropped
and the block's DOC002 becomes an error naming the rule (an untouched template must not pass).
A block no rule needs yet (the resolution of a record just declared) keeps its DOC004, an info.
"""

from __future__ import annotations

from typing import Optional

from ..findings import Finding, Severity
from ..span import Span


def at_placeholder(document, span: Optional[Span]) -> bool:
    """Whether `span` lies within a placeholder DOC002 reports."""
    return span is not None and any(p.span.start <= span.start and span.end <= p.span.end
                                    for p in document.placeholders)


def placeholder_fields(document) -> frozenset:
    """(id(map), field) for each value a placeholder stands for, in the map rules read it from."""
    pairs = set()
    for placeholder in document.placeholders:
        *parent_path, field = placeholder.path
        try:
            parent = document.value_at(tuple(parent_path))
        except (KeyError, IndexError, TypeError):
            continue  # its item or block was left out altogether
        if isinstance(parent, dict) and isinstance(field, str) and field not in parent:
            pairs.add((id(parent), field))
    return frozenset(pairs)


def unfilled_block_finding(document, index: int, rules: list) -> Finding:
    """The one finding about an unfilled block rules need: DOC002, an error, at the block."""
    name, span = document.unfilled[index]
    needing = ", ".join(dict.fromkeys(rules))
    return Finding(rule="DOC002", severity=Severity.ERROR,
                   message=f"the {name} block is still the template's text: fill it in ({needing} "
                           f"{'needs' if len(set(rules)) == 1 else 'need'} it)",
                   path=document.path, span=span, kind=document.kind or "", document=document.id or document.path)


def settled(document_findings: list, rule_findings: list) -> list:
    """A document's own findings then the rules', without the unfilled block's DOC004 where the
    rules' run made that block a DOC002 error (one finding per block)."""
    needed = {(f.path, f.span) for f in rule_findings if f.rule == "DOC002"}
    return [f for f in document_findings if f.rule != "DOC004" or (f.path, f.span) not in needed] + rule_findings
