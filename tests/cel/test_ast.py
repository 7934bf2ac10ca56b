"""The one traversal of rule-language trees (`walk`) and the `doc.a[0].b` chains read from them."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.cel.ast import Comprehension, Ident, Select, qualified_name, selection_path, walk
from hotfix_policy.engine.cel.parser import MAX_DEPTH, parse
from hotfix_policy.engine.cel.printer import unparse


def test_walk_yields_every_node_root_first_in_source_order():
    shown = [unparse(node) for node in walk(parse("a.b + f(c, [d, {e: g}])"))]
    assert shown == ["a.b + f(c, [d, {e: g}])", "a.b", "a", "f(c, [d, {e: g}])", "c", "[d, {e: g}]", "d",
                     "{e: g}", "e", "g"]


def test_walk_visits_a_receiver_before_its_arguments_and_a_macro_range_filter_body_in_order():
    shown = [unparse(node) for node in walk(parse("xs.map(x, x > 1, x * 2)"))]
    assert shown[1:] == ["xs", "x > 1", "x", "1", "x * 2", "x", "2"]
    shown = [unparse(node) for node in walk(parse("s.startsWith(t)"))]
    assert shown == ["s.startsWith(t)", "s", "t"]


def test_prune_yields_the_node_but_not_what_is_under_it():
    tree = parse("doc.a.b || f(doc.c)")
    shown = [unparse(node) for node in walk(tree, prune=lambda node: isinstance(node, Select))]
    assert shown == ["doc.a.b || f(doc.c)", "doc.a.b", "f(doc.c)", "doc.c"]


def test_comprehension_variables_are_found_by_walking():
    tree = parse("doc.updates.all(u, u.items.exists(i, i.done))")
    assert {node.variable for node in walk(tree) if isinstance(node, Comprehension)} == {"u", "i"}


def test_walk_does_not_recurse_on_deep_trees():
    node = Ident(name="doc")
    for _ in range(20 * MAX_DEPTH):  # far deeper than Python's recursion limit
        node = Select(operand=node, field="a")
    assert sum(1 for _ in walk(node)) == 20 * MAX_DEPTH + 1


def test_walk_of_the_deepest_expression_the_parser_accepts():
    source = "(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1)
    assert [unparse(node) for node in walk(parse(source))] == ["x"]


@pytest.mark.parametrize("source, expected", [
    ("doc", ("doc", ())),
    ("doc.a.b", ("doc", ("a", "b"))),
    ("doc.updates[2].eta", ("doc", ("updates", 2, "eta"))),
    ("doc.updates[2u].eta", ("doc", ("updates", 2, "eta"))),
    ("doc['labels'].x", ("doc", ("labels", "x"))),
    ("has(doc.eta)", ("doc", ("eta",))),
    ("item.text", ("item", ("text",))),
    ("doc.updates[i].eta", None),
    ("doc.updates[true]", None),
    ("f(doc).a", None),
    ("doc.a.size()", None),
])
def test_selection_path(source, expected):
    assert selection_path(parse(source)) == expected


@pytest.mark.parametrize("source, expected", [
    ("a", "a"), ("a.b.c", "a.b.c"), (".a.b", ".a.b"), ("a[0].b", None), ("has(a.b)", None), ("f(a).b", None),
])
def test_qualified_name(source, expected):
    assert qualified_name(parse(source)) == expected
