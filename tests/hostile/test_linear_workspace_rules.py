"""The pack's workspace rules (WS001-WS003) cost work in proportion to the run, in its worst case:
every record a hotfix of the same month, each naming the hotfix before it.

WS001 used to compare every hotfix with every other, and to list every earlier hotfix of the
month in each message: 1,000 -> 2,000 records tripled `policy check`. The cost units an
evaluation charges (`engine/cel/cost.py`) count its work without a clock, so here the whole
policy (variables, each rule's items, expressions and messages) is evaluated for N and 2N
hotfixes, by git's merges and tags and by incident records alone, and the units must double,
not quadruple; and the run's budget (which grows with the run) is far from spent.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hotfix_policy.engine.cel import DEFAULT_COST_BUDGET
from hotfix_policy.engine.cel.cost import COST_KEY
from hotfix_policy.engine.kinds import WORKSPACE
from hotfix_policy.engine.policy.check import load_run_policies
from hotfix_policy.engine.policy.config import load_config
from hotfix_policy.engine.policy.evaluate import docs_binding

from .budget import PLENTY
from .work import LINEAR

NOVEMBER = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _incidents(count: int) -> list:
    return [{"id": f"INC-{n}", "number": n, "branch": f"hotfix/v3.{n}.1-fix", "issue": f"Fails since v3.{n - 1}.1",
             "declared": NOVEMBER + timedelta(minutes=(n * 7919) % (29 * 1440))} for n in range(1, count + 1)]


def _git(count: int) -> tuple:
    """Half the hotfixes as merges on main, half as tags only (no merge listed)."""
    merges, tags = [], []
    for n in range(1, count + 1):
        date = NOVEMBER + timedelta(minutes=(n * 7919) % (29 * 1440))
        version = {"major": 3, "minor": n, "patch": 1}
        if n % 2:
            merges.append({"branch": f"hotfix/v3.{n}.1-fix", "date": date, "sha": f"{n:040x}", "short_sha": f"{n:07x}",
                           "version": version})
        else:
            tags.append({"name": f"v3.{n}.1", "merge_branch": f"hotfix/v3.{n}.1-fix", "date": date, "version": version})
    return merges, tags


def _workspace_policy():
    """(the pack's workspace policy, the run's data with its defaults)."""
    policies = load_run_policies(load_config(None))
    return next(p for p in policies.policies if p.applies_to == WORKSPACE), policies.data


def _charged(program, bindings: dict) -> int:
    budget = [PLENTY]
    program._function({**bindings, COST_KEY: budget})
    return PLENTY - budget[0]


def policy_cost(count: int, with_git: bool) -> tuple:
    """(units charged by the workspace policy, its WS001 and WS002 findings) for `count` hotfixes."""
    policy, data = _workspace_policy()
    docs = docs_binding([])
    docs["incident"] = _incidents(count)
    if with_git:
        merges, docs["tag"] = _git(count)
        docs["repository"] = [{"merges": merges}]
    variables: dict = {}
    bindings = {"docs": docs, "ctx": {"now": NOVEMBER + timedelta(days=40)}, "data": data, "variables": variables}
    total = 0
    for variable in policy.variables:
        budget = [PLENTY]
        variables[variable.name] = variable.expression.program._function({**bindings, COST_KEY: budget})
        total += PLENTY - budget[0]
    failed = {}
    for rule in policy.rules:
        total += _charged(rule.for_each.program, bindings)
        for item in rule.for_each.program._function(bindings):
            scope = {**bindings, "item": item}
            total += _charged(rule.expression.program, scope)
            if rule.expression.program._function(scope) is False:
                failed[rule.id] = failed.get(rule.id, 0) + 1
                total += _charged(rule.message_expression.program, scope)
    return total, failed


@pytest.mark.parametrize("with_git", [False, True], ids=["incident records", "git merges and tags"])
def test_the_workspace_rules_cost_twice_as_much_for_twice_the_hotfixes(with_git):
    small, small_failed = policy_cost(300, with_git)
    large, large_failed = policy_cost(600, with_git)
    assert small_failed["WS001"] == 299 and large_failed["WS001"] == 599  # every later hotfix of the month
    assert large_failed["WS002"] >= 400  # most name the hotfix before them (when it came earlier)
    assert large / small <= LINEAR, (small, large)
    assert large < DEFAULT_COST_BUDGET * 600 / 100  # a small share of the run's budget


def test_a_message_names_three_earlier_hotfixes_and_counts_the_rest():
    policy, data = _workspace_policy()
    docs = docs_binding([])
    docs["incident"] = _incidents(6)
    variables: dict = {}
    bindings = {"docs": docs, "ctx": {"now": NOVEMBER}, "data": data, "variables": variables}
    for variable in policy.variables:
        variables[variable.name] = variable.expression.program.evaluate(bindings)
    rule = next(r for r in policy.rules if r.id == "WS001")
    last = max(variables["monthly"], key=lambda item: item["earlier"])
    message = rule.message_expression.program.evaluate({**bindings, "item": last})
    assert last["earlier"] == 5
    assert ", declared 2026-11-" in message and message.count("INC-") == 4  # itself and three before it
    assert " and 2 others: " in message
