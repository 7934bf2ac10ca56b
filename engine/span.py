"""Source positions shared by every layer: documents, policies and findings.

Columns count Unicode code points (not bytes, not UTF-16 units); the language server
converts to the client's encoding at its edge.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, count
from operator import add
from typing import NamedTuple

_new_tuple = tuple.__new__


class Span(NamedTuple):
    """A half-open range of text: code-point offsets plus 1-based line and column of both ends.

    A NamedTuple (not a dataclass) because spans are made by the thousand and imported on the
    cold path of every command.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def from_offsets(cls, text: str, start: int, end: int) -> "Span":
        """Build a span for text[start:end], computing lines and columns from the text."""
        line, column = line_column(text, start)
        end_line, end_column = line_column(text, end)
        return cls(start, end, line, column, end_line, end_column)

    def slice(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start:self.end]


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a code-point offset in text."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def line_starts(text: str | bytes) -> list:
    """The offset of each line's first character in a str (or of its first byte in bytes): 0,
    then one past each newline. Summed from the lines' lengths by C iterators, twice as fast as
    a loop of `find`s over a record's hundred lines."""
    lines = text.split("\n" if isinstance(text, str) else b"\n")
    starts = [0]
    starts += map(add, accumulate(map(len, lines[:-1])), count(1))
    return starts


class LineIndex:
    """Offsets <-> 1-based line/column for one text, in O(log n) per lookup.

    `Span.from_offsets` counts newlines from the start of the text on every call; extraction
    makes hundreds of spans per document and a report shows an excerpt per finding, so each
    builds the line table once.
    """

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def line_start(self, line0: int) -> int:
        """Offset of the first character of a 0-based line."""
        return self.starts[line0]

    def line_end(self, line0: int) -> int:
        """Offset just past the last character of a 0-based line (before its newline)."""
        if line0 + 1 < len(self.starts):
            return self.starts[line0 + 1] - 1
        return len(self.text)

    def span(self, start: int, end: int) -> Span:
        # Extraction makes a hundred spans a document, most within one line: the end's line is
        # the start's unless it reaches the next line's start (one search, not two), and the
        # tuple is built directly (NamedTuple's own __new__ is a Python call per span).
        starts = self.starts
        line = bisect_right(starts, start)
        end_line = line if line == len(starts) or end < starts[line] else bisect_right(starts, end)
        return _new_tuple(Span, (start, end, line, start - starts[line - 1] + 1, end_line,
                                 end - starts[end_line - 1] + 1))
