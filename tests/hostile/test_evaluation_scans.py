"""Scans: `x in list` looks at the list item by item, so `doc.items.all(x, x in doc.items)` over a
document's long list is quadratic, while the budget charged only the macro's iterations. `in`
on a list that is not written in the expression now costs a unit per item, so that rule runs out
of budget instead of running for minutes; `in` on a written list of strings stays a set look-up."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, compile

from .budget import charged_by_closures, charged_by_generated_code


def test_a_quadratic_membership_runs_out_of_budget_on_both_paths():
    program = compile("doc.items.all(x, x in doc.items)")
    bindings = {"doc": {"items": [f"item-{i}" for i in range(3_000)]}}  # 9 million look-ups
    for _ in range(3):  # closures, then the generated code
        with pytest.raises(CelEvaluationError, match="cost budget exceeded") as caught:
            program.evaluate(bindings)
        assert caught.value.column == len("doc.items.all(x, x ") + 1


@pytest.mark.parametrize("charged", [charged_by_closures, charged_by_generated_code])
def test_what_membership_costs_grows_with_the_list(charged):
    def bindings(n):
        return {"doc": {"items": list(range(n)), "labels": ["x"] * n}}

    expression = "-1 in doc.items || 'hotfix' in doc.labels"  # both false: both scanned
    small, large = charged(compile(expression), bindings(1_000)), charged(compile(expression), bindings(2_000))
    assert small >= 2_000 and large / small == pytest.approx(2, rel=0.01)


def test_a_written_list_of_strings_is_not_scanned():
    program = compile("doc.severity in ['CRITICAL', 'HIGH']")
    assert program.evaluate({"doc": {"severity": "HIGH"}}) is True
    assert not program._budgeted
