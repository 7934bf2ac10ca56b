"""Expression size: a policy of 50,000 `&&` terms or a 100,000-item list took about a minute to
load, because the parser copied the operands gathered so far at each new one (and measured the
depth of all of them again). Loading is now linear, and an expression beyond the size limits is
refused before anything slow could run, with the place where it crosses the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotfix_policy.cli.main import main
from hotfix_policy.engine.cel import CelSyntaxError, compile, parser
from hotfix_policy.engine.cel.codegen import generate
from hotfix_policy.engine.cel.printer import unparse
from hotfix_policy.engine.limits import MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_NODES

from .work import LINEAR, bytes_allocated, calls_made, growth


def _and_chain(terms: int) -> str:
    return " && ".join(f"doc.f{i % 50} == 'v{i}'" for i in range(terms))


def _or_chain(terms: int) -> str:
    return " || ".join(f"doc.f{i % 50}.startsWith('v{i}')" for i in range(terms))


def _list(items: int) -> str:
    return "doc.severity in [" + ", ".join(f"'S{i}'" for i in range(items)) + "]"


def _load(text: str) -> None:
    """Everything a policy's expression goes through before the first document: parse, check,
    compile to closures, generate the fast path, print (tooling and explanations)."""
    program = compile(text)
    assert generate(program._compiled) is not None
    unparse(program.ast)


@pytest.fixture
def unlimited(monkeypatch):
    """The size limits lifted, so the shape of the work shows at sizes where a quadratic pass
    dominates (the limits alone would hide it, and a later raise of them would bring it back)."""
    monkeypatch.setattr(parser, "MAX_EXPRESSION_LENGTH", 10**9)
    monkeypatch.setattr(parser, "MAX_EXPRESSION_NODES", 10**9)


@pytest.mark.parametrize("shape", [_and_chain, _or_chain, _list])
def test_twice_the_terms_is_twice_the_calls_to_load(unlimited, shape):
    assert growth(calls_made, lambda: _load(shape(1_000)), lambda: _load(shape(2_000))) < LINEAR


@pytest.mark.parametrize("shape", [_list])
def test_twice_the_terms_is_twice_the_memory_allocated_to_parse(unlimited, shape):
    # Copying the items gathered so far at each item makes no Python call: count its bytes.
    assert growth(bytes_allocated, lambda: parser.parse(shape(1_000)), lambda: parser.parse(shape(2_000))) < LINEAR


def test_an_expression_longer_than_the_limit_is_refused_where_it_crosses_it():
    text = _and_chain(5_000)
    assert len(text) > MAX_EXPRESSION_LENGTH
    with pytest.raises(CelSyntaxError, match=f"longer than {MAX_EXPRESSION_LENGTH:,} characters") as caught:
        compile(text)
    assert (caught.value.line, caught.value.column) == (1, MAX_EXPRESSION_LENGTH + 1)


def test_an_expression_of_too_many_nodes_is_refused_at_the_first_node_past_the_limit():
    text = "[" + "1," * (MAX_EXPRESSION_NODES + 100) + "]"
    assert len(text) < MAX_EXPRESSION_LENGTH
    with pytest.raises(CelSyntaxError, match=f"larger than {MAX_EXPRESSION_NODES:,}") as caught:
        compile(text)
    # The list is the first node, its items the next ones: item k starts at column 2k.
    assert caught.value.column == 2 * MAX_EXPRESSION_NODES
    compile("[" + "1," * (MAX_EXPRESSION_NODES - 1) + "]")  # at the limit: fine


def test_the_limits_leave_room_for_realistic_expressions():
    compile(_and_chain(300))  # far more than any rule of the pack
    compile(_list(600))


def test_a_policy_file_names_the_place_and_eval_shows_it(tmp_path: Path, capsys):
    text = _and_chain(5_000)
    policy = tmp_path / "big.yaml"
    policy.write_text("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: big}\nspec:\n  appliesTo: incident\n"
                      "  rules:\n    - id: BIG001\n      severity: warning\n"
                      f"      expression: \"{text}\"\n      message: big\n", encoding="utf-8")
    assert main(["validate", str(policy)]) == 1
    out = capsys.readouterr().out
    column = len('      expression: "') + MAX_EXPRESSION_LENGTH + 1
    assert f"big.yaml:9:{column}: expression longer than" in out
    assert main(["eval", text]) == 2
    shown = capsys.readouterr().err.splitlines()
    assert shown[0].startswith(f"<expr>:1:{MAX_EXPRESSION_LENGTH + 1}: expression longer than")
    assert shown[2].strip() == "^"


def test_a_cached_tree_larger_than_the_parser_allows_is_refused():
    from hotfix_policy.engine.cel.ast_data import from_data, to_data

    stored = to_data(parser.parse("[" + "1," * (MAX_EXPRESSION_NODES - 1) + "]"))
    assert from_data(stored).elements[-1].value == 1
    stored[3]["t"].append(stored[3]["t"][0])  # one item more than a parse gives
    with pytest.raises(ValueError, match="more than"):
        from_data(stored)
