"""Rule-language trees as plain JSON data and back, for caches that must never execute what they read.

`to_data(node)` gives only dicts, lists, strings, numbers, booleans and None; `from_data(data)`
rebuilds nodes of the classes in `ast` and of nothing else, and raises `ValueError` on anything
it does not know. Unlike pickle, a cache file written by someone else can at worst hold a wrong
tree, never run code, and never a larger one than the parser accepts (`MAX_EXPRESSION_NODES`):
a bigger tree is refused like any other malformed entry.
"""

from __future__ import annotations

import base64
from typing import Any

from ..limits import MAX_EXPRESSION_NODES
from ..span import Span
from . import ast
from .values import UInt

_NODE_CLASSES = {cls.__name__: cls for cls in (ast.Literal, ast.Ident, ast.Select, ast.Call, ast.ListExpr,
                                               ast.MapExpr, ast.MessageExpr, ast.Comprehension)}


def span_to_data(span: Span | None) -> list | None:
    return None if span is None else list(span)


def span_from_data(data) -> Span | None:
    if data is None:
        return None
    if not isinstance(data, list) or len(data) != 6 or not all(type(part) is int for part in data):
        raise ValueError(f"not a span: {data!r}")
    return Span(*data)


def to_data(node: ast.Node) -> dict:
    extra = getattr(type(node), "_extra", ())
    return {"node": type(node).__name__, "span": span_to_data(node.span), "depth": node.depth,
            "fields": [_value_to_data(getattr(node, name)) for name in node._fields],
            "extra": [span_to_data(getattr(node, name)) for name in extra]}


def from_data(data, _count: list | None = None) -> ast.Node:
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_EXPRESSION_NODES:
        raise ValueError(f"a rule-language tree of more than {MAX_EXPRESSION_NODES} nodes")
    if not isinstance(data, dict) or data.get("node") not in _NODE_CLASSES:
        raise ValueError(f"not a rule-language node: {str(data)[:80]}")
    cls = _NODE_CLASSES[data["node"]]
    fields, extra = data.get("fields"), data.get("extra")
    names = getattr(cls, "_extra", ())
    if not isinstance(fields, list) or len(fields) != len(cls._fields) or not isinstance(extra, list) \
            or len(extra) != len(names) or type(data.get("depth")) is not int:
        raise ValueError(f"malformed {cls.__name__} node")
    node = cls.__new__(cls)
    node.span = span_from_data(data.get("span"))
    node.depth = data["depth"]
    for name, value in zip(cls._fields, fields):
        setattr(node, name, _value_from_data(value, count))
    for name, value in zip(names, extra):
        setattr(node, name, span_from_data(value))
    return node


def _value_to_data(value: Any):
    if isinstance(value, ast.Node):
        return to_data(value)
    if isinstance(value, tuple):
        return {"tuple": [_value_to_data(item) for item in value]}
    if type(value) is UInt:
        return {"uint": int(value)}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    if value is None or type(value) in (bool, int, float, str):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a rule-language tree")


def _value_from_data(data, count: list):
    if not isinstance(data, dict):
        if data is None or type(data) in (bool, int, float, str):
            return data
        raise ValueError(f"unexpected value in a tree: {str(data)[:80]}")
    if "node" in data:
        return from_data(data, count)
    if set(data) == {"tuple"} and isinstance(data["tuple"], list):
        return tuple(_value_from_data(item, count) for item in data["tuple"])
    if set(data) == {"uint"} and type(data["uint"]) is int:
        return UInt(data["uint"])
    if set(data) == {"bytes"} and isinstance(data["bytes"], str):
        return base64.b64decode(data["bytes"], validate=True)
    raise ValueError(f"unexpected value in a tree: {str(data)[:80]}")
