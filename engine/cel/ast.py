"""The rule language's abstract syntax tree: small frozen dataclasses with source spans.

Operators are `Call`s with the spec's internal names (`_+_`, `!_`, `_?_:_`, `@in`, `_[_]`), so the
checker and compiler resolve them through the same overload tables as named functions. Macros
are kept as `Comprehension` nodes (not expanded into the spec's generic loop) so they print back
as written and compile to tight loops. Spans never take part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Tuple

from ..span import Span


def _span_field() -> Any:
    return field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node; `span` covers its text, `depth` is the height of its subtree."""

    span: Optional[Span] = _span_field()
    depth: int = field(default=1, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A constant; `type_name` keeps 1, 1u, 1.0 and true apart (Python's == would not)."""

    value: Any = None
    type_name: str = "null_type"


@dataclass(frozen=True, slots=True)
class Ident(Node):
    name: str = ""


@dataclass(frozen=True, slots=True)
class Select(Node):
    """`operand.field`, or `has(operand.field)` when test_only."""

    operand: Node = None  # type: ignore[assignment]
    field: str = ""
    test_only: bool = False
    field_span: Optional[Span] = _span_field()


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A function, method or operator call; `target` is the receiver of `x.f(...)`."""

    function: str = ""
    args: Tuple[Node, ...] = ()
    target: Optional[Node] = None
    name_span: Optional[Span] = _span_field()


@dataclass(frozen=True, slots=True)
class ListExpr(Node):
    elements: Tuple[Node, ...] = ()


@dataclass(frozen=True, slots=True)
class MapExpr(Node):
    entries: Tuple[Tuple[Node, Node], ...] = ()


@dataclass(frozen=True, slots=True)
class MessageExpr(Node):
    """`Type{field: value}`: parsed for fidelity, rejected by the checker (no protobuf here)."""

    type_name: str = ""
    fields: Tuple[Tuple[str, Node], ...] = ()


@dataclass(frozen=True, slots=True)
class Comprehension(Node):
    """A macro over a list or map: all, exists, exists_one, map (optionally filtered), filter."""

    macro: str = ""
    range: Node = None  # type: ignore[assignment]
    variable: str = ""
    body: Node = None  # type: ignore[assignment]
    filter: Optional[Node] = None


MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})


def children(node: Node) -> Tuple[Node, ...]:
    """The direct sub-expressions of a node, in source order."""
    if isinstance(node, Select):
        return (node.operand,)
    if isinstance(node, Call):
        return ((node.target,) if node.target is not None else ()) + node.args
    if isinstance(node, ListExpr):
        return node.elements
    if isinstance(node, MapExpr):
        return tuple(part for entry in node.entries for part in entry)
    if isinstance(node, MessageExpr):
        return tuple(value for _, value in node.fields)
    if isinstance(node, Comprehension):
        parts = (node.range,) + ((node.filter,) if node.filter is not None else ())
        return parts + (node.body,)
    return ()
