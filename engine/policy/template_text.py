"""Findings that template text already explains: DOC002 says it once, the rules do not repeat it.

A placeholder is reported by DOC002 at its span. A rule's finding that points at it says the
same thing in other words (a value rule reading the placeholder as absent: "Severity is
missing"). A presence rule ("the update lacks Progress") counts a placeholder as present: asked
again with has() true for each placeholder's field, it passes (the finding is dropped) or names
only what is really missing. A block still the template's text is different: the rules do not
see it at all, so what they find missing there stays a finding (an untouched template must not
pass), next to the one DOC002 that says the block is unfilled.
"""

from __future__ import annotations

from typing import Optional

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
