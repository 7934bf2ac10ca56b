"""Blocks still the template's: `policy new` text nobody has filled in yet.

A record started from `policy new incident` carries blocks for later (the update, the
resolution, the closing) whose fixed lines (`Status: CLOSED`) would otherwise read as facts.
A named block is unfilled when every line of it is a placeholder's or the template's own line
for a block of that name, and it holds a placeholder, or lines the template's block of that
name gives with placeholders (its blanks were deleted, not filled; an empty section is not
unfilled but empty): the rules do not see it (extraction skips it) and one DOC002 finding says so, instead of one per placeholder in it. A
fresh record whose `Closed: [TIMESTAMP]` line was deleted keeps only `Status: CLOSED` in its
closing block: still the template's text, so it closes nothing.
"""

from __future__ import annotations

import re
from functools import cache

from ..kinds import kind_named
from . import markdown, scopes
from .blocks import template_blocks
from .model import LineIndex
from .reader import prepare, read_front_matter
from .schemas import load_schema
from .templates import TEMPLATE_DIR
from .values import PLACEHOLDER

_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
"""Heading marks, emoji, emphasis and separators around a block's title words."""


@cache
def template_lines(kind: str) -> dict:
    """Block name -> the stripped lines the kind's templates write in blocks of that name, each
    placeholder as `BLANK`."""
    lines: dict = {}
    schema = load_schema(kind)
    for name in kind_named(kind).template_files:
        source = prepare((TEMPLATE_DIR / name).read_text(encoding="utf-8"))
        read_front_matter(source, source.text)
        text = source.text
        entries = markdown.outline(text, LineIndex(text), source.body_start, parse=template_blocks)
        structure = scopes.build(text, entries, schema)
        for scope in structure.scopes:
            if scope.name is not None:
                lines.setdefault(scope.name, set()).update(_blanked(line) for line in _lines(text, scope))
    return {name: frozenset(found) for name, found in lines.items()}


def unfilled_scopes(kind: str, text: str, structure) -> list:
    """The named scopes of `structure` that are still their template's text (see the module)."""
    known = template_lines(kind)
    found = []
    for scope in structure.scopes:
        if scope.name is None or scope.name not in known:
            continue
        template = known[scope.name]
        lines = []
        for line in _lines(text, scope):  # a filled block differs early: stop at its first own line
            line = _blanked(line)
            if line not in template:
                break
            lines.append(line)
        else:
            with_placeholder = any(BLANK in line for line in lines)
            emptied = len(lines) > 1 and any(BLANK in line for line in template)
            if with_placeholder or emptied:
                found.append(scope)
    return found


def block_name(text: str, scope) -> str:
    """How a finding names the block: its heading or marker words, without emoji or a placeholder."""
    words = _EDGES.sub("", PLACEHOLDER.sub("", text[scope.title_start:scope.title_end]))
    return " ".join(words.split())


BLANK = "\0"
"""What a placeholder becomes when lines are compared: a line is the template's when it is a
template line with its placeholders left or put in any others' place (`Due: [Date]` in a
filled action item is not)."""


def _blanked(line: str) -> str:
    return PLACEHOLDER.sub(BLANK, line) if "[" in line else line  # every placeholder has a `[`


def _lines(text: str, scope) -> list:
    end = max(scope.title_end, scope.content_end)
    return [line.strip() for line in text[scope.title_start:end].split("\n") if line.strip()]
