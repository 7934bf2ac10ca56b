"""Where a finding points: the value a rule reads first, or its `target`, in the document.

Static: the first `doc.a.b` (or `item.x`) path in an expression, in source order, gives the
value a failing rule is about; a missing value falls back (through `Document.span_of`) to the
block where it belongs, then the title. Dynamic: a `target` that evaluates to a dict or list
of the document (an update, a checklist item, another document's data) is found by identity.
"""

from __future__ import annotations

from typing import Optional

from ..cel.ast import Node, selection_path, walk


def first_path(root: Node) -> Optional[tuple]:
    """(variable, path) of the first `doc...`/`item...` selection in source order, or None."""
    for node in walk(root):
        found = selection_path(node)
        if found is not None and found[0] in ("doc", "item"):
            return found
    return None


def identity_index(data) -> dict:
    """id(dict or list) -> its path in data, for finding targets and forEach items."""
    index: dict = {}
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            index[id(value)] = path
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            index[id(value)] = path
            stack.extend((path + (position,), item) for position, item in enumerate(value))
    return index

