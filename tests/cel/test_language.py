"""The rule language as a policy author meets it: values, errors with places, checks, limits."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, CelSyntaxError, CelType, CelTypeError, UInt, compile


def evaluate(expression: str, **bindings):
    return compile(expression).evaluate(bindings)


INCIDENT_SCHEMA = {
    "type": "object",
    "title": "incident",
    "properties": {
        "severity": {"type": "string", "description": "CRITICAL, HIGH or MEDIUM"},
        "declared": {"type": "string", "format": "date-time"},
        "updates": {
            "type": "array",
            "items": {"type": "object", "properties": {"time": {"type": "string", "format": "date-time"},
                                                       "status": {"type": "string"}}},
        },
    },
}


@pytest.mark.parametrize("expression, expected", [
    ("1 + 2 * 3", 7),
    ("7 / 2", 3),
    ("-7 / 2", -3),
    ("-7 % 3", -1),
    ("7u / 2u", UInt(3)),
    ("1.5 * 2.0", 3.0),
    ("'ab' + 'cd'", "abcd"),
    ("[1, 2] + [3]", [1, 2, 3]),
    ("size('héllo')", 5),
    ("'x' in ['x', 'y']", True),
    ("2 in {1: 'a', 2: 'b'}", True),
    ("true ? 'yes' : 'no'", "yes"),
    ("[1, 2, 3].exists_one(x, x > 2)", True),
    ("[1, 2, 3].map(x, x > 1, x * 10)", [20, 30]),
    ("{'a': 1, 'b': 2}.all(k, k.size() == 1)", True),
    ("dyn(1) == 1.0", True),
    ("1u == 1", True),
    ("type(1u) == uint", True),
    ("type(timestamp('2026-01-01T00:00:00Z'))", CelType("google.protobuf.Timestamp")),
    ("int('42') + int(3.9)", 45),
    ("string(duration('1h30m'))", "5400s"),
    ("duration('90m').getHours()", 1),
    ("timestamp('2026-11-20T23:30:00Z').getDate('Asia/Tokyo')", 21),
    ("pairs([1, 2, 3])", [[1, 2], [2, 3]]),
    ("'Hotfix'.lowerAscii().startsWith('hot')", True),
    ("'a,b'.split(',')", ["a", "b"]),
])
def test_values(expression, expected):
    result = evaluate(expression)
    assert result == expected and type(result) is type(expected)


def test_equality_across_numbers():
    assert evaluate("x == y", x=UInt(1), y=1) is True
    assert evaluate("x == y", x=1, y=True) is False
    with pytest.raises(CelTypeError):
        compile("1u == 'a'")


def test_timestamps_and_durations():
    declared = datetime(2026, 11, 20, 9, 10, tzinfo=timezone.utc)
    assert evaluate("t + duration('30m')", t=declared) == declared + timedelta(minutes=30)
    assert evaluate("now - t > duration('1h')", t=declared, now=declared + timedelta(hours=2)) is True
    with pytest.raises(CelEvaluationError, match="out of range"):
        evaluate("timestamp('9999-12-31T23:59:59Z') + duration('1s')")


def test_logical_operators_absorb_errors_in_both_orders():
    assert evaluate("1 / 0 > 0 || true") is True
    assert evaluate("true || 1 / 0 > 0") is True
    assert evaluate("1 / 0 > 0 && false") is False
    assert evaluate("false && 1 / 0 > 0") is False
    with pytest.raises(CelEvaluationError, match="division by zero"):
        evaluate("1 / 0 > 0 && true")
    assert evaluate("[0, 1].exists(x, 1 / x > 0)") is True
    assert evaluate("[0, 1].all(x, 1 / x > 5)") is False


def test_integer_overflow_is_an_error():
    with pytest.raises(CelEvaluationError, match="overflow"):
        evaluate("9223372036854775807 + 1")
    assert evaluate("-9223372036854775808") == -(2**63)
    with pytest.raises(CelEvaluationError, match="overflow"):
        evaluate("0u - 1u")
    assert math.isinf(evaluate("1.0 / 0.0"))


def test_syntax_errors_carry_line_and_column():
    with pytest.raises(CelSyntaxError) as caught:
        compile("doc.severity ==\n  [1, 2")
    assert (caught.value.line, caught.value.column) == (2, 8)
    with pytest.raises(CelSyntaxError, match="reserved"):
        compile("if")


def test_unknown_field_suggests_the_declared_one():
    with pytest.raises(CelTypeError) as caught:
        compile("doc.severty == 'HIGH'", declarations={"doc": INCIDENT_SCHEMA})
    assert "did you mean `severity`" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 5)


def test_unknown_variable_and_function_are_type_errors():
    with pytest.raises(CelTypeError, match="did you mean `doc`"):
        compile("dco.severity", declarations={"doc": "map(string, dyn)"})
    with pytest.raises(CelTypeError, match="did you mean `startsWith`"):
        compile("'a'.startWith('a')")


def test_argument_types_checked_before_evaluation():
    with pytest.raises(CelTypeError, match=r"applied to \(string, int\)"):
        compile("'a' + 1")
    with pytest.raises(CelTypeError, match="takes 1 argument"):
        compile("'a'.startsWith()")
    with pytest.raises(CelTypeError):
        compile("doc.declared + 1", declarations={"doc": INCIDENT_SCHEMA})
    checked = compile("doc.updates.map(u, u.time)", declarations={"doc": INCIDENT_SCHEMA})
    assert str(checked.result_type) == "list(timestamp)"


def test_invalid_regex_is_caught_at_compile_time():
    with pytest.raises(CelTypeError, match="invalid regular expression"):
        compile("'a'.matches('(')")


def test_hostile_regex_is_linear():
    assert evaluate("s.matches('(a+)+$')", s="a" * 100000 + "!") is False


def test_missing_key_and_unbound_variable_are_evaluation_errors():
    with pytest.raises(CelEvaluationError, match="no such key: 'eta'") as caught:
        evaluate("doc.eta", doc={})
    assert caught.value.column == 1
    with pytest.raises(CelEvaluationError, match="not bound"):
        evaluate("doc")
    assert evaluate("has(doc.eta)", doc={}) is False


def test_nesting_limit():
    with pytest.raises(CelSyntaxError, match="nests deeper"):
        compile("(" * 1000 + "1" + ")" * 1000)
    with pytest.raises(CelSyntaxError, match="nests deeper"):
        compile("!" * 1000 + "true")
    assert evaluate("(" * 32 + "7" + ")" * 32) == 7


def test_cost_budget():
    program = compile("xs.all(x, xs.all(y, x + y >= 0))", cost_budget=10_000)
    assert program.evaluate({"xs": list(range(10))}) is True
    with pytest.raises(CelEvaluationError, match="cost budget"):
        program.evaluate({"xs": list(range(1000))})


def test_grammar_has_no_conflicts_or_terminal_collisions():
    from pathlib import Path

    from lark import Lark

    import hotfix_policy.engine.cel.parser as parser

    grammar = (Path(parser.__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    Lark(grammar, parser="lalr", lexer="contextual", strict=True)  # raises on any conflict
    assert parser._parser() is parser._parser()  # built once per process


def test_bare_identifier_is_one_shallow_node():
    from hotfix_policy.engine.cel.ast import Ident
    from hotfix_policy.engine.cel.parser import parse

    node = parse("doc")
    assert node == Ident(name="doc") and node.depth == 1
    assert parse("doc.a.b").depth == 3


def test_matches_glob_extension():
    assert evaluate("'tests/unit/test_a.py'.matchesGlob('tests/**')") is True
    assert evaluate("'src/a_test.go'.matchesGlob('**/*_test.*')") is True
    assert evaluate("'test_a.py'.matchesGlob('**/test_*.*')") is True  # `**/` may match no folder
    assert evaluate("'src/a.py'.matchesGlob('tests/**')") is False
    assert evaluate("'src/deep/a.py'.matchesGlob('src/*.py')") is False


def test_map_keys_keep_bool_and_int_apart():
    assert evaluate("m[2]", m={True: "a", 2: "b"}) == "b"
    assert evaluate("1 in m", m={True: "a"}) is False
    assert evaluate("true in m", m={1: "a"}) is False
    assert evaluate("2u in m && m[2u] == 'b'", m={2: "b"}) is True
    with pytest.raises(CelEvaluationError, match="no such key"):
        evaluate("m[1]", m={True: "a"})


def test_find_all_extension():
    assert evaluate("'v3.14.1 then 3.14.10'.findAll('[0-9]+\\\\.[0-9]+\\\\.[0-9]+')") == ["3.14.1", "3.14.10"]
    assert evaluate("'nothing'.findAll('[0-9]+')") == []
    with pytest.raises(CelTypeError, match="invalid regular expression"):
        compile("'a'.findAll('(')")
