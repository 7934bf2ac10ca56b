"""Text -> AST. Lark's LALR parser drives a transformer inline, so nodes are built bottom-up
while parsing: no parse tree, no recursion, and a depth limit that holds before any recursive
pass (checker, compiler, printer) ever sees the tree.

Parsing is linear in the text: lists (arguments, list and map items) and `&&`/`||` chains are
gathered in place and become one node each, never copied once per item. An expression longer or
larger than `engine/limits.py` allows is a syntax error at the place it crosses the limit, so
every later pass over the tree is bounded too.
"""

from __future__ import annotations

from functools import cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..limits import MAX_EXPRESSION_DEPTH as MAX_DEPTH
from ..limits import MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_NODES
from ..span import Span, line_column
from .ast import (MACRO_USAGE, MACROS, Call, Comprehension, Ident, ListExpr, Literal, MapExpr, MessageExpr, Node, Select,
                  qualified_name, walk)
from .errors import CelSyntaxError
from .strings import LiteralError, decode_literal
from .tables import build_parser
from .values import INT_MAX, UInt

RESERVED = frozenset(
    "as break const continue else for function if import let loop package namespace return var void while".split()
)
_BINARY = {"<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in",
           "+": "_+_", "-": "_-_", "*": "_*_", "/": "_/_", "%": "_%_"}
_TOKEN_NAMES = {"RPAREN": "')'", "LPAREN": "'('", "RBRACKET": "']'", "LBRACKET": "'['", "RBRACE": "'}'",
                "LBRACE": "'{'", "COMMA": "','", "COLON": "':'", "DOT": "'.'", "QUESTION": "'?'",
                "$END": "end of expression"}
_OPERAND_TOKENS = {"IDENT", "INT", "UINT", "FLOAT", "STRING", "RAW_STRING", "TRUE", "FALSE", "NULL"}


class _Args(list):
    """Arguments, field or map initialisers: a list of nodes, told apart from a node, extended in
    place as the parser reads each item (it is this parse's own intermediate result)."""


class _Chain(list):
    """The operands and operators of `a && b && ...` (or `||`) read so far, extended in place."""


def _span(first, last) -> Span:
    """The span from the start of `first` to the end of `last` (tokens or nodes)."""
    start = first.span if isinstance(first, Node) else _token_span(first)
    end = last.span if isinstance(last, Node) else _token_span(last)
    return Span(start.start, end.end, start.line, start.column, end.end_line, end.end_column)


def _token_span(token: Token) -> Span:
    return Span(token.start_pos, token.end_pos, token.line, token.column, token.end_line, token.end_column)


def _depth(*nodes) -> int:
    depth = 1 + max((n.depth for n in nodes if isinstance(n, Node)), default=0)
    if depth > MAX_DEPTH:
        first = next(n for n in nodes if isinstance(n, Node))
        raise CelSyntaxError(f"expression nests deeper than {MAX_DEPTH} levels", first.span)
    return depth


def _call(function, args, first, last, target=None, name_span=None) -> Call:
    every = ((target,) if target is not None else ()) + tuple(args)
    return Call(function=function, args=tuple(args), target=target, span=_span(first, last),
                depth=_depth(*every), name_span=name_span)


class _Builder(Transformer):
    """Callbacks for grammar.lark's aliases; each receives tokens and already-built nodes."""

    def conditional(self, c):
        return _call("_?_:_", (c[0], c[2], c[4]), c[0], c[4], name_span=_token_span(c[1]))

    def or_chain(self, c):
        return _gather(_Chain, c)

    def and_chain(self, c):
        return _gather(_Chain, c)

    def logical_or(self, c):
        return self._flatten("_||_", c[0])

    def logical_and(self, c):
        return self._flatten("_&&_", c[0])

    def _flatten(self, function, chain):
        operands, operators = chain[0::2], chain[1::2]
        first = operands[0]
        # `a && b && c` is one n-ary call, and so is `(a && b) && c`; a parenthesised right
        # operand stays nested, so printing and re-parsing gives the same tree.
        args = (first.args if _is_chain(first, function) else (first,)) + tuple(operands[1:])
        return _call(function, args, first, operands[-1], name_span=_token_span(operators[-1]))

    def binary(self, c):
        left, op, right = c
        return _call(_BINARY[op.value], (left, right), left, right, name_span=_token_span(op))

    def logical_not(self, c):
        node = c[-1]
        for bang in reversed(c[:-1]):
            node = _call("!_", (node,), bang, node, name_span=_token_span(bang))
        return node

    def negate(self, c):
        node = c[-1]
        minuses = c[:-1]
        if isinstance(node, Literal) and node.type_name in ("int", "double"):
            value = -node.value if len(minuses) % 2 else node.value
            return Literal(value=value, type_name=node.type_name, span=_span(minuses[0], node))
        for minus in reversed(minuses):
            node = _call("-_", (node,), minus, node, name_span=_token_span(minus))
        return node

    def select(self, c):
        operand, _dot, name = c
        return Select(operand=operand, field=_field_name(name), span=_span(operand, name),
                      depth=_depth(operand), field_span=_token_span(name))

    def method_call(self, c):
        target, name = c[0], c[2]
        args = c[4] if isinstance(c[4], _Args) else _Args()
        if name.value in MACROS or name.value == "has":
            return _macro(name, target, args, c[-1])
        return _call(name.value, args, target, c[-1], target=target, name_span=_token_span(name))

    def index(self, c):
        return _call("_[_]", (c[0], c[2]), c[0], c[3], name_span=_token_span(c[1]))

    def message(self, c):
        type_name = _message_type_name(c[0])
        inits = c[2] if isinstance(c[2], _Args) else _Args()
        fields = tuple((inits[i].value, inits[i + 1]) for i in range(0, len(inits), 2))
        return MessageExpr(type_name=type_name, fields=fields, span=_span(c[0], c[-1]),
                           depth=_depth(*(v for _, v in fields)) if fields else 1)

    def ident(self, c):
        name = c[-1]
        _check_reserved(name)
        return Ident(name=("." if len(c) == 2 else "") + name.value, span=_span(c[0], name))

    def global_call(self, c):
        dotted = c[0].type == "DOT"
        name = c[1] if dotted else c[0]
        _check_reserved(name)
        args = next((x for x in c if isinstance(x, _Args)), _Args())
        if name.value in MACROS:
            raise CelSyntaxError(f"{name.value} is called on a list or a map: l.{MACRO_USAGE[name.value][1]}",
                                 _token_span(name))
        if name.value == "has":
            if dotted or len(args) != 1 or not isinstance(args[0], Select) or args[0].test_only:
                raise CelSyntaxError(_usage("has"), _token_span(name))
            inner = args[0]
            return Select(operand=inner.operand, field=inner.field, test_only=True, span=_span(c[0], c[-1]),
                          depth=_depth(inner.operand), field_span=inner.field_span)
        function = ("." if dotted else "") + name.value
        return _call(function, args, c[0], c[-1], name_span=_token_span(name))

    def parenthesized(self, c):
        # Parentheses count toward the nesting limit although they add no node.
        return c[1].with_depth(_depth(c[1]))

    def list_literal(self, c):
        elements = next((x for x in c if isinstance(x, _Args)), _Args())
        return ListExpr(elements=tuple(elements), span=_span(c[0], c[-1]), depth=_depth(*elements))

    def map_literal(self, c):
        inits = next((x for x in c if isinstance(x, _Args)), _Args())
        entries = tuple((inits[i], inits[i + 1]) for i in range(0, len(inits), 2))
        return MapExpr(entries=entries, span=_span(c[0], c[-1]), depth=_depth(*inits))

    def arguments(self, c):
        return _gather(_Args, [x for x in c if isinstance(x, (Node, _Args))])

    def map_inits(self, c):
        return _gather(_Args, [x for x in c if isinstance(x, (Node, _Args))])

    def field_inits(self, c):
        return _gather(_Args, [x for x in c if isinstance(x, (Node, _Args)) or x.type == "IDENT"])

    def literal(self, c):
        token = c[0]
        return Literal(value=_literal_value(token), type_name=_LITERAL_TYPES[token.type](token.value),
                       span=_token_span(token))


def _gather(kind, children):
    """Items of a left-recursive list rule: the list built so far, extended in place with the new
    items (copying it at each item made long lists quadratic)."""
    head = children[0]
    if type(head) is kind:
        head.extend(children[1:])
        return head
    return kind(children)


def _is_chain(node, function) -> bool:
    return isinstance(node, Call) and node.function == function and node.target is None and len(node.args) >= 2


_LITERAL_TYPES = {
    "INT": lambda v: "int", "UINT": lambda v: "uint", "FLOAT": lambda v: "double",
    "STRING": lambda v: "bytes" if v[0] in "bB" else "string",
    "RAW_STRING": lambda v: "bytes" if "b" in v[:2].lower() else "string",
    "TRUE": lambda v: "bool", "FALSE": lambda v: "bool", "NULL": lambda v: "null_type",
}


def _literal_value(token: Token):
    kind, text = token.type, token.value
    try:
        if kind == "INT":
            value = _integer(text, "integer literal out of range")
            if value > INT_MAX + 1:  # INT_MAX + 1 is allowed only under a unary minus (the checker sees)
                raise LiteralError("integer literal out of range")
            return value
        if kind == "UINT":
            value = _integer(text[:-1], "unsigned integer literal out of range")
            if value >= 1 << 64:
                raise LiteralError("unsigned integer literal out of range")
            return UInt(value)
        if kind == "FLOAT":
            return float(text)
        if kind in ("STRING", "RAW_STRING"):
            return decode_literal(text)
    except LiteralError as error:
        raise CelSyntaxError(str(error), _token_span(token)) from None
    return {"TRUE": True, "FALSE": False, "NULL": None}[kind]


def _integer(text: str, out_of_range: str) -> int:
    """The value of a decimal or 0x literal. One longer than any 64-bit number is out of range
    before it is converted: Python refuses decimal strings over 4,300 digits with a ValueError."""
    hexadecimal = text[:2].lower() == "0x"
    digits = (text[2:] if hexadecimal else text).lstrip("0")
    if len(digits) > (16 if hexadecimal else 20):
        raise LiteralError(out_of_range)
    return int(digits or "0", 16 if hexadecimal else 10)


def _check_reserved(name: Token) -> None:
    if name.value in RESERVED:
        raise CelSyntaxError(f"'{name.value}' is a reserved word and cannot be used as a name", _token_span(name))


def _field_name(name: Token) -> str:
    """Reserved words are fine as field names (`m.as`); backquotes allow any name (`m.`a-b``)."""
    return name.value[1:-1] if name.type == "QUOTED_FIELD" else name.value


def _message_type_name(node: Node) -> str:
    name = qualified_name(node)
    if name is None:
        raise CelSyntaxError("a message type name must be a qualified name", node.span)
    return name


def _usage(macro: str) -> str:
    """`groupBy takes a variable and a key: groupBy(d, d.month)`."""
    what, example = MACRO_USAGE[macro]
    return f"{macro} takes {what}: {example}"


def _macro(name: Token, target: Node, args, last) -> Comprehension:
    """A macro call as a Comprehension; a wrong one is one error at the call that says what the
    macro takes (never an unknown function `groupBy` and undeclared names in its arguments)."""
    macro = name.value
    if macro == "has":
        raise CelSyntaxError("has is not called on a value: it takes one field selection, has(doc.eta)",
                             _token_span(name))
    if len(args) != 2 and not (macro == "map" and len(args) == 3):
        found = f"{len(args)} argument{'' if len(args) == 1 else 's'}"
        raise CelSyntaxError(f"{_usage(macro)}; found {found}", _token_span(name))
    variable = args[0]
    if not isinstance(variable, Ident) or variable.name.startswith("."):
        raise CelSyntaxError(f"{_usage(macro)}; its first argument must be a variable name", variable.span)
    body = args[-1]
    condition = args[1] if len(args) == 3 else None
    return Comprehension(macro=macro, range=target, variable=variable.name, body=body, filter=condition,
                         span=_span(target, last), depth=_depth(target, body, *args[1:]))


@cache
def _parser() -> Lark:
    """The LALR parser, built once per process from the tables shipped with the package."""
    return build_parser(_Builder())


def parse(text: str) -> Node:
    """Parse an expression; raises CelSyntaxError with the line and column of the problem."""
    if not isinstance(text, str):
        raise CelSyntaxError("an expression must be text")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise CelSyntaxError(f"expression longer than {MAX_EXPRESSION_LENGTH:,} characters ({len(text):,})",
                             _point(text, MAX_EXPRESSION_LENGTH))
    parser = _parser()
    try:
        tree = parser.parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    except RecursionError:  # pragma: no cover - the depth limit should make this unreachable
        raise CelSyntaxError(f"expression nests deeper than {MAX_DEPTH} levels") from None
    if len(text) > MAX_EXPRESSION_NODES:  # every node takes at least one character of its own
        _check_node_count(tree)
    return tree


def _check_node_count(tree: Node) -> None:
    for count, node in enumerate(walk(tree), 1):
        if count > MAX_EXPRESSION_NODES:
            raise CelSyntaxError(f"expression larger than {MAX_EXPRESSION_NODES:,} operands, operators and "
                                 "calls: split it into the policy's variables or move values into its data",
                                 node.span)


def _point(text: str, offset: int) -> Span:
    """The one-character span at offset."""
    line, column = line_column(text, offset)
    end_line, end_column = line_column(text, offset + 1)
    return Span(offset, offset + 1, line, column, end_line, end_column)


def _syntax_error(text: str, error: UnexpectedInput) -> CelSyntaxError:
    offset = min(getattr(error, "pos_in_stream", None) or 0, len(text))
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        offset = len(text.rstrip())
        message = "unexpected end of expression"
    elif isinstance(error, UnexpectedToken):
        message = f"unexpected {_describe(error.token)}"
        offset = error.token.start_pos
    elif isinstance(error, UnexpectedCharacters):
        char = text[offset] if offset < len(text) else ""
        message = f"unexpected character {char!r}" if char not in "'\"" else "unterminated string literal"
    else:  # pragma: no cover
        message = "invalid expression"
    expected = getattr(error, "expected", None) or getattr(error, "allowed", None) or set()
    hint = _expected_hint(expected)
    line, column = line_column(text, offset)
    end = min(offset + 1, len(text))
    end_line, end_column = line_column(text, end)
    return CelSyntaxError(message + hint, Span(offset, end, line, column, end_line, end_column))


def _describe(token: Token) -> str:
    if token.type in _OPERAND_TOKENS:
        return f"{token.value!r}" if len(token.value) <= 20 else f"{token.value[:20]!r}..."
    return _TOKEN_NAMES.get(token.type, f"{token.value!r}")


def _expected_hint(expected) -> str:
    names = set(expected)
    if names & _OPERAND_TOKENS:
        return "; expected an expression"
    shown = sorted(_TOKEN_NAMES[n] for n in names if n in _TOKEN_NAMES)
    return f"; expected {' or '.join(shown)}" if shown and len(shown) <= 4 else ""
