"""Re-scanning a YAML scalar's source so each character of its loaded value maps back to the file.

ruamel.yaml gives a scalar's start and end; the characters in between follow YAML 1.2's rules
for the scalar's style (escapes in double quotes, `''` in single quotes, line folding in plain
and folded scalars, indentation and chomping in block scalars). `scalar_map` replays those
rules and returns, for every character of the value, the file offsets it came from; the caller
compares the replay with ruamel's value and falls back to the whole scalar when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
    "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _line_break(text: str, i: int) -> tuple[str, int] | None:
    """The line break at text[i] as (what YAML reads it as, its length), or None."""
    if i >= len(text):
        return None
    char = text[i]
    if char == "\r":
        return ("\n", 2) if text.startswith("\n", i + 1) else ("\n", 1)
    if char == "\n" or char == "\x85":
        return ("\n", 1)
    if char == "\u2028" or char == "\u2029":
        return (char, 1)
    return None


class Mapped:
    """A string being rebuilt from source, each character with the file range it came from."""

    __slots__ = ("chars", "starts", "ends")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, char: str, start: int, end: int) -> None:
        self.chars.append(char)
        self.starts.append(start)
        self.ends.append(end)

    def add_source(self, text: str, start: int, end: int) -> None:
        for offset in range(start, end):
            self.add(text[offset], offset, offset + 1)


def _fold(out: Mapped, first: tuple[str, int, int], breaks: list) -> None:
    """Line folding shared by plain and quoted scalars.

    `first` is the line break ending a line of content, `breaks` the breaks of the empty lines
    after it. One break folds to a space (mapped to the break itself); with empty lines, each
    empty line gives a newline and the first break vanishes. A Unicode line/paragraph separator
    is kept as itself.
    """
    char, start, end = first
    if char != "\n":
        out.add(char, start, end)
    elif not breaks:
        out.add(" ", start, end)
    for item in breaks:
        out.add(*item)


def _collect_breaks(text: str, i: int, stop: int, blanks: str) -> tuple[list, int]:
    """Skip `blanks` and collect the line breaks of empty lines from i; returns (breaks, i)."""
    breaks = []
    while i < stop:
        if text[i] in blanks:
            i += 1
            continue
        found = _line_break(text, i)
        if found is None:
            break
        breaks.append((found[0], i, i + found[1]))
        i += found[1]
    return breaks, i


def _blanks_or_fold(out: Mapped, text: str, i: int, stop: int, blanks: str) -> int:
    """At blanks or a line break inside a plain or quoted scalar; returns where to go on.

    Blanks inside a line are content; blanks that end a line go, and the line break with the
    empty lines after it fold (`_fold`).
    """
    j = i
    while j < stop and text[j] in blanks:
        j += 1
    found = _line_break(text, j) if j < stop else None
    if found is None:
        out.add_source(text, i, j)
        return j
    breaks, after = _collect_breaks(text, j + found[1], stop, blanks)
    _fold(out, (found[0], j, j + found[1]), breaks)
    return after


def _scan_plain(text: str, start: int, stop: int) -> Mapped:
    out = Mapped()
    i = start
    while i < stop:
        char = text[i]
        if char == " " or _line_break(text, i):
            i = _blanks_or_fold(out, text, i, stop, " ")
        else:
            out.add(char, i, i + 1)
            i += 1
    return out


def _scan_quoted(text: str, start: int, stop: int) -> Mapped | None:
    """A single- or double-quoted scalar at text[start:stop], quotes included."""
    quote = text[start]
    double = quote == '"'
    if stop - start < 2 or text[stop - 1] != quote:
        return None
    out = Mapped()
    i, end = start + 1, stop - 1
    while i < end:
        char = text[i]
        if not double and char == "'":
            if text[i + 1:i + 2] != "'":
                return None
            out.add("'", i, i + 2)
            i += 2
        elif double and char == "\\":
            escape = text[i + 1:i + 2]
            if escape in _SIMPLE_ESCAPES:
                out.add(_SIMPLE_ESCAPES[escape], i, i + 2)
                i += 2
            elif escape in _HEX_ESCAPES:
                digits = text[i + 2:i + 2 + _HEX_ESCAPES[escape]]
                if len(digits) != _HEX_ESCAPES[escape] or not set(digits) <= _HEX_DIGITS:
                    return None
                out.add(chr(int(digits, 16)), i, i + 2 + len(digits))
                i += 2 + len(digits)
            else:
                found = _line_break(text, i + 1)
                if found is None:
                    return None
                # An escaped line break joins the lines: it and the next line's indentation
                # give nothing; empty lines after it still give newlines.
                breaks, i = _collect_breaks(text, i + 1 + found[1], end, " \t")
                for item in breaks:
                    out.add(*item)
        elif char in " \t" or _line_break(text, i):
            i = _blanks_or_fold(out, text, i, end, " \t")
        else:
            out.add(char, i, i + 1)
            i += 1
    return out


@dataclass
class _BlockHeader:
    folded: bool
    chomping: str  # "strip", "clip" or "keep"
    increment: int | None
    indicator_end: int  # just after the indicators
    body: int  # first offset after the header line


def _block_header(text: str, start: int) -> _BlockHeader | None:
    folded = text[start] == ">"
    i = start + 1
    chomping, increment = "clip", None
    for _ in range(2):
        char = text[i:i + 1]
        if char in ("+", "-") and char:
            chomping = "keep" if char == "+" else "strip"
            i += 1
        elif char.isdigit() and char != "0" and increment is None and char.isascii():
            increment = int(char)
            i += 1
    indicator_end = i
    while text[i:i + 1] == " ":
        i += 1
    if text[i:i + 1] == "#":
        while i < len(text) and _line_break(text, i) is None:
            i += 1
    found = _line_break(text, i)
    if found is not None:
        i += found[1]
    elif i < len(text):
        return None
    return _BlockHeader(folded, chomping, increment, indicator_end, i)


def _column_after(text: str, i: int, j: int, column: int) -> int:
    """The scanner's column after reading text[i:j] from `column`.

    ruamel (YAML 1.2) restarts the column only at `\n` and a lone `\r`; NEL and the Unicode
    separators end a line of a scalar yet count as a column, and a BOM counts as nothing.
    Block scalar indentation depends on it, so the re-scan counts the same way.
    """
    for k in range(i, j):
        char = text[k]
        if char == "\n" or (char == "\r" and not text.startswith("\n", k + 1)):
            column = 0
        elif char != "\ufeff":
            column += 1
    return column


def _column_at(text: str, i: int) -> int:
    line_start = i
    while line_start > 0:
        char = text[line_start - 1]
        if char == "\n" or (char == "\r" and not text.startswith("\n", line_start)):
            break
        line_start -= 1
    return _column_after(text, line_start, i, 0)


def _skip_indent(text: str, i: int, column: int, indent: int) -> tuple[int, int]:
    while column < indent and text[i:i + 1] == " ":
        i += 1
        column += 1
    return i, column


def _block_breaks(text: str, i: int, column: int, indent: int) -> tuple[list, int, int]:
    """Empty lines (up to `indent` spaces) after a block scalar line: (breaks, i, column)."""
    breaks = []
    i, column = _skip_indent(text, i, column, indent)
    while (found := _line_break(text, i)) is not None:
        breaks.append((found[0], i, i + found[1]))
        column = _column_after(text, i, i + found[1], column)
        i, column = _skip_indent(text, i + found[1], column, indent)
    return breaks, i, column


def _at_document_marker(text: str, i: int) -> bool:
    return (text.startswith(("---", "..."), i)
            and (i + 3 >= len(text) or text[i + 3] in " \t\r\n\x85\u2028\u2029"))


def _scan_block_body(text: str, header: _BlockHeader, indent: int | None, top_level: bool,
                     column: int) -> tuple[Mapped, int]:
    """The block scalar's content for one indentation; returns (mapped value, content end).

    `indent` None means "detect from the first non-empty line". The loop follows the YAML 1.2
    rules as ruamel implements them (including its reading of the ambiguous folding rules).
    """
    out = Mapped()
    i = header.body
    if indent is None:
        breaks, highest = [], 0
        while i < len(text):
            if text[i] == " ":
                i += 1
                column += 1
                highest = max(highest, column)
                continue
            found = _line_break(text, i)
            if found is None:
                break
            breaks.append((found[0], i, i + found[1]))
            column = _column_after(text, i, i + found[1], column)
            i += found[1]
        indent = highest
    else:
        breaks, i, column = _block_breaks(text, i, column, indent)
    content_end = header.indicator_end
    line_break = None
    while column == indent and i < len(text):
        for item in breaks:
            out.add(*item)
        leading_non_space = text[i] not in " \t"
        j = i
        while j < len(text) and _line_break(text, j) is None:
            j += 1
        out.add_source(text, i, j)
        if j > i:
            content_end = j
        column = _column_after(text, i, j, column)
        i = j
        found = _line_break(text, i)
        line_break = None
        if found is not None:
            line_break = (found[0], i, i + found[1])
            column = _column_after(text, i, i + found[1], column)
            i += found[1]
        breaks, i, column = _block_breaks(text, i, column, indent)
        if top_level and column == 0 and _at_document_marker(text, i):
            break
        if column == indent and i < len(text):
            if (header.folded and line_break is not None and line_break[0] == "\n"
                    and leading_non_space and text[i] not in " \t"):
                if not breaks:
                    out.add(" ", line_break[1], line_break[2])
            elif line_break is not None:
                out.add(*line_break)
        else:
            break
    if header.chomping != "strip" and line_break is not None:
        out.add(*line_break)
    if header.chomping == "keep":
        for item in breaks:
            out.add(*item)
    return out, content_end


def _scan_block(text: str, start: int, expected: str,
                top_level: bool) -> tuple[Mapped | None, int | None]:
    header = _block_header(text, start)
    if header is None:
        return None, None
    indicator_column = _column_at(text, start)
    body_column = _column_after(text, start, header.body, indicator_column)
    if header.increment is None:
        candidates: list[int | None] = [None, 10 ** 9]  # detected, or no content at all
    else:
        # The indentation is the parent's plus the indicator; the parent's is at most the
        # indicator's column, so try each possibility and keep the one that reproduces ruamel.
        candidates = list(range(max(header.increment, 1), indicator_column + header.increment + 2))
    for indent in candidates:
        out, content_end = _scan_block_body(text, header, indent, top_level, body_column)
        if "".join(out.chars) == expected:
            return out, content_end
    return None, None


def skip_properties(text: str, start: int, stop: int) -> int:
    """Past a node's anchor and tag (`&a`, `!!str`, `!<tag:x>`) to where its content starts."""
    i = start
    while i < stop and text[i] in "&!":
        if text.startswith("!<", i):
            close = text.find(">", i)
            i = close + 1 if close >= 0 else stop
        else:
            while i < stop and text[i] not in " \t\r\n\x85\u2028\u2029":
                i += 1
        while i < stop:
            if text[i] in " \t":
                i += 1
            elif (found := _line_break(text, i)) is not None:
                i += found[1]
            elif text[i] == "#":
                while i < stop and _line_break(text, i) is None:
                    i += 1
            else:
                break
    return i


def scalar_map(text: str, node: Any, top_level: bool) -> tuple[Mapped | None, int, int]:
    """Re-scan a scalar node: (mapping or None, content start, content end)."""
    start = skip_properties(text, node.start_mark.index, node.end_mark.index)
    stop = node.end_mark.index
    style = node.style
    expected = node.value
    if start >= stop and not expected:
        return Mapped(), start, start
    try:
        if style in ("'", '"'):
            out = _scan_quoted(text, start, stop)
            end = stop
        elif style in ("|", ">"):
            out, end = _scan_block(text, start, expected, top_level)
            if end is None:
                end = stop
                while end > start and text[end - 1] in " \t\r\n":
                    end -= 1
        else:
            out = _scan_plain(text, start, stop)
            end = stop
    except (IndexError, ValueError):  # a malformed re-scan only loses precision, never the load
        out, end = None, stop
    if out is not None and "".join(out.chars) != expected:
        out = None
    return out, start, end
