"""Where a finding points: the value a rule reads first, or its `target`, in the document.

Static: the first `doc.a.b` (or `item.x`) path in an expression, in source order, gives the
value a failing rule is about; a missing value falls back (through `Document.span_of`) to the
block where it belongs, then the title. Dynamic: a `target` that evaluates to a dict or list
of the document (an update, a checklist item, another document's data) is found by identity,
and one that evaluates to a field's value (a string, a time) at the selection it came from.

A selection may start from a value the rule built rather than from the document: `item[1].status`
where `forEach: pairs(...)` makes each item a new list of two updates. Such a path is followed
(`document_path`) until it reaches a dict or list of the document, and continues from there, so
the finding still sits on the status value rather than falling back to the title.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator, Optional

from ..cel.ast import Node, selection_path, walk


def selection_paths(root: Node) -> Iterator[tuple]:
    """(variable, path) of every `doc...`/`item...` selection, in source order."""
    for node in walk(root):
        found = selection_path(node)
        if found is not None and found[0] in ("doc", "item"):
            yield found


def path_holding(value, selections: tuple, data, item, identities: dict) -> Optional[tuple]:
    """The path in data of the selection (of an expression's `selection_paths`) whose value is
    `value` itself: a target such as `branch_ok ? doc.criterion : doc.branch` gives a string, and
    the field it came from is where the finding points. `item...` paths start at item (a part of
    data or a value built from its parts); None when no selection holds it."""
    for variable, path in selections:
        found = document_path(data if variable == "doc" else item, path, identities)
        if found is not None and value_at(data, found, _MISSING) is value:
            return found
    return None


def document_path(start, path: tuple, identities: dict) -> Optional[tuple]:
    """Where the value at `path` from `start` is in the document: from the last dict or list met
    on the way that belongs to the document (`identities`), the rest of the path appended. None
    when the way meets none (a value made up by the rule)."""
    found = identities.get(id(start)) if isinstance(start, (dict, list)) else None
    rest: tuple = ()
    current = start
    for key in path:
        current = value_at(current, (key,), _MISSING) if current is not _MISSING else _MISSING
        rest += (key,)
        if isinstance(current, (dict, list)) and id(current) in identities:
            found, rest = identities[id(current)], ()
    return found + rest if found is not None else None


def value_at(data, path: tuple, missing=None):
    """The value at path in nested dicts and lists, or `missing` when there is none."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return missing
    return data


_MISSING = object()


def identity_index(data) -> dict:
    """id(dict or list) -> its path in data, for finding targets and forEach items. Only
    containers are visited: a document is mostly strings, and a path built for each would cost
    more than the walk."""
    if not isinstance(data, (dict, list)):
        return {}
    index: dict = {}
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        index[id(value)] = path
        for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
            if type(item) not in _SCALARS and isinstance(item, (dict, list)):
                stack.append((path + (key,), item))
    return index


_SCALARS = frozenset({str, int, float, bool, type(None), datetime, timedelta})
"""The types of nearly every value of a document, told apart by one set look-up: the index is
built once per document judged, and its walk was a tenth of judging (benchmarks/README.md)."""
