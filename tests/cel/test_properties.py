"""Property tests for everything in the rule language that reads input.

- Any text, random or a soup of CEL tokens, either compiles or raises a `CelError` subclass,
  and a compiled program either evaluates or raises one: never another exception.
- Printing a parsed expression and parsing it again gives the same AST.
- Deep nesting is a `CelSyntaxError`, never a `RecursionError`; a catastrophic regular
  expression returns at once (RE2 has no backtracking).
"""

from __future__ import annotations

import math
import signal
import string
import threading
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.cel import CelError, CelSyntaxError, compile
from hotfix_policy.engine.cel.parser import parse


def unparse(node) -> str:
    """`engine.cel.printer.unparse`, imported here so a missing printer fails only the
    round-trip tests, not the robustness ones."""
    from hotfix_policy.engine.cel.printer import unparse as print_source

    return print_source(node)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Timeout(BaseException):
    """Raised by `time_limit`; a BaseException so that no `except Exception` in the engine
    can swallow it."""


@contextmanager
def time_limit(seconds: float):
    """Fail (rather than hang the suite) when the body runs past `seconds`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise Timeout(f"took longer than {seconds}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_only_cel_errors(text: str, bindings: dict | None = None) -> None:
    """Compile `text` dynamically and evaluate it; only `CelError`s may escape."""
    try:
        program = compile(text, declarations=None)
    except CelError as error:
        if isinstance(error, CelSyntaxError):
            assert error.line is not None and error.column is not None, repr(error)
            assert 1 <= error.line <= text.count("\n") + 1, (error.line, text)
            assert error.column >= 1, (error.column, text)
        return
    try:
        program.evaluate(bindings or {})
    except CelError:
        pass


# ---------------------------------------------------------------------------------------------
# Random text and token soup

TOKENS = (
    # literals
    "0", "1", "42", "-7", "1u", "0x1F", "0xFFu", "1.5", "1e3", ".5", "9223372036854775807",
    "9223372036854775808", "18446744073709551616u", "'a'", '"b"', "''", "'''x'''", "r'\\d+'", "b'\\xff'",
    "'\\u00e9'", "'\\", "\"", "true", "false", "null",
    # names
    "x", "y", "doc", "severity", "items", "size", "has", "all", "exists", "exists_one", "map", "filter",
    "matches", "startsWith", "contains", "int", "uint", "double", "string", "bytes", "dyn", "type",
    "timestamp", "duration", "getHours", "in", "as", "if", "`a-b`",
    # operators and punctuation
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "?", ":", ".", ",",
    "(", ")", "[", "]", "{", "}", ".?", "[?",
)
SEPARATORS = ("", " ", "  ", "\n", "\t")


@st.composite
def token_soup(draw) -> str:
    tokens = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25))
    separators = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(tokens), max_size=len(tokens)))
    return "".join(token + separator for token, separator in zip(tokens, separators))


BINDINGS = {"x": 1, "y": "text", "doc": {"severity": "HIGH", "items": [1, 2, 3]}, "items": ["a", "b"]}


@SETTINGS
@given(st.text(max_size=60))
def test_random_text_raises_only_cel_errors(text):
    with time_limit(10):
        assert_only_cel_errors(text, BINDINGS)


@SETTINGS
@given(st.text(alphabet=string.printable, max_size=60))
def test_random_printable_text_raises_only_cel_errors(text):
    with time_limit(10):
        assert_only_cel_errors(text, BINDINGS)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token_soup())
def test_token_soup_raises_only_cel_errors(text):
    with time_limit(10):
        assert_only_cel_errors(text, BINDINGS)


# ---------------------------------------------------------------------------------------------
# Valid expressions: print and parse again

NAMES = st.sampled_from(["a", "b", "doc", "items", "x_1", "_y", "severity"])
LOOP_VARS = st.sampled_from(["v", "w", "item"])


def string_literal(text: str) -> str:
    quote = '"'
    body = []
    for char in text:
        if char in '\\"':
            body.append("\\" + char)
        elif char.isprintable():
            body.append(char)
        else:
            body.append(f"\\U{ord(char):08x}")
    return quote + "".join(body) + quote


def bytes_literal(data: bytes) -> str:
    return "b'" + "".join(f"\\x{byte:02x}" for byte in data) + "'"


LITERALS = st.one_of(
    st.integers(0, 2**63 - 1).map(str),
    st.integers(0, 2**64 - 1).map(lambda n: f"{n}u"),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=8).map(string_literal),
    st.binary(max_size=4).map(bytes_literal),
    st.sampled_from(["true", "false", "null"]),
)
BINARY_OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "in"]
MEMBER_FUNCTIONS = ["startsWith", "contains", "size", "matches", "endsWith"]
GLOBAL_FUNCTIONS = ["size", "int", "string", "duration", "timestamp", "dyn", "type"]


def maybe_parenthesised(draw, text: str) -> str:
    return f"({text})" if draw(st.booleans()) else text


def expressions(children):
    """One level of CEL syntax over `children` (themselves valid expressions)."""

    @st.composite
    def binary(draw):
        op = draw(st.sampled_from(BINARY_OPERATORS))
        left = maybe_parenthesised(draw, draw(children))
        right = maybe_parenthesised(draw, draw(children))
        return f"{left} {op} {right}"

    @st.composite
    def unary(draw):
        # CEL repeats one unary operator (`!!a`, `--a`) but never mixes them: `!-a` needs `!(-a)`.
        op = draw(st.sampled_from(["!", "-"]))
        operand = draw(children)
        if operand[:1] in "!-" and operand[:1] != op:
            return f"{op}({operand})"
        return op + maybe_parenthesised(draw, operand)

    @st.composite
    def ternary(draw):
        condition, middle, otherwise = (draw(children) for _ in range(3))
        # The middle is a conditional-or in CEL's grammar: `a ? (b ? c : d) : e` needs them.
        middle = f"({middle})" if "?" in middle else maybe_parenthesised(draw, middle)
        condition = maybe_parenthesised(draw, condition)
        otherwise = maybe_parenthesised(draw, otherwise)
        return f"{condition} ? {middle} : {otherwise}"

    @st.composite
    def select(draw):
        return f"({draw(children)}).{draw(NAMES)}"

    @st.composite
    def index(draw):
        return f"({draw(children)})[{draw(children)}]"

    @st.composite
    def member_call(draw):
        args = draw(st.lists(children, max_size=2))
        return f"({draw(children)}).{draw(st.sampled_from(MEMBER_FUNCTIONS))}({', '.join(args)})"

    @st.composite
    def global_call(draw):
        args = draw(st.lists(children, min_size=1, max_size=2))
        return f"{draw(st.sampled_from(GLOBAL_FUNCTIONS))}({', '.join(args)})"

    @st.composite
    def list_literal(draw):
        return "[" + ", ".join(draw(st.lists(children, max_size=3))) + "]"

    @st.composite
    def map_literal(draw):
        entries = draw(st.lists(st.tuples(children, children), max_size=3))
        return "{" + ", ".join(f"{key}: {value}" for key, value in entries) + "}"

    @st.composite
    def macro(draw):
        name = draw(st.sampled_from(["all", "exists", "exists_one", "map", "filter"]))
        var = draw(LOOP_VARS)
        body = draw(children)
        if name == "map" and draw(st.booleans()):
            return f"({draw(children)}).map({var}, {body}, {draw(children)})"
        return f"({draw(children)}).{name}({var}, {body})"

    @st.composite
    def has_macro(draw):
        return f"has(({draw(children)}).{draw(NAMES)})"

    return st.one_of(
        binary(), unary(), ternary(), select(), index(), member_call(), global_call(),
        list_literal(), map_literal(), macro(), has_macro(),
    )


VALID_EXPRESSIONS = st.recursive(st.one_of(LITERALS, NAMES), expressions, max_leaves=12)


def parse_or_none(text: str):
    """The AST of `text`, or None when the generator built something the depth limit refuses."""
    try:
        return parse(text)
    except CelSyntaxError as error:
        if "deeper" in str(error) or "nest" in str(error):
            return None
        raise


@SETTINGS
@given(VALID_EXPRESSIONS)
def test_printing_and_parsing_again_gives_the_same_ast(text):
    tree = parse_or_none(text)
    if tree is None:
        return
    printed = unparse(tree)
    assert isinstance(printed, str)
    assert parse(printed) == tree, printed
    assert unparse(parse(printed)) == printed  # printing is a fixed point


@pytest.mark.parametrize(
    "text",
    [
        "a + b * c", "(a + b) * c", "a - (b - c)", "a - b - c", "-(-a)", "!!a", "- -1", "-(1)",
        "a && b && c", "a && (b && c)", "(a && b) && c", "a || b && c", "(a || b) && c",
        "a ? b : c ? d : e", "(a ? b : c) ? d : e", "a < b == c", "a < (b == c)",
        "-9223372036854775808", "-(9223372036854775807)", "1u", "1.0", "1e100", "0.1",
        "'\\n\\t\\\\\\''", "b'\\x00\\xff'", "r'\\d'", "'''multi\nline'''", "'😀'",
        "{1: 'a', 'b': [1, 2u, 3.0]}", "x.all(v, v > 0)", "x.map(v, v % 2 == 0, v * 2)",
        "has(a.b.c)", "a.b[0].c", "size(x) > 0 && x.exists_one(i, i == 'a')",
        "doc.`content-type`", "[].size()", "{}.size()", "type(null) == null_type",
        "a in [1, 2] ? 'yes' : 'no'", "timestamp('2024-01-01T00:00:00Z') + duration('1h')",
        "(1 + 2).string()", "-a.b", "(-a).b", "!a.b()", "a[-1]", "[a, b][0]",
    ],
)
def test_printing_round_trips_known_shapes(text):
    tree = parse(text)
    assert parse(unparse(tree)) == tree, unparse(tree)


# ---------------------------------------------------------------------------------------------
# Limits


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deeply_nested_parentheses_are_a_syntax_error(depth):
    text = "(" * depth + "1" + ")" * depth
    with time_limit(10), pytest.raises(CelSyntaxError):
        compile(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{1: " * 10_000 + "1" + "}" * 10_000,
        "!" * 10_000 + "true",
        "-" * 10_000 + "1",
        "1" + " + 1" * 10_000,
        "a" + ".b" * 10_000,
        "a" + "[0]" * 10_000,
        "f(" * 10_000 + ")" * 10_000,
        "x.all(v, " * 5_000 + "true" + ")" * 5_000,
        "true ? " * 10_000 + "1" + " : 2" * 10_000,
        "(" * 10_000,
    ],
)
def test_deep_or_long_expressions_never_escape_as_recursion_errors(text):
    with time_limit(10):
        assert_only_cel_errors(text, {"a": {}})


def test_catastrophic_regex_returns_promptly():
    program = compile("s.matches('(a+)+$')", declarations=None)
    with time_limit(5):
        assert program.evaluate({"s": "a" * 100_000 + "!"}) is False


def test_random_floats_print_and_parse_exactly():
    for value in [0.1, 1e-300, 5e-324, 1.7976931348623157e308, 123456789.125, math.pi]:
        tree = parse(repr(value))
        assert parse(unparse(tree)) == tree
