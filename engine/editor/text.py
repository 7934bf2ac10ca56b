"""Positions in an editor's text: a 1-based line and code-point column <-> an offset.

The language server converts the client's (UTF-16) positions to these at its edge; every
service here takes `line` and `column` as the engine counts them.
"""

from __future__ import annotations

import re

from ..span import Span

_WORD = re.compile(r"[A-Za-z0-9_]")


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column, clamped to the line (and to the text)."""
    start = 0
    for _ in range(max(line, 1) - 1):
        newline = text.find("\n", start)
        if newline < 0:
            return len(text)
        start = newline + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return min(start + max(column, 1) - 1, end)


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """(start, end) offsets of the line holding offset, without its newline."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def span(text: str, start: int, end: int | None = None) -> Span:
    return Span.from_offsets(text, start, start if end is None else end)


def word_bounds(text: str, offset: int, pattern=_WORD) -> tuple[int, int]:
    """(start, end) of the run of word characters around offset (empty when none)."""
    start = offset
    while start > 0 and pattern.match(text[start - 1]):
        start -= 1
    end = offset
    while end < len(text) and pattern.match(text[end]):
        end += 1
    return start, end
