"""`"...%s...%d".format([a, b])`, cel-go's strings-extension clauses: values, mistakes at their
place (when the policy loads if they are written in the expression), and a bounded cost."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, CelTypeError, UInt, compile
from hotfix_policy.engine.cel.cost import COST_KEY


def evaluate(expression: str, **bindings):
    return compile(expression).evaluate(bindings)


@pytest.mark.parametrize("expression, expected", [
    ("'Gap of %d minutes (%s -> %s UTC)'.format([47, '13:25', '14:12'])", "Gap of 47 minutes (13:25 -> 14:12 UTC)"),
    ("'%s, %s, %s, %s'.format([true, null, 2.5, 3u])", "true, null, 2.5, 3"),
    ("'%s'.format([['a', 1, {'k': false, 'b': 2.5}]])", '[a, 1, {b: 2.5, k: false}]'),
    ("'%s / %s'.format([timestamp('2026-11-20T09:10:00Z'), duration('1h30m')])", "2026-11-20T09:10:00Z / 5400s"),
    ("'%s'.format([type(1)])", "int"),
    ("'%f|%.2f|%.0f|%e'.format([3.14, 2, 2.5, 1234.5])", "3.140000|2.00|2|1.234500e+03"),
    ("'%b %b %o %x %X %x'.format([5, true, 8, 255, 255, -26])", "101 1 10 ff FF -1a"),
    ("'%x %X'.format(['hi', b'\\x0a'])", "6869 0A"),
    ("'100%% of %d'.format([3])", "100% of 3"),
    ("'no clauses'.format([])", "no clauses"),
    ("'%f %f'.format([double('NaN'), -double('Infinity')])", "NaN -Infinity"),
])
def test_values(expression, expected):
    assert evaluate(expression) == expected


def test_values_from_data_are_filled_when_the_message_is_built():
    template = "'%s was due at %s, %d minutes ago'"
    when = datetime(2026, 11, 20, 14, 12, tzinfo=timezone.utc)
    assert evaluate(f"{template}.format([who, at, minutes])", who="@dana.k", at=when, minutes=UInt(5)) \
        == "@dana.k was due at 2026-11-20T14:12:00Z, 5 minutes ago"
    assert evaluate("t.format(values)", t="%s-%d", values=["a", 1]) == "a-1"


@pytest.mark.parametrize("expression, message, column", [
    ("'%q of %s'.format([1, 2])", "unknown clause '%q' at character 1 of the template", 1),
    ("'50%'.format([])", "a lone '%' at character 3", 1),
    ("'%d, %d'.format([1])", "the template has 2 clauses but 1 value was given", 17),
    ("'%s'.format(['a', 'b'])", "the template has 1 clause but 2 values were given", 13),
    ("'%s and %d'.format(['a', 'b'])", "%d needs an int or uint, not string (value 2)", 26),
    ("'%d'.format([true])", "%d needs an int or uint, not bool (value 1)", 14),
    ("'%x'.format([1.5])", "%x needs an int, uint, string or bytes, not double (value 1)", 14),
])
def test_mistakes_in_the_expression_are_found_when_it_loads_at_their_place(expression, message, column):
    with pytest.raises(CelTypeError) as caught:
        compile(expression)
    assert caught.value.message.startswith("format: " + message)
    assert (caught.value.line, caught.value.column) == (1, column)


@pytest.mark.parametrize("bindings, message", [
    ({"t": "%s %z", "v": [1, 2]}, "unknown clause '%z' at character 4"),
    ({"t": "%s %s", "v": [1]}, "the template has 2 clauses but 1 value was given"),
    ({"t": "%d", "v": ["a"]}, "%d needs an int or uint, not string (value 1)"),
    ({"t": "%f", "v": [timedelta(minutes=3)]}, "%f needs a number, not duration (value 1)"),
])
def test_mistakes_only_known_from_data_are_evaluation_errors_at_the_call(bindings, message):
    with pytest.raises(CelEvaluationError) as caught:
        evaluate("'x: ' + t.format(v)", **bindings)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 11)   # at `format`


def test_dynamic_values_are_checked_when_filled():
    assert evaluate("'%d'.format([dyn(n)])", n=4) == "4"
    with pytest.raises(CelEvaluationError, match="%d needs an int or uint, not string"):
        evaluate("'%d'.format([dyn(n)])", n="4")


def test_the_result_is_charged_to_the_budget_before_it_grows():
    text = "x" * 100_000
    program = compile("'%s%s%s%s'.format([s, s, s, s])", cost_budget=30_000)
    for _ in range(3):   # the reference closures, then the generated fast path
        with pytest.raises(CelEvaluationError, match="cost budget"):
            program.evaluate({"s": text})
    assert len(compile("'%s%s%s%s'.format([s, s, s, s])", cost_budget=50_000).evaluate({"s": text})) == 400_000
    nested = compile("'%s'.format([l])", cost_budget=1_000)
    with pytest.raises(CelEvaluationError, match="cost budget"):
        nested.evaluate({"l": [["y" * 10] * 100] * 100})


def test_both_execution_paths_charge_alike():
    program = compile("'%s: %d of %s'.format([name, size(items), items])")
    bindings = {"name": "gap" * 50, "items": ["a" * 30] * 20}
    exact = [10_000]
    expected = program._function({**bindings, COST_KEY: exact})
    program.evaluate(bindings)
    program.evaluate(bindings)                     # builds the fast path
    assert program._fast, "format has a fast path"
    fast = [10_000]
    assert program._fast(bindings, fast) == expected and fast == exact and exact[0] < 10_000
