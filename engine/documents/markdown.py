"""Markdown to an outline of located lines: headings, paragraph lines, list items, table rows.

The block structure is parsed once per document (`blocks.py`: markdown-it-py, or markdown-it-pyrs
where it reads alike, one parser per process, inline parsing off); the entries are built from
the raw source lines, which keeps every offset exact whichever parser placed them. Template
blocks pasted inside a code fence (no info string, or `markdown`, `md`, `text`) are scanned
line by line as if they were plain Markdown, so they read the same as unfenced ones; their
entries say which fence they are in (`fence`), so detection can tell a document that is a chat
message pasted in a fence from one that quotes a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import FENCE, HEADING as HEADING_BLOCK, ITEM as ITEM_BLOCK, LIST_CLOSE, LIST_OPEN, PARAGRAPH, blocks

HEADING, LINE, ITEM, ROW = "heading", "line", "item", "row"
_TEXT_FENCES = frozenset({"", "markdown", "md", "text", "txt", "plain", "plaintext", "gfm"})

_PREFIX = re.compile(r"[ \t>]*")
_BULLET = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)(?:\[([ xX])\](?:[ \t]+|$))?")
_ATX_OPEN = re.compile(r"[ \t]{0,3}(#{1,6})(?=[ \t]|$)")
_FENCE_LINE_ITEM = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)(?:\[([ xX])\](?:[ \t]+|$))?")
_TABLE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?")
"""A table's delimiter row, matched on the line without its outer spaces (two runs of spaces
side by side in one pattern would backtrack over a long run quadratically)."""
_BLANK = " \t"


@dataclass(slots=True)
class Entry:
    """One located line of the outline.

    kind: heading | line (paragraph line) | item (first line of a list item) | row (table row).
    start/end: offsets of the content (after `#`, `>`, bullets and checkboxes; trailing
    spaces dropped). level: heading level, or list depth for items. para: paragraph number;
    consecutive lines of one paragraph (or one list item) share it. checked: the item's box.
    cells: (start, end) per table cell for rows; header: the row is a table's header.
    fence: 0 outside code fences, else the number of the text fence the line is in (1, 2...).
    """

    kind: str
    line: int
    start: int
    end: int
    level: int = 0
    para: int = 0
    checked: bool | None = None
    cells: tuple = ()
    header: bool = False
    fence: int = 0


def outline(text: str, index, body_start: int = 0, parse=None) -> list:
    """The located lines of `text` from offset `body_start` (after front matter); `parse`: how
    the body's blocks are read (`blocks.blocks` unless said)."""
    first_line = text.count("\n", 0, body_start) if body_start else 0
    body = text[body_start:] if body_start else text
    entries: list = []
    add = entries.append
    line_start = index.line_start
    line_end = index.line_end
    para = 0
    list_depth = 0
    pending_item = -1
    fences = 0
    for kind, first, last, detail in (parse or blocks)(body):
        if kind == PARAGRAPH:
            para += 1
            for offset in range(first, last):
                line = first_line + offset
                start, end = line_start(line), line_end(line)
                if offset == first and pending_item == first:
                    match = _BULLET.match(text, start, end)
                    checked = None
                    if match:
                        if match.group(1) is not None:
                            checked = match.group(1) != " "
                        start = match.end()
                    add(Entry(ITEM, line, start, _rstrip(text, start, end), list_depth - 1, para, checked))
                else:
                    start = _PREFIX.match(text, start, end).end()
                    if start < end:
                        add(Entry(LINE, line, start, _rstrip(text, start, end), 0, para))
            pending_item = -1
        elif kind == HEADING_BLOCK:
            line = first_line + first
            start, end = line_start(line), line_end(line)
            heading = atx_heading(text, start, end)
            if heading:
                start, end = heading[1], heading[2]
            else:  # setext: the text is the line itself
                start = _PREFIX.match(text, start, end).end()
                end = _rstrip(text, start, end)
            add(Entry(HEADING, line, start, end, detail))
        elif kind == ITEM_BLOCK:
            pending_item = first
            if not detail:  # an empty item or one that opens with another block
                line = first_line + first
                start, end = line_start(line), line_end(line)
                match = _BULLET.match(text, start, end)
                if match and match.end() >= _rstrip(text, start, end):
                    para += 1
                    checked = None if match.group(1) is None else match.group(1) != " "
                    add(Entry(ITEM, line, end, end, list_depth - 1, para, checked))
        elif kind == LIST_OPEN:
            list_depth += 1
        elif kind == LIST_CLOSE:
            list_depth -= 1
        elif kind == FENCE:
            if detail in _TEXT_FENCES:
                last_line = first_line + last - 1
                closing = line_end(last_line)
                fence_body_end = last - 1 if text[line_start(last_line):closing].strip().startswith(
                    ("```", "~~~")) and last - 1 > first else last
                fences += 1
                para = _scan_plain(text, index, first_line + first + 1, first_line + fence_body_end,
                                   entries, para, fences)
        else:  # ROW
            line = first_line + first
            start, end = line_start(line), line_end(line)
            add(Entry(ROW, line, start, end, cells=_cells(text, start, end), header=detail))
    return entries


def atx_heading(text: str, start: int, end: int):
    """(level, content start, content end) of an ATX heading line `## words ##`, else None; an
    empty heading (`#`, `## ##`) has an empty content range right after its opening `#`s.

    CommonMark's rule: up to three spaces, one to six `#`, then a space or the end; the content
    runs to an optional closing sequence of `#`s that follows a space, and trailing spaces. Read
    with one pattern for the opening and string scans for the rest, so a long line costs a
    constant number of passes over it (a lazy `(.*?)` before optional trailing runs does not).
    """
    opening = _ATX_OPEN.match(text, start, end)
    if opening is None:
        return None
    level, after = len(opening.group(1)), opening.end()
    body_end = after + len(text[after:end].rstrip(_BLANK))
    content = after + len(text[after:body_end]) - len(text[after:body_end].lstrip(_BLANK))
    closing = body_end - (len(text[content:body_end]) - len(text[content:body_end].rstrip("#")))
    if closing == content:  # nothing but `#`s after the opening: a closing sequence, or nothing
        return level, after, after
    if closing < body_end and text[closing - 1] in _BLANK:
        body_end = content + len(text[content:closing].rstrip(_BLANK))
    return level, content, body_end


def _strip(text: str, start: int, end: int) -> tuple:
    """(start, end) without the spaces and tabs at either end."""
    segment = text[start:end]
    stripped = segment.strip(_BLANK)
    start += len(segment) - len(segment.lstrip(_BLANK))
    return start, start + len(stripped)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\\":
        end -= 1
    return end


def _cells(text: str, start: int, end: int) -> tuple:
    cells = []
    position = text.find("|", start, end)
    if position == -1 or text[start:position].strip():
        position = start - 1
    while position < end:
        nxt = position + 1
        while True:
            nxt = text.find("|", nxt, end)
            if nxt == -1 or text[nxt - 1] != "\\":
                break
            nxt += 1
        if nxt == -1:
            nxt = end
        cell_start, cell_end = position + 1, nxt
        while cell_start < cell_end and text[cell_start] in " \t":
            cell_start += 1
        while cell_end > cell_start and text[cell_end - 1] in " \t":
            cell_end -= 1
        if nxt < end or cell_start < cell_end:
            cells.append((cell_start, cell_end))
        position = nxt
    return tuple(cells)


def _scan_plain(text: str, index, first: int, last: int, entries: list, para: int, fence: int) -> int:
    """Lines first..last-1 of text fence number `fence`, classified without a second Markdown parse."""
    add = entries.append
    fresh = True
    for line in range(first, last):
        start, end = index.line_start(line), index.line_end(line)
        end = _rstrip(text, start, end)
        if start == end or not text[start:end].strip():
            fresh = True
            continue
        heading = atx_heading(text, start, end)
        if heading and heading[1] < heading[2]:
            add(Entry(HEADING, line, heading[1], heading[2], heading[0], fence=fence))
            fresh = True
            continue
        item = _FENCE_LINE_ITEM.match(text, start, end)
        if item:
            para += 1
            checked = None if item.group(2) is None else item.group(2) != " "
            add(Entry(ITEM, line, item.end(), end, 1 if len(item.group(1)) >= 2 else 0, para, checked, fence=fence))
            fresh = False
            continue
        if _TABLE_ROW.match(text, start, end):
            if not _TABLE_RULE.fullmatch(text, *_strip(text, start, end)):
                add(Entry(ROW, line, start, end, cells=_cells(text, start, end), fence=fence))
            fresh = True
            continue
        if fresh:
            para += 1
            fresh = False
        add(Entry(LINE, line, _PREFIX.match(text, start, end).end(), end, 0, para, fence=fence))
    return para
