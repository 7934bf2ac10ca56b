"""AST -> source text that parses back to the same AST (used by tooling, explain and tests).

Parentheses are added wherever precedence or the grammar's shapes need them, never elsewhere
that would change the tree: `a || (b || c)` keeps its grouping, `a || b || c` stays flat.
"""

from __future__ import annotations

import math

from .ast import Call, Comprehension, Ident, ListExpr, Literal, MapExpr, MessageExpr, Node, Select
from .strings import quote_bytes, quote_string

_BINARY = {"_*_": ("*", 5), "_/_": ("/", 5), "_%_": ("%", 5), "_+_": ("+", 4), "_-_": ("-", 4),
           "_<_": ("<", 3), "_<=_": ("<=", 3), "_>_": (">", 3), "_>=_": (">=", 3), "_==_": ("==", 3),
           "_!=_": ("!=", 3), "@in": ("in", 3), "_&&_": ("&&", 2), "_||_": ("||", 1)}
_MEMBER = 7  # selection, calls, indexing, literals: bind tighter than anything
_UNARY = 6


def unparse(node: Node) -> str:
    """CEL source for node."""
    return _print(node)[0]


def _print(node: Node) -> tuple[str, int]:
    """The text and its precedence level (higher binds tighter)."""
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, Ident):
        return node.name, _MEMBER
    if isinstance(node, Select):
        operand = _operand(node.operand)
        name = node.field if node.field.isidentifier() and node.field.isascii() else f"`{node.field}`"
        text = f"{operand}.{name}"
        return (f"has({text})", _MEMBER) if node.test_only else (text, _MEMBER)
    if isinstance(node, ListExpr):
        return "[" + ", ".join(unparse(e) for e in node.elements) + "]", _MEMBER
    if isinstance(node, MapExpr):
        return "{" + ", ".join(f"{unparse(k)}: {unparse(v)}" for k, v in node.entries) + "}", _MEMBER
    if isinstance(node, MessageExpr):
        fields = ", ".join(f"{name}: {unparse(value)}" for name, value in node.fields)
        return f"{node.type_name}{{{fields}}}", _MEMBER
    if isinstance(node, Comprehension):
        args = [node.variable] + ([unparse(node.filter)] if node.filter is not None else []) + [unparse(node.body)]
        return f"{_operand(node.range)}.{node.macro}({', '.join(args)})", _MEMBER
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"not an AST node: {node!r}")


def _operand(node: Node) -> str:
    """node as the receiver of `.x`, `[i]` or `.f()`: a member or parenthesised."""
    text, level = _print(node)
    return f"({text})" if level < _MEMBER else text


def _literal(node: Literal) -> tuple[str, int]:
    value, kind = node.value, node.type_name
    if kind == "int":
        return str(value), _UNARY if value < 0 else _MEMBER
    if kind == "uint":
        return f"{int(value)}u", _MEMBER
    if kind == "double":
        if math.isinf(value) or math.isnan(value):
            return f"double('{'NaN' if math.isnan(value) else ('-' if value < 0 else '') + 'Infinity'}')", _MEMBER
        return repr(float(value)), _UNARY if math.copysign(1.0, value) < 0 else _MEMBER
    if kind == "string":
        return quote_string(value), _MEMBER
    if kind == "bytes":
        return quote_bytes(value), _MEMBER
    if kind == "bool":
        return ("true" if value else "false"), _MEMBER
    return "null", _MEMBER


def _call(node: Call) -> tuple[str, int]:
    function, args = node.function, node.args
    if node.target is not None:
        return f"{_operand(node.target)}.{function}({', '.join(unparse(a) for a in args)})", _MEMBER
    if function in _BINARY:
        symbol, level = _BINARY[function]
        # Left-associative: the first operand may share the level (only for n-ary && and ||,
        # which the parser flattens, must equal levels on the left be parenthesised).
        flat = function in ("_&&_", "_||_")
        parts = []
        for index, arg in enumerate(args):
            text, arg_level = _print(arg)
            needs = arg_level < level or (arg_level == level and (index > 0 or flat))
            parts.append(f"({text})" if needs else text)
        return f" {symbol} ".join(parts), level
    if function in ("!_", "-_"):
        symbol = function[0]
        operand = args[0]
        text, level = _print(operand)
        same = isinstance(operand, Call) and operand.function == function and operand.target is None
        if symbol == "-" and isinstance(operand, Literal) and operand.type_name in ("int", "double"):
            return f"-({text})", _UNARY
        return (f"{symbol}{text}" if level >= _MEMBER or same else f"{symbol}({text})"), _UNARY
    if function == "_?_:_":
        condition, yes, no = (_print(a) for a in args)
        left = condition[0] if condition[1] > 0 else f"({condition[0]})"
        middle = yes[0] if yes[1] > 0 else f"({yes[0]})"
        return f"{left} ? {middle} : {no[0]}", 0
    if function == "_[_]":
        return f"{_operand(args[0])}[{unparse(args[1])}]", _MEMBER
    return f"{function}({', '.join(unparse(a) for a in args)})", _MEMBER
