"""Source positions shared by every layer: documents, policies and findings.

Columns count Unicode code points (not bytes, not UTF-16 units); the language server
converts to the client's encoding at its edge.
"""

from __future__ import annotations

from typing import NamedTuple


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
