"""A document's blocks as the editor needs them: where each heading section and marker block
starts and ends, and the labels written in it, over the masked text (secrets never leak).

Extraction keeps values and their spans but not the blocks themselves; completion, code
actions and the outline need the blocks, so this module rebuilds them with the same engine
steps (`markdown.outline`, `scopes.build`) the extractor used, for the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from ..documents import schema_for, template_for
from ..documents.discovery import DocumentGlobs
from ..documents.markdown import outline
from ..documents.model import LineIndex
from ..documents.reader import prepare, read_front_matter
from ..documents.scopes import build, heading_text, normalize_label
from ..documents.secrets import mask, scan
from ..kinds import FILE_KINDS
from ..limits import MAX_RECENT_LAYOUT_CHARS, MAX_RECENT_LAYOUTS
from .recent import RecentResults


@dataclass
class LabelLine:
    name: str
    start: int            # the label's first character
    end: int              # just past the label's name
    value_start: int
    value_end: int
    line_start: int       # start of the line the label is on
    line_end: int         # end of the last line of its value (before the newline)


@dataclass
class Block:
    """A heading's section or a marker's block (the engine's `Scope`), located for editing."""

    name: Optional[str]   # the schema's scope name, None for an unnamed section
    heading: bool
    level: int            # heading level (0 for marker blocks and the text before any heading)
    title_start: int      # the heading's or marker line's words
    title_end: int
    line_start: int       # start of the heading or marker line
    content_end: int      # end of the block's own last line
    labels: list = field(default_factory=list)
    items: list = field(default_factory=list)   # (start, end, checked) of top-level list items
    region_end: int = 0   # end of the section including the blocks nested under a heading

    def has_label(self, names) -> bool:
        wanted = set(names)
        return any(normalize_label(label.name) in wanted for label in self.labels)

    def label(self, names) -> Optional[LabelLine]:
        wanted = set(names)
        return next((label for label in self.labels if normalize_label(label.name) in wanted), None)


@dataclass
class Layout:
    text: str             # the text as the engine reads it (line endings normalized)
    masked: str           # the same with every detected secret replaced by `█`
    kind: Optional[str]
    body_start: int
    blocks: list          # in document order; blocks[0] is the text before the first heading
    index: LineIndex

    def block_at(self, offset: int) -> Block:
        """The innermost block holding offset (the text before any heading: blocks[0])."""
        found = self.blocks[0]
        for block in self.blocks[1:]:
            if block.line_start <= offset:
                found = block
            else:
                break
        return found


def detected_layout(text: str, *, path: str = "-", config_globs=None) -> Layout:
    """The blocks of `text` as the kind the engine detects for it (one Markdown parse, no
    extraction: what completion and the outline need, at the cost of the detection alone).

    Read once per text and shared (`recent.RecentResults`): an editor asks completion, hover,
    symbols and actions about the same version of a document, and a layout is read-only.
    """
    globs = config_globs if isinstance(config_globs, DocumentGlobs) else DocumentGlobs.of(config_globs)
    key = (text, path, globs)
    return _RECENT_LAYOUTS.get(key, len(text), lambda: layout(text, None, detect=True, path=path,
                                                              config_globs=globs))


_RECENT_LAYOUTS = RecentResults(MAX_RECENT_LAYOUTS, MAX_RECENT_LAYOUT_CHARS)


def layout(text: str, kind: Optional[str], *, detect: bool = False, path: str = "-",
           config_globs=None) -> Layout:
    """The blocks of `text` read as a document of `kind` (None: headings only, unless `detect`);
    `config_globs` as `detect` takes them."""
    from ..documents.detect import detect as detect_kind

    source = prepare(text)
    plain = source.text if source.readable else text.replace("\r\n", "\n")
    index = LineIndex(plain)
    masked = mask(plain, scan(plain, index))
    read_front_matter(source, masked)
    entries = outline(masked, index, source.body_start)
    structures: dict = {}
    if kind is None and detect and source.readable:
        kind, _ = detect_kind(masked, entries, path=path, front_matter=source.front_matter,
                              config_globs=config_globs, structures=structures)
        if kind not in FILE_KINDS:
            kind = None
    schema = schema_for(kind) if kind else {}
    structure = structures.get(kind) or build(masked, entries, schema)
    blocks = []
    headings = {entry.start: entry for entry in structure.headings}
    for scope in structure.scopes:
        if scope is structure.scopes[0]:
            start = end = source.body_start
            title = (start, start)
        else:
            start = index.line_start(index.span(scope.title_start, scope.title_start).line - 1)
            title = heading_text(masked, headings[scope.title_start]) if scope.heading else \
                (scope.title_start, scope.title_end)
            end = scope.title_end
        if scope.content_end > end:
            end = scope.content_end
        block = Block(scope.name, scope.heading, scope.level, title[0], title[1], start, end)
        for label in scope.label_order:
            line = index.span(label.start, label.start).line - 1
            last = index.span(label.value_end, label.value_end).line - 1
            block.labels.append(LabelLine(label.name, label.start, label.end, label.value_start, label.value_end,
                                          index.line_start(line), index.line_end(last)))
        for item in scope.items:
            block.items.append((item.start, item.end, item.checked))
        blocks.append(block)
    for position, block in enumerate(blocks):
        block.region_end = block.content_end
        for later in blocks[position + 1:]:
            if later.heading and (not block.heading or later.level <= block.level):
                break
            if not later.heading and not block.heading:
                break
            block.region_end = max(block.region_end, later.content_end)
    return Layout(plain, masked, kind, source.body_start, blocks, index)


@dataclass(frozen=True)
class TemplateSection:
    """One section of a kind's template: its text and the block names it holds."""

    heading: str          # the section heading's words (or the first line's)
    text: str             # the section as the template writes it, ending with a newline
    names: tuple          # scope names of the blocks inside it
    order: int


@dataclass(frozen=True)
class TemplateLabel:
    block: Optional[str]  # scope name of the block it is written in
    label: str
    line: str             # the whole template line, e.g. `Severity: [CRITICAL/HIGH/MEDIUM]`
    order: int


@cache
def template_layout(kind: str) -> Layout:
    return layout(template_for(kind), kind)


@cache
def template_sections(kind: str) -> tuple:
    """The template cut at its top headings (the shallowest level after the title)."""
    shape = template_layout(kind)
    text = shape.masked
    headings = [b for b in shape.blocks[1:] if b.heading]
    if len(headings) < 2:
        return ()
    top = min(b.level for b in headings[1:])
    cuts = [b for b in headings[1:] if b.level == top]
    sections = []
    title = headings[0]
    lead = [b for b in shape.blocks if title.line_start < b.line_start < cuts[0].line_start and b.name]
    if lead and title.name is None:  # blocks under the title, before the first section (a declaration)
        first = lead[0]
        body = text[first.line_start:cuts[0].line_start].rstrip("\n") + "\n"
        sections.append(TemplateSection(text[first.title_start:first.title_end], body,
                                        tuple(b.name for b in lead), -1))
    for order, block in enumerate(cuts):
        position = shape.blocks.index(block)
        nxt = next((b for b in cuts if b.line_start > block.line_start), None)
        end = nxt.line_start if nxt is not None else len(text)
        names = tuple(b.name for b in shape.blocks[position:] if b.name and b.line_start < end)
        body = text[block.line_start:end].rstrip("\n") + "\n"
        sections.append(TemplateSection(text[block.title_start:block.title_end], body, names, order))
    return tuple(sections)


@cache
def template_labels(kind: str) -> tuple:
    """Every `Label: value` line of the template with the block it is in, in order."""
    shape = template_layout(kind)
    result = []
    for block in shape.blocks:
        for label in block.labels:
            result.append(TemplateLabel(block.name, label.name, shape.masked[label.line_start:label.line_end],
                                        len(result)))
    return tuple(result)


@cache
def template_checklists(kind: str) -> tuple:
    """(block name, the checklist line as written) for every `- [ ]` line of the template."""
    shape = template_layout(kind)
    result = []
    for block in shape.blocks:
        for start, end, checked in block.items:
            if checked is not None:
                line_start = shape.masked.rfind("\n", 0, start) + 1
                result.append((block.name, shape.masked[line_start:end]))
    return tuple(result)


__all__ = ["Block", "LabelLine", "Layout", "layout", "template_sections", "template_labels",
           "template_checklists", "template_layout"]
