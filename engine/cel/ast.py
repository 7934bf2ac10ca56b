"""The rule language's abstract syntax tree: small immutable node classes with source spans.

Operators are `Call`s with the spec's internal names (`_+_`, `!_`, `_?_:_`, `@in`, `_[_]`), so the
checker and compiler resolve them through the same overload tables as named functions. Macros
are kept as `Comprehension` nodes (not expanded into the spec's generic loop) so they print back
as written and compile to tight loops. Spans never take part in equality.

`walk` is the one traversal: every module that looks through an expression (for the `doc.x`
paths it reads, the variables its macros bind, whether it reads `docs`) iterates over it rather
than recursing by hand, so a new node class needs a row in `_CHILDREN` and nowhere else.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Tuple

from ..span import Span
from .described import Described


class Node:
    """Base of every node; `span` covers its text, `depth` is the height of its subtree.

    Nodes are treated as immutable. Equality and hashing use the fields named in `_fields`
    only, never the span or depth. (Plain slotted classes rather than dataclasses: building
    dataclasses costs the cold start of every `policy` command several milliseconds.)
    """

    __slots__ = ("span", "depth")
    _fields: Tuple[str, ...] = ()
    _defaults: Tuple[Any, ...] = ()

    def __init__(self, *, span: Optional[Span] = None, depth: int = 1, **values):
        self.span = span
        self.depth = depth
        for name, default in zip(self._fields, self._defaults):
            setattr(self, name, values.pop(name, default))
        if values:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(values))!r}")

    def _key(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + self._key())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"

    def with_depth(self, depth: int) -> "Node":
        """A copy that counts `depth` levels of nesting (parentheses add levels, not nodes)."""
        copy = type(self).__new__(type(self))
        for name in ("span",) + self._fields + tuple(getattr(type(self), "_extra", ())):
            setattr(copy, name, getattr(self, name))
        copy.depth = depth
        return copy


class Literal(Node):
    """A constant; `type_name` keeps 1, 1u, 1.0 and true apart (Python's == would not)."""

    __slots__ = ("value", "type_name")
    _fields, _defaults = ("value", "type_name"), (None, "null_type")


class Ident(Node):
    __slots__ = ("name",)
    _fields, _defaults = ("name",), ("",)


class Select(Node):
    """`operand.field`, or `has(operand.field)` when test_only; field_span is the name's place."""

    __slots__ = ("operand", "field", "test_only", "field_span")
    _fields, _defaults = ("operand", "field", "test_only"), (None, "", False)
    _extra = ("field_span",)

    def __init__(self, *, field_span: Optional[Span] = None, **values):
        super().__init__(**values)
        self.field_span = field_span


class Call(Node):
    """A function, method or operator call; `target` is the receiver of `x.f(...)`."""

    __slots__ = ("function", "args", "target", "name_span")
    _fields, _defaults = ("function", "args", "target"), ("", (), None)
    _extra = ("name_span",)

    def __init__(self, *, name_span: Optional[Span] = None, **values):
        super().__init__(**values)
        self.name_span = name_span


class ListExpr(Node):
    __slots__ = ("elements",)
    _fields, _defaults = ("elements",), ((),)


class MapExpr(Node):
    __slots__ = ("entries",)
    _fields, _defaults = ("entries",), ((),)


class MessageExpr(Node):
    """`Type{field: value}`: parsed for fidelity, rejected by the checker (no protobuf here)."""

    __slots__ = ("type_name", "fields")
    _fields, _defaults = ("type_name", "fields"), ("", ())


class Comprehension(Node):
    """A macro over a list or map: all, exists, exists_one, map (optionally filtered), filter,
    and this dialect's groupBy and sortBy (grouping.py)."""

    __slots__ = ("macro", "range", "variable", "body", "filter")
    _fields, _defaults = ("macro", "range", "variable", "body", "filter"), ("", None, "", None, None)


MACROS = frozenset({"all", "exists", "exists_one", "map", "filter", "groupBy", "sortBy"})
MACRO_DOCS = {
    "all": Described("True when `p` holds for every element `x` (of a list, or key of a map).",
                     "[30, 12].all(m, m <= 30)", "true", "all(x, p)"),
    "exists": Described("True when `p` holds for some element `x`.", "['FIXING', 'TESTING'].exists(s, s == 'TESTING')",
                        "true", "exists(x, p)"),
    "exists_one": Described("True when `p` holds for exactly one element `x`.", "[1, 2, 3].exists_one(x, x > 2)",
                            "true", "exists_one(x, p)"),
    "map": Described("The list of `e` for each element (optionally only those where `p` holds).",
                     "[1, 2, 3].map(x, x > 1, x * 10)", "[20, 30]", "map(x, e) / map(x, p, e)"),
    "filter": Described("The elements where `p` holds.", "[5, 47, 12].filter(m, m > 30)", "[47]", "filter(x, p)"),
    "groupBy": Described("A map from each key `k` to the elements with that key, in list order (one look-up "
                         "instead of a scan per question).", "['api', 'web', 'app'].groupBy(s, s.substring(0, 1))",
                         "{'a': ['api', 'app'], 'w': ['web']}", "groupBy(x, k)"),
    "sortBy": Described("The elements ordered by the key `k` (or a list of keys), equal keys in list order.",
                        "['web', 'api'].sortBy(s, s)", "['api', 'web']", "sortBy(x, k)"),
    "has": Described("True when the field `f` is present (missing values are absent).",
                     "has({'eta': '15:00'}.eta)", "true", "has(a.f)"),
}
"""What each macro (and `has`) does, with an example: hover, completion and docs/functions.md."""

MACRO_USAGE = {
    "all": ("a variable and a condition", "all(m, m <= 30)"),
    "exists": ("a variable and a condition", "exists(s, s == 'TESTING')"),
    "exists_one": ("a variable and a condition", "exists_one(x, x > 2)"),
    "filter": ("a variable and a condition", "filter(m, m > 30)"),
    "map": ("a variable and a value, with an optional condition between them", "map(x, x * 10) or map(x, x > 1, x * 10)"),
    "groupBy": ("a variable and a key", "groupBy(d, d.month)"),
    "sortBy": ("a variable and a key (or a list of keys)", "sortBy(h, [h.date, h.key])"),
    "has": ("one field selection", "has(doc.eta)"),
}
"""What each macro (and `has`) takes, in words and as written: the parser's one error for a macro
called with the wrong arguments (`groupBy takes a variable and a key: groupBy(d, d.month)`)."""


_CHILDREN = {
    Select: lambda node: (node.operand,),
    Call: lambda node: node.args if node.target is None else (node.target,) + node.args,
    ListExpr: lambda node: node.elements,
    MapExpr: lambda node: tuple(part for entry in node.entries for part in entry),
    MessageExpr: lambda node: tuple(value for _, value in node.fields),
    Comprehension: lambda node: (node.range, node.body) if node.filter is None else (node.range, node.filter, node.body),
}
"""Node class -> its sub-expressions in source order (Literal and Ident have none)."""


def children(node: Node) -> Tuple[Node, ...]:
    """The direct sub-expressions of a node, in source order."""
    of = _CHILDREN.get(type(node))
    return of(node) if of is not None else ()


def walk(root: Node, *, prune: Optional[Callable[[Node], bool]] = None) -> Iterator[Node]:
    """Every node of the tree under root, root first, each node before its sub-expressions,
    in source order.

    Iterative: expressions nest up to the parser's depth limit, and a walk must not spend
    Python's stack on them. When `prune(node)` is true the node is yielded but its
    sub-expressions are not (a caller that found what it wants in a subtree skips the rest).
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if prune is None or not prune(node):
            of = _CHILDREN.get(type(node))
            if of is not None:
                stack.extend(of(node)[::-1])


_PATH_INDEX_TYPES = frozenset({"int", "uint", "string"})


def selection_path(node: Node) -> Optional[Tuple[str, tuple]]:
    """`doc.a[0].b` as `("doc", ("a", 0, "b"))`: a variable and the fields and constant indexes
    selected from it in reading order. None when node is not such a chain (a call, a computed
    index)."""
    path = []
    while True:
        if isinstance(node, Select):  # `has(doc.eta)` reads the path doc.eta too
            path.append(node.field)
            node = node.operand
        elif isinstance(node, Call) and node.function == "_[_]" and node.target is None \
                and isinstance(node.args[1], Literal) and node.args[1].type_name in _PATH_INDEX_TYPES:
            index = node.args[1].value
            path.append(index if isinstance(index, str) else int(index))
            node = node.args[0]
        elif isinstance(node, Ident):
            return node.name, tuple(reversed(path))
        else:
            return None


def qualified_name(node: Node) -> Optional[str]:
    """`a.b.c` (a leading `.` kept) when node is an identifier and field selections only, as
    a package-qualified name is written; else None."""
    fields = []
    while isinstance(node, Select) and not node.test_only:
        fields.append(node.field)
        node = node.operand
    if not isinstance(node, Ident):
        return None
    return ".".join([node.name, *reversed(fields)])


def free_names(root: Node) -> frozenset:
    """The variables an expression reads from outside it (a macro's own variable is bound inside
    its body and filter, not in its range): what its value can depend on."""
    names: set = set()
    stack = [(root, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, Ident):
            name = node.name.lstrip(".")
            if name not in bound:
                names.add(name)
        elif isinstance(node, Comprehension):
            inner = bound | {node.variable}
            stack.append((node.range, bound))
            stack.extend((part, inner) for part in (node.body, node.filter) if part is not None)
        else:
            stack.extend((child, bound) for child in children(node))
    return frozenset(names)
