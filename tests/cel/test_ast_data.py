"""Rule-language trees as JSON data: every node kind and literal type survives the round trip
with its spans, and anything that is not a known node is refused."""

from __future__ import annotations

import json

import pytest

from hotfix_policy.engine.cel import parse
from hotfix_policy.engine.cel.ast_data import from_data, to_data

EXPRESSION = ("has(doc.x) && [1, 2u, 3.5, b'\\xff', 'é', null, true].exists(i, i == 2u) "
              "&& {'a': doc.y.size()}['a'] > -1 ? doc.items.map(i, i.n).filter(n, n > 0) : dyn(doc)")


def _spans(node, out=None):
    out = [] if out is None else out
    out.append((type(node).__name__, node.span, node.depth, getattr(node, "field_span", None),
                getattr(node, "name_span", None)))
    for name in node._fields:
        value = getattr(node, name)
        for item in (value if isinstance(value, tuple) else (value,)):
            for part in (item if isinstance(item, tuple) else (item,)):
                if hasattr(part, "_fields"):
                    _spans(part, out)
    return out


def test_every_node_kind_round_trips_through_json_with_its_spans():
    tree = parse(EXPRESSION)
    restored = from_data(json.loads(json.dumps(to_data(tree))))
    assert restored == tree
    assert _spans(restored) == _spans(tree)
    assert {kind for kind, *_ in _spans(tree)} >= {"Literal", "Ident", "Select", "Call", "ListExpr", "MapExpr",
                                                   "Comprehension"}


@pytest.mark.parametrize("data", [
    ["Popen", 1, None],
    ["Ident", 1, None, {"__reduce__": "os.system"}],
    ["Ident", 1, [1, 2], "x"],
    ["Ident", "1", None, "x"],
    ["Ident"],
    {"node": "Ident"},
    ["Call", 1, None, "f", {"t": [["Ident", 1, None, "x"]], "extra": 1}, None, None],
])
def test_anything_but_a_known_node_is_refused(data):
    with pytest.raises(ValueError):
        from_data(data)
