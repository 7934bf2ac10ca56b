"""What a document lacks compared with its kind's template, and where each missing part goes.

Completion offers the missing sections and labels; code actions insert them. Both need the
same answers: which template sections have no block in the document, which labels a block
lacks, and the offset where inserting each keeps the template's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..documents.scopes import normalize_label
from .fields import find_label
from .layout import Block, Layout, template_labels, template_sections


@dataclass(frozen=True)
class Insertion:
    offset: int
    text: str           # ready to insert at offset (blank lines around it included)


def missing_sections(shape: Layout) -> list:
    """Template sections none of whose blocks the document has, in template order."""
    if not shape.kind:
        return []
    present = {block.name for block in shape.blocks if block.name}
    return [section for section in template_sections(shape.kind) if not set(section.names) & present]


def section_insertion(shape: Layout, section) -> Insertion:
    """Where a missing section goes: before the next template section the document has, else at the end."""
    sections = template_sections(shape.kind)
    later = [s for s in sections if s.order > section.order]
    for following in later:
        block = _outermost(shape, following.names)
        if block is not None:
            return Insertion(block.line_start, section.text.rstrip("\n") + "\n\n")
    end = len(shape.text.rstrip("\n"))
    body = section.text.rstrip("\n")
    return Insertion(end, "\n\n" + body if end else body + "\n")


def _outermost(shape: Layout, names) -> Optional[Block]:
    """The document's block holding a section of those names: the outermost heading around the
    first such block, below the title, else the block itself."""
    target = next((b for b in shape.blocks if b.name in names), None)
    if target is None:
        return None
    headings = [b for b in shape.blocks if b.heading]
    title = headings[0] if headings else None
    best = target
    for block in headings:
        if block is title or block.line_start > target.line_start:
            continue
        if block.region_end >= target.content_end and (best is target or block.level < best.level):
            best = block
    return best


def missing_labels(shape: Layout, block: Block) -> list:
    """The template's labels for this block's name that the block does not have (TemplateLabel)."""
    if not shape.kind:
        return []
    result = []
    for entry in template_labels(shape.kind):
        if entry.block != block.name:
            continue
        field = find_label(shape.kind, block.name, entry.label)
        names = field.names if field is not None else (normalize_label(entry.label),)
        if not block.has_label(names):
            result.append(entry)
    return result


def label_insertion(shape: Layout, block: Block, entry) -> Insertion:
    """Where a missing label line goes in its block: after the label written before it in the
    template, else after the block's heading or marker line."""
    previous = [t for t in template_labels(shape.kind) if t.block == block.name and t.order < entry.order]
    for earlier in reversed(previous):
        field = find_label(shape.kind, block.name, earlier.label)
        names = field.names if field is not None else (normalize_label(earlier.label),)
        written = block.label(names)
        if written is not None:
            return Insertion(written.line_end, "\n" + entry.line)
    text = shape.text
    title_line_end = text.find("\n", block.title_end)
    title_line_end = len(text) if title_line_end < 0 else title_line_end
    return Insertion(title_line_end, "\n" + entry.line)
