"""Rule-language trees as plain JSON data and back, for caches that must never execute what they read.

`to_data(node)` gives only lists, dicts, strings, numbers, booleans and None; `from_data(data)`
rebuilds nodes of the classes in `ast` and of nothing else, and raises `ValueError` on anything
it does not know. Unlike pickle, a cache file written by someone else can at worst hold a wrong
tree, never run code, and never a larger one than the parser accepts (`MAX_EXPRESSION_NODES`):
a bigger tree is refused like any other malformed entry.

A node is a positional list, `[class name, depth, span, *fields, *extra spans]`; a tuple is
`{"t": [...]}`, an unsigned integer `{"u": n}`, bytes `{"b": base64}`. Positional lists keep the
cache small and its decoding cheap: every `policy` command that hits the cache decodes about
6,000 nodes of the built-in pack before it checks anything.
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
# name -> (class, its fields, its extra span attributes, the length of its list)
_LAYOUTS = {name: (cls, cls._fields, getattr(cls, "_extra", ()),
                   3 + len(cls._fields) + len(getattr(cls, "_extra", ())))
            for name, cls in _NODE_CLASSES.items()}
_SCALARS = (bool, int, float, str, type(None))


def span_to_data(span: Span | None) -> list | None:
    return None if span is None else list(span)


def span_from_data(data) -> Span | None:
    if data is None:
        return None
    if type(data) is not list or len(data) != 6:
        raise ValueError(f"not a span: {str(data)[:80]}")
    start, end, line, column, end_line, end_column = data
    if not type(start) is type(end) is type(line) is type(column) is type(end_line) is type(end_column) is int:
        raise ValueError(f"not a span: {str(data)[:80]}")
    return Span(start, end, line, column, end_line, end_column)


def to_data(node: ast.Node) -> list:
    cls = type(node)
    return [cls.__name__, node.depth, span_to_data(node.span),
            *(_value_to_data(getattr(node, name)) for name in cls._fields),
            *(span_to_data(getattr(node, name)) for name in getattr(cls, "_extra", ()))]


def from_data(data) -> ast.Node:
    return _Decoder().node(data)


def _value_to_data(value: Any):
    if isinstance(value, ast.Node):
        return to_data(value)
    if isinstance(value, tuple):
        return {"t": [_value_to_data(item) for item in value]}
    if type(value) is UInt:
        return {"u": int(value)}
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    if type(value) in _SCALARS:
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a rule-language tree")


class _Decoder:
    """One tree's decoding, counting its nodes against the parser's limit."""

    def __init__(self) -> None:
        self.nodes = 0

    def node(self, data) -> ast.Node:
        self.nodes += 1
        if self.nodes > MAX_EXPRESSION_NODES:
            raise ValueError(f"a rule-language tree of more than {MAX_EXPRESSION_NODES} nodes")
        layout = _LAYOUTS.get(data[0]) if type(data) is list and data and type(data[0]) is str else None
        if layout is None:
            raise ValueError(f"not a rule-language node: {str(data)[:80]}")
        cls, fields, extras, length = layout
        if len(data) != length or type(data[1]) is not int:
            raise ValueError(f"malformed {cls.__name__} node")
        node = cls.__new__(cls)
        node.depth = data[1]
        node.span = span_from_data(data[2])
        position = 3
        for name in fields:
            setattr(node, name, self.value(data[position]))
            position += 1
        for name in extras:
            setattr(node, name, span_from_data(data[position]))
            position += 1
        return node

    def value(self, data):
        kind = type(data)
        if kind is list:
            return self.node(data)
        if kind is not dict:
            if kind in _SCALARS:
                return data
            raise ValueError(f"unexpected value in a tree: {str(data)[:80]}")
        if len(data) == 1:
            if type(data.get("t")) is list:
                return tuple(self.value(item) for item in data["t"])
            if type(data.get("u")) is int:
                return UInt(data["u"])
            if type(data.get("b")) is str:
                return base64.b64decode(data["b"], validate=True)
        raise ValueError(f"unexpected value in a tree: {str(data)[:80]}")
