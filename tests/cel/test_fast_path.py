"""The generated fast path must agree with the reference closures on every expression and input:
the same value (type included), or both an error; and where it answers, it charges the cost
budget exactly what the closures charge (so it can never answer where they run out)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.cel import CelError, UInt, compile
from hotfix_policy.engine.cel.cost import COST_KEY

BINDINGS = {
    "i": 7, "j": -3, "big": 2**62, "f": 2.5, "nan": math.nan, "s": "hotfix/v1.2.3-fix", "t": "HIGH", "b": True,
    "u": UInt(4), "n": None, "l": [1, 2, 3], "ls": ["a", "HIGH", "b"], "m": {"a": 1, "b": 2},
    "ts": datetime(2026, 11, 20, 9, 10, tzinfo=timezone.utc), "d": timedelta(minutes=30),
    "doc": {"severity": "HIGH", "updates": [{"status": "FIXING", "n": 1}, {"status": "TESTING"}], "flag": False},
}
DECLARATIONS = {"i": "int", "j": "int", "big": "int", "f": "double", "nan": "double", "s": "string",
                "t": "string", "b": "bool", "u": "uint", "n": "null_type", "l": "list(int)",
                "ls": "list(string)", "m": "map(string, int)", "ts": "timestamp", "d": "duration", "doc": "dyn"}

DYN_ATOMS = ["doc.flag", "dyn(1)", "dyn(1u)", "dyn(2.5)", "dyn(2)", "dyn('a')", "doc.severity", "dyn(null)",
             "dyn([1])", "dyn([1.0])", "dyn(ts)", "dyn(d)", "dyn(b)", "dyn(big)", "dyn(nan)", "dyn({'a': 1})",
             "dyn(b'x')", "'HIGH'", "1", "true"]
OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "in", "&&", "||", ".startsWith",
             ".endsWith", ".contains"]


def _typed_expressions():
    """Mostly well-typed expressions (so most evaluate to values), with dyn data and a few errors."""
    ints = st.deferred(lambda: st.one_of(
        st.sampled_from(["i", "j", "big", "1", "0", "-2", "size(l)", "size(s)", "doc.updates[0].n", "m.a",
                         "doc.updates.size()", "dyn(i)", "size(pairs(l))", "size(s.findAll('[0-9]'))",
                         "s.split('/').size()"]),
        strings.map(lambda c: f"size({c})"),
        st.tuples(ints, st.sampled_from(["+", "-", "*", "/", "%"]), ints).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(bools, ints, ints).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
        ints.map(lambda c: f"-({c})"),
        st.tuples(lists_of_ints, ints).map(lambda p: f"({p[0]})[{p[1]}]"),
    ))
    strings = st.deferred(lambda: st.one_of(
        st.sampled_from(["s", "t", "'HIGH'", "''", "doc.severity", "doc.updates[1].status", "string(f)", "ls[1]"]),
        st.tuples(strings, strings).map(lambda p: f"({p[0]} + {p[1]})"),
        ints.map(lambda c: f"string({c})"),
        st.tuples(strings, st.sampled_from([".lowerAscii()", ".upperAscii()", ".trim()", ".replace('h', 'HH')",
                                            ".substring(1)", ".split('/').join('-')", ".findAll('[a-z]+').join()"]))
        .map(lambda p: f"({p[0]}){p[1]}"),
        strings.map(lambda c: f"string(bytes({c}))"),
        st.tuples(strings, strings).map(lambda p: f"[{p[0]}, {p[1]}].join(', ')"),
        st.tuples(strings, ints).map(lambda p: f"[{p[0]}, 'b', 'c', 'd'].listed({p[1]})"),
    ))
    bools = st.deferred(lambda: st.one_of(
        st.sampled_from(["b", "true", "false", "doc.flag", "has(doc.missing)", "has(doc.severity)", "nan < 1.0"]),
        st.tuples(ints, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), ints).map(
            lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(strings, st.sampled_from(["==", "!=", "<", ">="]), strings).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(bools, st.sampled_from(["&&", "||"]), bools).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        bools.map(lambda c: f"!({c})"),
        st.tuples(strings, st.sampled_from(["ls", "['HIGH', 'LOW']", "m"])).map(lambda p: f"({p[0]} in {p[1]})"),
        st.tuples(ints, st.sampled_from(["l", "[1, 2u, 3.0]"])).map(lambda p: f"({p[0]} in {p[1]})"),
        strings.map(lambda c: f"({c}).matches('^h|IG')"),
        strings.map(lambda c: f"({c}).startsWith('h')"),
        st.tuples(st.sampled_from(["all", "exists", "exists_one"]), ints).map(
            lambda p: f"l.{p[0]}(x, x * {p[1]} > 2)"),
        st.sampled_from(["all", "exists", "exists_one"]).map(lambda m: f"doc.updates.{m}(u, u.status == 'FIXING')"),
        st.sampled_from(["ts + d > timestamp('2026-11-20T09:30:00Z')", "ts - ts == duration('0s')"]),
    ))
    lists_of_ints = st.deferred(lambda: st.one_of(
        st.sampled_from(["l", "[1, 2, 3]", "[]"]),
        st.tuples(lists_of_ints, ints).map(lambda p: f"({p[0]}).map(x, x + {p[1]})"),
        st.tuples(lists_of_ints, bools).map(lambda p: f"({p[0]}).filter(x, {p[1]} || x > 1)"),
        st.tuples(lists_of_ints, lists_of_ints).map(lambda p: f"({p[0]} + {p[1]})"),
        lists_of_ints.map(lambda c: f"pairs({c}).map(p, p[0] + p[1])"),
        st.tuples(lists_of_ints, ints).map(lambda p: f"({p[0]}).sortBy(x, x * {p[1]})"),
        st.tuples(lists_of_ints, lists_of_ints).map(lambda p: f"[{p[0]}, {p[1]}].flatten()"),
        ints.map(lambda c: f"range({c})"),
        st.tuples(lists_of_ints, ints).map(lambda p: f"({p[0]}).groupBy(x, x % 2 == 0)[{p[1]} > 0]"),
    ))
    dyn_atoms = st.sampled_from(DYN_ATOMS)
    mixed = st.tuples(dyn_atoms, st.sampled_from(OPERATORS[:14]), dyn_atoms).map(lambda p: f"({p[0]} {p[1]} {p[2]})")
    return st.one_of(ints, strings, bools, lists_of_ints, mixed, mixed.map(lambda c: f"!({c})"))


ATOMS = st.sampled_from([
    "i", "j", "big", "f", "nan", "s", "t", "b", "u", "n", "l", "ls", "m", "ts", "d", "doc", "doc.severity",
    "doc.updates", "doc.flag", "doc.missing", "1", "0", "2.0", "'HIGH'", "'x'", "true", "false", "null", "[]",
    "[1, 'a']", "{'a': 1}", "duration('1h')", "timestamp('2026-11-20T10:00:00Z')", "x",
])
BINARY = st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "in"])


def _expressions():
    """Arbitrary, mostly ill-typed combinations: they exercise the error paths."""

    def extend(children):
        return st.one_of(
            st.tuples(children, BINARY, children).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
            st.tuples(st.sampled_from(["!", "-"]), children).map(lambda p: f"{p[0]}({p[1]})"),
            st.tuples(children, children, children).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
            st.tuples(children, st.sampled_from(["all", "exists", "exists_one", "filter", "map", "groupBy", "sortBy"]),
                      children)
            .map(lambda p: f"({p[0]}).{p[1]}(x, {p[2]})"),
            st.tuples(children, children).map(lambda p: f"({p[0]})[{p[1]}]"),
            st.tuples(children, st.sampled_from(["severity", "status", "a"])).map(lambda p: f"({p[0]}).{p[1]}"),
            children.map(lambda c: f"has(({c}).status)"),
            st.tuples(st.sampled_from(["size", "string", "int", "type", "dyn"]), children)
            .map(lambda p: f"{p[0]}({p[1]})"),
            children.map(lambda c: f"({c}).matches('^h')"),
        )

    return st.recursive(ATOMS, extend, max_leaves=8)


def warmed(program):
    """program.evaluate after a first evaluation, so the call uses the fast path (built on the second)."""
    outcome(program.evaluate)
    return program.evaluate


def outcome(function):
    try:
        value = function(BINDINGS)
    except CelError:
        return "error"
    return value


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@settings(max_examples=300, deadline=None)
@given(st.one_of(_typed_expressions(), _expressions()), st.booleans())
def test_fast_path_agrees_with_the_reference_closures(expression, typed):
    try:
        program = compile(expression, declarations=DECLARATIONS if typed else None)
    except CelError:
        return
    fast, exact = outcome(warmed(program)), outcome(program.evaluate_exact)
    assert same(fast, exact), (expression, fast, exact)


@settings(max_examples=200, deadline=None)
@given(_typed_expressions(), st.booleans(), st.integers(min_value=1, max_value=60))
def test_fast_path_charges_the_budget_what_the_closures_charge(expression, typed, budget):
    try:
        program = compile(expression, declarations=DECLARATIONS if typed else None)
    except CelError:
        return
    outcome(warmed(program))
    exact = [budget]
    try:
        expected = program._function({**BINDINGS, COST_KEY: exact})
    except CelError:
        expected = "error"
    assert same(outcome(lambda b: program.evaluate(b, cost_budget=budget)), expected), expression
    if not program._fast or not program._budgeted:
        return
    fast = [budget]
    try:
        value = program._fast(BINDINGS, fast)
    except Exception:  # noqa: BLE001 - the fast path may give up; the closures then answer
        return
    assert same(value, expected) and fast == exact, (expression, value, expected, fast, exact)


def test_every_operator_on_every_pair_of_dynamic_values():
    disagreements = []
    for left in DYN_ATOMS:
        for operator in OPERATORS:
            for right in DYN_ATOMS:
                expression = f"{left} {operator} {right}" if operator[0] != "." else f"{left}{operator}({right})"
                try:
                    program = compile(expression)
                except CelError:
                    continue
                fast, exact = outcome(warmed(program)), outcome(program.evaluate_exact)
                if not same(fast, exact):
                    disagreements.append((expression, fast, exact))
    assert disagreements == []


def test_common_policy_shapes_get_a_fast_path():
    for expression in ["doc.severity in ['CRITICAL', 'HIGH']", "doc.updates.all(u, has(u.status))",
                       "doc.severity == 'HIGH' && !doc.flag", "l.map(x, x * 2).filter(y, y > 2)",
                       "l.sortBy(x, -x).groupBy(x, x % 2)[1].map(x, range(x)).flatten()"]:
        program = compile(expression)
        outcome(warmed(program))
        assert program._fast, expression
