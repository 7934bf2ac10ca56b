"""Scopes: the blocks and sections of a document, each with its labels and list items.

A scope starts at a heading or at a block marker line (`🔄 INCIDENT UPDATE - 10:45`) and
runs to the next one. The kind's schema names scopes (`x-scopes`: a heading pattern, a
marker pattern, values the marker implies); scopes it does not name are kept unnamed. Labels
(`Label: v`, `**Label:** v`, `- **Label:** v`) belong to the scope they are written in, so the
same label in two blocks is normal; within one scope the first wins and a repeat is kept for
reporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType

from .markdown import HEADING, ITEM, LINE, ROW

_LEAD = re.compile(r"(?:[^\w\s\[]|_|\s|:[a-z0-9_+-]+:)*")
LABEL = re.compile(
    r"(?:\*\*|__)?(?P<label>[^\W\d_][\w/'’().&+ -]{0,60}?)[ \t]*"
    r"(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)|:)(?=[ \t]|$)[ \t]*")
_TRAIL_CHARS = " \t*_:"
"""What may follow a marker to the end of its line (emphasis, a colon, spaces): `[\\s*_:]`."""
_NO_CAPTURES = MappingProxyType({})
"""The captures of a line that is no marker (most lines): one shared, read-only map."""
MAX_TRAIL = 16
_TRAIL = f"[\\s*_:]{{0,{MAX_TRAIL}}}$"
"""A marker's tail, matched on the line cut `MAX_TRAIL` characters after its last other character
(`_marker_end`): bounded, so a lazy capture (`(?P<time>[^*]+?)`) tries the tail in constant work
at each of its characters instead of re-reading a long run of spaces at each one."""


@dataclass(slots=True)
class Label:
    """One `Label: value` line: where the label and its value are, and the items after it."""

    name: str
    start: int
    end: int
    value_start: int
    value_end: int
    para: int
    items: list = field(default_factory=list)


@dataclass(slots=True)
class Scope:
    """A heading's section or a marker's block."""

    name: str | None
    title_start: int
    title_end: int
    heading: bool = False
    level: int = 0
    captures: dict = field(default_factory=dict)
    implies: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)   # normalized label -> first Label
    label_order: list = field(default_factory=list)
    repeats: list = field(default_factory=list)  # (first Label, repeated Label)
    items: list = field(default_factory=list)    # top-level list items (Entry)
    rows: list = field(default_factory=list)     # table rows (Entry), header rows included
    content_start: int = -1
    content_end: int = -1

    def empty(self) -> bool:
        return self.content_start < 0


@dataclass(slots=True)
class Structure:
    """All scopes of a document for one kind's scope definitions, plus its headings."""

    scopes: list
    headings: list          # heading Entries in order
    title: tuple | None     # (start, end) of the first heading, else of the first line
    by_name: dict           # scope name -> [Scope]
    skipped: dict = field(default_factory=dict)   # scope name -> [Scope] left out of reading

    def without(self, left_out: list) -> "Structure":
        """The same structure with `left_out` scopes unread: still there for anchors and presence."""
        ids = {id(scope) for scope in left_out}
        skipped: dict = {}
        for scope in left_out:
            skipped.setdefault(scope.name, []).append(scope)
        by_name = {name: kept for name, found in self.by_name.items()
                   if (kept := [scope for scope in found if id(scope) not in ids])}
        return Structure([scope for scope in self.scopes if id(scope) not in ids], self.headings, self.title,
                         by_name, skipped)


@lru_cache(maxsize=4096)
def normalize_label(name: str) -> str:
    """Labels compare case-insensitively, ignoring spacing and apostrophe style. Cached: every
    record repeats the same few dozen labels (`Status`, `ETA`...) in every block."""
    return " ".join(name.replace("’", "'").lower().split())


@cache
def _compile(definitions: tuple) -> tuple:
    """(marker regex, [(group, name, capture names)], heading regex, [(group, name)])."""
    marker_parts, marker_groups, heading_parts, heading_groups = [], [], [], []
    for position, (name, marker, heading) in enumerate(definitions):
        if marker:
            group = f"m{position}"
            captures = re.findall(r"\(\?P<(\w+)>", marker)
            renamed = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{group}_{m.group(1)}>", marker)
            marker_parts.append(f"(?P<{group}>{renamed})")
            marker_groups.append((group, name, tuple(captures)))
        if heading:
            group = f"h{position}"
            heading_parts.append(f"(?P<{group}>{heading})")
            heading_groups.append((group, name))
    marker_rx = re.compile(f"(?:{'|'.join(marker_parts)}){_TRAIL}", re.I) if marker_parts else None
    heading_rx = re.compile("|".join(heading_parts), re.I) if heading_parts else None
    return marker_rx, marker_groups, heading_rx, heading_groups


def definitions_of(schema: dict) -> tuple:
    """The hashable form of a schema's `x-scopes` (name, marker, heading)."""
    return tuple((name, spec.get("marker"), spec.get("heading"))
                 for name, spec in schema.get("x-scopes", {}).items())


def build(text: str, entries: list, schema: dict) -> Structure:
    """Group the outline's entries into scopes by the schema's `x-scopes`."""
    scope_specs = schema.get("x-scopes", {})
    marker_rx, marker_groups, heading_rx, heading_groups = _compile(definitions_of(schema))
    root = Scope(None, 0, 0)
    scopes = [root]
    headings = []
    current = root
    last_label: Label | None = None
    last_item = None
    title = None
    label_match = LABEL.match
    lead_match = _LEAD.match
    for entry in entries:
        kind = entry.kind
        start, end = entry.start, entry.end
        if kind == HEADING:
            headings.append(entry)
            if title is None:
                title = (start, end)
            lead = lead_match(text, start, end).end()
            name, captures = _match_marker(marker_rx, marker_groups, text, lead, end)
            if name is None and heading_rx is not None:
                match = heading_rx.match(text, lead, end)
                if match:
                    name = next(n for g, n in heading_groups if match.group(g) is not None)
            current = Scope(name, start, end, True, entry.level, captures,
                            scope_specs.get(name, {}).get("implies", {}) if name else {})
            scopes.append(current)
            last_label, last_item = None, None
            continue
        if title is None:
            title = (start, end)
        if kind == ROW:
            current.rows.append(entry)
            _extend(current, start, end)
            continue
        if kind == LINE and marker_rx is not None:
            lead = lead_match(text, start, end).end()
            name, captures = _match_marker(marker_rx, marker_groups, text, lead, end)
            if name is not None:
                if current.heading and current.name == name and current.empty():
                    current.captures = captures
                else:
                    current = Scope(name, start, end, False, 0, captures,
                                    scope_specs.get(name, {}).get("implies", {}))
                    scopes.append(current)
                last_label, last_item = None, None
                continue
        _extend(current, start, end)
        label = None
        if entry.checked is None:
            match = label_match(text, start, end)
            if match is not None:
                name = match.group("label")
                if " - " not in name and not name.lower().startswith(("http", "www")):
                    label = Label(name.strip(), match.start("label"), match.start("label") + len(name.rstrip()),
                                  match.end(), end, entry.para)
                    key = normalize_label(label.name)
                    first = current.labels.get(key)
                    if first is None:
                        current.labels[key] = label
                        current.label_order.append(label)
                    else:
                        current.repeats.append((first, label))
        if kind == ITEM:
            if entry.level == 0:
                current.items.append(entry)
                if label is None and last_label is not None:
                    last_label.items.append(entry)
            last_item = entry
            if label is not None:
                last_label = label
        elif label is not None:
            last_label, last_item = label, None
        elif last_label is not None and last_label.para == entry.para:
            last_label.value_end = end  # a value continued on the next line
        elif last_item is not None and last_item.para == entry.para:
            last_item.end = end          # a list item continued on the next line
    by_name: dict = {}
    for scope in scopes:
        if scope.name is not None:
            by_name.setdefault(scope.name, []).append(scope)
    return Structure(scopes, headings, title, by_name)


def _extend(scope: Scope, start: int, end: int) -> None:
    if scope.content_start < 0:
        scope.content_start = start
    scope.content_end = end


def _marker_end(text: str, start: int, end: int) -> int:
    """end, or MAX_TRAIL characters after the line's last character that is not a tail character:
    the rest of the line is tail either way, and the bounded tail of the pattern reaches it."""
    last = end
    while last > start and (text[last - 1] in _TRAIL_CHARS or text[last - 1].isspace()):
        last -= 1
    return min(end, last + MAX_TRAIL)


def _match_marker(marker_rx, marker_groups, text: str, start: int, end: int):
    if marker_rx is None:
        return None, _NO_CAPTURES
    last = text[end - 1] if end > start else ""
    stop = _marker_end(text, start, end) if last in _TRAIL_CHARS or last.isspace() else end
    match = marker_rx.match(text, start, stop)
    if match is None:
        return None, _NO_CAPTURES
    for group, name, capture_names in marker_groups:
        if match.group(group) is not None:
            captures = {}
            for capture in capture_names:
                if match.group(f"{group}_{capture}") is not None:
                    captures[capture] = match.span(f"{group}_{capture}")
            return name, captures
    return None, {}


def heading_text(text: str, entry) -> tuple:
    """(start, end) of a heading's words: without a leading emoji, `**` or trailing colon."""
    start = _LEAD.match(text, entry.start, entry.end).end()
    end = entry.end
    while end > start and text[end - 1] in "*_: \t":
        end -= 1
    return start, end
