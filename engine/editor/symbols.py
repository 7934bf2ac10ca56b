"""Document outline: the sections and blocks of a Markdown document with their labels, and the
policies, variables and rules of a policy file.

Names come from the masked text and the schema's labels, so a secret never appears in the
outline.
"""

from __future__ import annotations

from typing import Optional

from . import text as texts
from .layout import detected_layout
from .model import Symbol


def markdown_symbols(text: str, *, path: str = "-", config_globs: Optional[dict] = None) -> list:
    """Headings nest by level; marker blocks sit under their heading; labels under their block."""
    shape = detected_layout(text, path=path, config_globs=config_globs)
    source, masked = shape.text, shape.masked
    roots: list = []
    stack: list = []   # (level, node dict)

    def node_for(block) -> dict:
        end = block.region_end if block.heading else block.content_end
        children = []
        for label in block.labels:
            value = " ".join(masked[label.value_start:label.value_end].split())
            children.append(Symbol(label.name, "field", texts.span(source, label.line_start, label.line_end),
                                   texts.span(source, label.start, label.end), value[:80]))
        return {"block": block, "span": texts.span(source, block.line_start, max(end, block.title_end)),
                "children": children}

    for block in shape.blocks[1:]:
        node = node_for(block)
        level = block.level if block.heading else 99
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1]["children"] if stack else roots).append(node)
        if block.heading or not stack:  # marker blocks nest under a heading, else stand alone
            stack.append((level, node))
    if shape.blocks and shape.blocks[0].labels:
        roots.insert(0, node_for(shape.blocks[0]))

    def freeze(node) -> Symbol:
        if isinstance(node, Symbol):
            return node
        block = node["block"]
        name = masked[block.title_start:block.title_end].strip() or (block.name or "(text)")
        kind = "section" if block.heading else "block"
        return Symbol(name, kind, node["span"], texts.span(source, block.title_start, block.title_end),
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
