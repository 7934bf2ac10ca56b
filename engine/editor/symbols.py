"""Document outline: the sections and blocks of a Markdown document with their labels, and the
policies, variables and rules of a policy file.

Names come from the masked text and the schema's labels, so a secret never appears in the
outline.
"""

from __future__ import annotations

from typing import Optional

from . import text as texts
from ..limits import MAX_OUTLINE_SYMBOLS
from .layout import detected_layout
from .model import Symbol


def markdown_symbols(text: str, *, path: str = "-", config_globs: Optional[dict] = None,
                     limit: int = MAX_OUTLINE_SYMBOLS) -> list:
    """Headings nest by level; marker blocks sit under their heading; labels under their block.

    At most `limit` symbols, the first in document order: an outline of a record with tens of
    thousands of labels is of no use to anyone and was a 27 MB answer. Spans come from the
    layout's line index: counting lines from the start of the text for each label made the
    outline quadratic (minutes for 5 MB).
    """
    shape = detected_layout(text, path=path, config_globs=config_globs)
    masked, span = shape.masked, shape.index.span
    roots: list = []
    stack: list = []   # (level, node dict)
    budget = [limit]

    def node_for(block) -> dict:
        end = block.region_end if block.heading else block.content_end
        children = []
        budget[0] -= 1
        for label in block.labels[:max(budget[0], 0)]:
            value = " ".join(masked[label.value_start:min(label.value_end, label.value_start + 400)].split())
            children.append(Symbol(label.name, "field", span(label.line_start, label.line_end),
                                   span(label.start, label.end), value[:80]))
        budget[0] -= len(children)
        return {"block": block, "span": span(block.line_start, max(end, block.title_end)),
                "children": children}

    if shape.blocks and shape.blocks[0].labels:
        roots.append(node_for(shape.blocks[0]))
    for block in shape.blocks[1:]:
        if budget[0] <= 0:
            break
        node = node_for(block)
        level = block.level if block.heading else 99
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1]["children"] if stack else roots).append(node)
        if block.heading or not stack:  # marker blocks nest under a heading, else stand alone
            stack.append((level, node))

    def freeze(node) -> Symbol:
        if isinstance(node, Symbol):
            return node
        block = node["block"]
        name = masked[block.title_start:block.title_end].strip() or (block.name or "(text)")
        kind = "section" if block.heading else "block"
        return Symbol(name, kind, node["span"], span(block.title_start, block.title_end),
                      block.name or "", tuple(freeze(child) for child in node["children"]))

    return [freeze(node) for node in roots]


def policy_symbols(text: str, *, path: str) -> list:
    """A policy file's outline: its variables and rules (by name and id)."""
    from .yaml_position import load

    loaded = load(text, path)
    if loaded is None or not isinstance(loaded.data, dict):
        return []
    spec = loaded.data.get("spec")
    if not isinstance(spec, dict):
        return []
    symbols = []
    for group, key, kind in (("variables", "name", "variable"), ("rules", "id", "rule")):
        entries = spec.get(group)
        if not isinstance(entries, list):
            continue
        children = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get(key), str):
                continue
            whole = loaded.value_span(("spec", group, index))
            name = loaded.value_span(("spec", group, index, key))
            detail = entry.get("severity", "") if kind == "rule" else ""
            children.append(Symbol(entry[key], kind, whole, name, str(detail)))
        whole = loaded.value_span(("spec", group))
        label = loaded.key_span(("spec", group))
        if children and whole is not None and label is not None:
            start, end = min(label.start, whole.start), max(label.end, whole.end)
            symbols.append(Symbol(group, "list", texts.span(loaded.text, start, end), label, "",
                                  tuple(children)))
    return symbols
