"""Where a finding points: the value a rule reads first, or its `target`, in the document.

Static: the first `doc.a.b` (or `item.x`) path in an expression, in source order, gives the
value a failing rule is about; a missing value falls back (through `Document.span_of`) to the
block where it belongs, then the title. Dynamic: a `target` that evaluates to a dict or list
of the document (an update, a checklist item, another document's data) is found by identity.
"""

from __future__ import annotations

from typing import Optional

from ..cel.ast import Call, Ident, Literal, Node, Select, children


def first_path(root: Node) -> Optional[tuple]:
    """(variable, path) of the first `doc...`/`item...` selection in source order, or None."""
    for node in _source_order(root):
        found = _selection(node)
        if found is not None and found[0] in ("doc", "item"):
            return found
    return None


def _source_order(root: Node):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def _selection(node: Node) -> Optional[tuple]:
    """`doc.a[0].b` as ("doc", ("a", 0, "b")); None when node is not such a chain."""
    path = []
    while True:
        if isinstance(node, Select):
            path.append(node.field)
            node = node.operand
        elif isinstance(node, Call) and node.function == "_[_]" and node.target is None \
                and isinstance(node.args[1], Literal) and node.args[1].type_name in ("int", "string"):
            path.append(node.args[1].value)
            node = node.args[0]
        elif isinstance(node, Ident):
            return node.name, tuple(reversed(path))
        else:
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

