"""The parse tables shipped in grammar_tables.py are the grammar's: made from this grammar.lark
by the Lark installed (else every run would build the parser from the grammar, 0.3 to 0.5 s),
and they parse every construct, and fail on every kind of mistake, as the grammar does."""

from __future__ import annotations

import lark
import pytest

from hotfix_policy.engine.cel import grammar_tables, parser, tables
from hotfix_policy.engine.cel.errors import CelSyntaxError

REGENERATE = "run `python -m hotfix_policy.engine.cel.tables_build` and commit grammar_tables.py"

VALID = [
    "a ? b : c ? d : e", "a || b || (c || d)", "a && b && c", "!!a", "--1", "-x", "1 - -2",
    "a < b && b <= c && c > d && d >= e && e == f && f != g", "'x' in list", "1 + 2 * 3 / 4 % 5 - 6",
    "doc.a.b", "doc.`content-type`", "doc.as", "x.size()", "s.startsWith('a')", "xs.all(x, x > 0)",
    "xs.exists_one(x, x == 1)", "xs.map(x, x > 1, x * 2)", "xs.filter(x, x != 0)", "m['k'][0]",
    "google.protobuf.Timestamp{seconds: 1, nanos: 2,}", "Msg{}", ".x", ".f(1)", "f()", "f(1, 2)",
    "has(doc.eta)", "(a)", "[]", "[1, 2,]", "{}", "{'a': 1, 'b': 2,}", "1u", "0x1F", "0xffU", "1.5e3",
    ".5", "2e-3", "'s'", '"d"', "'''multi\nline'''", 'r"\\d+"', "b'bytes'", "br'raw'", "true", "false",
    "null", "a // comment\n + b", "size(doc.updates) > 2 && doc.updates.all(u, has(u.eta))",
]
MISTAKES = [
    "", "f(1, 2,)", "1 +", "(1", "[1, 2", "{'a' 1}", "a ? b", "a b", "1 ) 2", "doc.", "f(,)", "#", "'open",
    "x.`a", "if", "let + 1", "has(x)", "xs.all(1, true)", "Msg{1: 2}", "a.b{c: 1}.d{",
]


def _outcome(text: str):
    try:
        return parser.parse(text)
    except CelSyntaxError as error:
        return (str(error), error.line, error.column)


def test_the_shipped_tables_are_made_from_this_grammar_by_this_lark():
    assert grammar_tables.SOURCE_DIGEST == tables.source_digest(), f"grammar.lark changed: {REGENERATE}"
    if grammar_tables.LARK_VERSION != lark.__version__:  # a newer Lark than the pin's floor: still correct, slower
        pytest.skip(f"tables made by Lark {grammar_tables.LARK_VERSION}, Lark {lark.__version__} installed "
                    f"(runs build the parser in memory): {REGENERATE}")
    assert tables.shipped_tables_apply()


def test_the_shipped_tables_parse_as_the_grammar_does(monkeypatch):
    shipped = [_outcome(text) for text in VALID + MISTAKES]
    assert [isinstance(outcome, tuple) for outcome in shipped] == [False] * len(VALID) + [True] * len(MISTAKES)
    from_grammar = tables.grammar_parser(parser._Builder())
    monkeypatch.setattr(parser, "_parser", lambda: from_grammar)
    assert [_outcome(text) for text in VALID + MISTAKES] == shipped


@pytest.mark.parametrize("stamp", ["SOURCE_DIGEST", "LARK_VERSION"])
def test_tables_made_from_something_else_are_not_used(monkeypatch, stamp):
    monkeypatch.setattr(grammar_tables, stamp, "something else")
    monkeypatch.setattr(grammar_tables, "DATA", None)  # loading these would fail
    assert not tables.shipped_tables_apply()
    assert tables.build_parser(parser._Builder()).parse("1 + x").function == "_+_"
