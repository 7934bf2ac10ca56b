"""The extensions that keep rules over a whole run linear: `groupBy`, `sortBy`, `range`,
`flatten`, and `listed` for bounded message lists; on the closures and the generated code alike,
and a `groupBy` over the run's documents computed once per run."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from hotfix_policy.engine.cel import MEMO_KEY, CelEvaluationError, CelTypeError, RunMemo, compile
from hotfix_policy.engine.cel.cost import COST_KEY

INCIDENTS = [{"id": "INC-1", "branch": "hotfix/a"}, {"id": "INC-2", "branch": "hotfix/b"},
             {"id": "INC-3", "branch": "hotfix/a"}, {"id": "INC-4"}]


def both_paths(expression: str, bindings: dict):
    """The value by the closures and by the generated code (which must exist), which must agree."""
    program = compile(expression)
    exact = program.evaluate_exact(bindings)
    program.evaluate(bindings)
    program.evaluate(bindings)  # the second evaluation builds the generated code
    assert program._fast, expression
    budget = [10**9]
    fast = program._fast(bindings, budget)
    assert fast == exact and type(fast) is type(exact)
    closures_budget = [10**9]
    program._function({**bindings, COST_KEY: closures_budget})
    assert budget == closures_budget, "both paths charge the same"
    return exact


def test_group_by_gives_each_key_its_elements_in_list_order():
    groups = both_paths("l.filter(i, has(i.branch)).groupBy(i, i.branch)", {"l": INCIDENTS})
    assert groups == {"hotfix/a": [INCIDENTS[0], INCIDENTS[2]], "hotfix/b": [INCIDENTS[1]]}
    assert both_paths("size(l.filter(i, has(i.branch)).groupBy(i, i.branch)['hotfix/a'])", {"l": INCIDENTS}) == 2
    assert both_paths("'hotfix/c' in l.filter(i, has(i.branch)).groupBy(i, i.branch)", {"l": INCIDENTS}) is False
    assert both_paths("[1, 2, 3, 4].groupBy(x, x % 2 == 0)", {}) == {False: [1, 3], True: [2, 4]}


def test_sort_by_is_stable_and_takes_list_keys():
    assert both_paths("[3, 1, 2].sortBy(x, x)", {}) == [1, 2, 3]
    rows = [{"d": 2, "k": "b"}, {"d": 1, "k": "z"}, {"d": 2, "k": "a"}, {"d": 1, "k": "y"}]
    assert both_paths("l.sortBy(r, r.d)", {"l": rows}) == [rows[1], rows[3], rows[0], rows[2]]
    assert both_paths("l.sortBy(r, [r.d, r.k])", {"l": rows}) == [rows[3], rows[1], rows[2], rows[0]]
    stamps = [datetime(2026, 11, day, tzinfo=timezone.utc) for day in (20, 2, 11)]
    assert both_paths("l.sortBy(t, t)", {"l": stamps}) == sorted(stamps)


def test_range_flatten_and_listed():
    assert both_paths("range(3).map(k, l[k] * 10)", {"l": [1, 2, 3, 4]}) == [10, 20, 30]
    assert both_paths("[[1], [2, 3], [], 4].flatten()", {}) == [1, 2, 3, 4]
    labels = {"l": ["INC-1", "INC-2", "INC-3", "INC-4", "INC-5"]}
    assert both_paths("l.listed()", labels) == "INC-1, INC-2, INC-3 and 2 others"
    assert both_paths("l.listed(4)", labels) == "INC-1, INC-2, INC-3 and 1 other"
    assert both_paths("l.listed(2)", labels) == "INC-1, INC-2"
    assert both_paths("l.listed(0)", labels) == ""


def test_the_docs_show_what_listed_with_a_count_leaves_out():
    """`l.listed(k)` lists the first k items only (WS001 names a month's hotfixes before the k-th
    this way): the README and the function reference say so with examples, evaluated here."""
    from hotfix_policy.engine.cel.functions import FUNCTION_DOCS
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"`([^`]*\.listed\([^`]*\))` is\s+`([^`]*)`", readme)
    shown.append((FUNCTION_DOCS["listed"].example, FUNCTION_DOCS["listed"].result))
    with_count = [(example, result) for example, result in shown if not example.endswith(".listed()")]
    assert len(with_count) >= 3, shown  # two in the README, one in the reference
    assert ("['a', 'b', 'c', 'd', 'e'].listed(2)", "'a, b'") in with_count  # the three others not mentioned
    for example, result in shown:
        assert compile(example).evaluate({}) == compile(result).evaluate({}), example
    assert "size(labels) - k" in readme and "size(l) - k" in FUNCTION_DOCS["listed"].description


@pytest.mark.parametrize("expression, message", [
    ("[1, 2].groupBy(x, [x])", "a groupBy() key must be an int, uint, string or bool, not list(int)"),
    ("[1, 2].groupBy(x, 2.5)", "a groupBy() key must be an int, uint, string or bool, not double"),
    ("[1, 2].sortBy(x, {'a': x})", "a sortBy() key must be"),
])
def test_keys_of_the_wrong_type_are_refused_when_the_policy_loads(expression, message):
    with pytest.raises(CelTypeError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        compile(expression, {})
    assert caught.value.column == expression.rindex(", ") + 3


@pytest.mark.parametrize("expression, message", [
    ("dyn([1, 'a']).groupBy(x, x)", "groupBy() keys must be of one type: string after int"),
    ("dyn([2.5, 1]).groupBy(x, x)", "a groupBy() key cannot be double"),
    ("dyn([timestamp('2026-01-01T00:00:00Z')]).groupBy(x, x)", "a groupBy() key cannot be timestamp:"),
    ("dyn([1, 'a']).sortBy(x, x)", "sortBy() keys must be of one type"),
    ("[1.0, 0.0 / 0.0].sortBy(x, x)", "a sortBy() key cannot be NaN"),
    ("range(-1)", "range() of a negative size"),
    ("['a'].listed(2)", "listed(2) out of range for a list of size 1"),
    ("[1, 2].listed()", "listed() needs a list of strings"),
])
def test_keys_and_arguments_known_only_from_the_data_are_errors_at_evaluation(expression, message):
    program = compile(expression)
    for _ in range(3):  # the closures, then the generated code giving way to them
        with pytest.raises(CelEvaluationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            program.evaluate({})


def test_a_group_by_over_the_run_is_computed_once_per_run_and_charged_alike_at_every_use():
    keys = []
    program = compile("docs.incident.groupBy(i, i.id.startsWith(doc.prefix) || true)")  # reads doc: not remembered
    remembered = compile("size(docs.incident.groupBy(i, i.branch)['hotfix/a'])")
    memo = RunMemo({"docs"})
    incidents = [{"id": f"INC-{n}", "branch": "hotfix/a"} for n in range(50)]
    run = {"docs": {"incident": incidents}, MEMO_KEY: memo}
    charges = []
    for document in range(4):  # one evaluation per document, as a per-document rule has
        budget = [10**9]
        assert remembered._function({**run, "doc": {"prefix": str(document)}, COST_KEY: budget}) == 50
        charges.append(10**9 - budget[0])
        keys.append(program.evaluate({**run, "doc": {"prefix": "INC"}}))
    assert len(memo.values) == 1  # the grouping that reads `docs` only
    assert len(set(charges)) == 1 and charges[0] > 50  # each use is charged what the first computation was
    incidents.append({"id": "INC-50", "branch": "hotfix/a"})  # (a run's documents do not change: this shows
    assert remembered.evaluate({**run, "doc": {}}) == 50      # that the second run needs a memo of its own)
    assert remembered.evaluate({**run, MEMO_KEY: RunMemo({"docs"}), "doc": {}}) == 51


def test_a_remembered_group_by_is_remembered_per_ctx():
    """A stored PR body of another pull request is judged with a `ctx` of its own in the same run
    (pull_request_scope.py): a grouping that reads `ctx` is not the run's ctx's grouping there."""
    program = compile("size(docs.incident.filter(i, i.branch in ctx.labels).groupBy(i, i.branch))")
    memo = RunMemo({"docs", "ctx"})
    docs = {"incident": [{"id": "INC-1", "branch": "a"}, {"id": "INC-2", "branch": "b"}]}
    run_ctx, other_ctx = {"labels": ["a", "b"]}, {"labels": []}
    for _ in range(2):
        assert program.evaluate({"docs": docs, "ctx": run_ctx, MEMO_KEY: memo}) == 2
        assert program.evaluate({"docs": docs, "ctx": other_ctx, MEMO_KEY: memo}) == 0
    assert len(memo.values) == 2
