"""Showing a place in text to a person: the source line and a caret underline, safely.

Every front end that points at a span on a terminal (the `text` report format, `policy eval`'s
syntax errors) builds its excerpt here, so they agree. The excerpt is built in display columns,
not code points: tabs expand to a fixed tab stop, wide characters (CJK, the emoji of the incident
templates) take two cells and combining marks none, so the carets sit under the span. Control
characters (ANSI escapes, bidi overrides) are shown escaped and lone surrogates replaced: text
from a checked repository is never sent raw to the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Callable, NamedTuple, Optional

from .span import LineIndex, Span

TAB_WIDTH = 4
MAX_WIDTH = 120   # display cells of source shown on one excerpt line
CONTEXT = 24      # cells kept before the span when a long line is cut
ELLIPSIS = "…"
MAX_SHOWN = 4 * MAX_WIDTH  # code points shown at most: a run of zero-width marks is cut too

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")
"""Any character `_printable` refuses: one regex search tells almost every text it has none."""
_PLAIN = re.compile("[ -~]*")
"""Printable ASCII: a line of it shows as itself, one cell a character (no tab, no wide character)."""


class Excerpt(NamedTuple):
    """One source line as shown, and where its carets go (all in display cells)."""

    number: str    # the line number, for a gutter
    shown: str     # the line: tabs expanded, control characters escaped, a long line cut with `…`
    offset: int    # cells before the first caret
    width: int     # carets, at least one

    def underline(self, paint: Callable[[str], str] = str) -> str:
        """The caret line: spaces up to the span, then the carets (through `paint`, e.g. colour)."""
        return " " * self.offset + paint("^" * self.width)


class SourceLines:
    """One source's lines for excerpts: the line table is built once and each line's display
    cells are worked out once, so a report with a finding on every line of a long record (or
    many findings on one long line) reads the source a constant number of times, not once per
    finding."""

    __slots__ = ("source", "_index", "_line", "_cells")

    def __init__(self, source: str):
        self.source = source
        self._index: Optional[LineIndex] = None
        self._line = 0          # the line whose cells are kept
        self._cells: tuple = ()

    def excerpt(self, span: Span) -> Optional[Excerpt]:
        """The line where span starts and its carets, or None when that line is not in source.
        A multi-line span is underlined to the end of its first line; an empty span, or one at or
        past the end of its line, gets one caret after the line's last character."""
        if self._index is None:
            self._index = LineIndex(self.source)
        index = self._index
        if not 0 < span.line <= len(index.starts):
            return None
        if self._line != span.line:
            line = self.source[index.line_start(span.line - 1):index.line_end(span.line - 1)].removesuffix("\r")
            self._line, self._cells = span.line, (len(line), *_cells(line))
        length, cells, pos = self._cells
        start = min(max(span.column - 1, 0), length)
        end = span.end_column - 1 if span.end_line == span.line else length
        end = min(max(end, start), length)
        caret_start = pos[start]
        caret_end = max(pos[end], caret_start + 1)
        first, last = 0, length
        if pos[-1] > MAX_WIDTH:
            left = max(0, caret_start - CONTEXT)
            right = min(left + MAX_WIDTH, pos[-1])
            left = max(0, right - MAX_WIDTH)
            first = bisect_left(pos, left)
            last = min(bisect_right(pos, right, first) - 1, first + MAX_SHOWN)
        lead = ELLIPSIS if first > 0 else ""
        tail = ELLIPSIS if last < length else ""
        if last < length:
            caret_end = min(caret_end, pos[last])
        shown = lead + "".join(cells[first:last]) + tail
        offset = len(lead) + caret_start - pos[first]
        return Excerpt(str(span.line), shown, offset, max(caret_end - caret_start, 1))


def caret_excerpt(source: str, span: Span) -> Optional[Excerpt]:
    """The line of source where span starts and its carets (`SourceLines.excerpt`), for a
    single excerpt; a caller showing many over one source keeps a `SourceLines`."""
    return SourceLines(source).excerpt(span)


def _cells(line: str) -> tuple[list[str], list[int]]:
    """What each code point of line shows as, and the display column before each (plus end)."""
    if _PLAIN.fullmatch(line):
        return list(line), list(range(len(line) + 1))
    if "\t" not in line and _UNPRINTABLE.search(line) is None and _LONE_SURROGATE.search(line) is None:
        # shown as written (an emoji heading, accented names): only the widths need working out
        return list(line), [0, *accumulate(1 if char < "\x80" else _width(char) for char in line)]
    cells: list[str] = []
    pos = [0]
    column = 0
    for char in line:
        if char == "\t":
            shown = " " * (TAB_WIDTH - column % TAB_WIDTH)
            width = len(shown)
        else:
            shown = visible(char)
            width = _width(shown) if shown == char else len(shown)
        cells.append(shown)
        column += width
        pos.append(column)
    return cells, pos


def _width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def visible(text: str, keep: str = "") -> str:
    """text with control characters escaped (`\\x1b`, `\\u202e`) and lone surrogates replaced;
    the characters in `keep` (e.g. a tab) are left as they are."""
    text = encodable(text)
    if _UNPRINTABLE.search(text) is None or all(_printable(c, keep) for c in text):
        return text
    return "".join(c if _printable(c, keep) else _escape(c) for c in text)


def encodable(text: str) -> str:
    """Text that always encodes as UTF-8: lone surrogates (e.g. from undecodable file names)
    become U+FFFD, so no output can fail at write time."""
    if text.isascii():  # a flag of the string: a report of plain ASCII is not searched at all
        return text
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _printable(char: str, keep: str = "") -> bool:
    code = ord(char)
    if char in keep:
        return True
    return not (code < 0x20 or 0x7f <= code < 0xa0 or char in _BIDI_CONTROLS)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
