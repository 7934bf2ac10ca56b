"""The policy tests as the Testing view lists and runs them: the same cases `policy test` runs,
named by stable ids, placed at their entries, stopped at a deadline."""

import time
from pathlib import Path

from hotfix_policy.engine.editor.policy_tests import PolicyTestPlan, shown_path
from hotfix_policy.engine.policy.config import load_config
from hotfix_policy.engine.policy.planned_tests import plan_tests, folders_to_test
from hotfix_policy.engine.resources import resource_dir


def _builtin():
    config = load_config(None)
    return config, PolicyTestPlan(config, Path("/nowhere"))


def test_the_plan_holds_exactly_what_policy_test_runs():
    config, plan = _builtin()
    errors: list = []
    planned = plan_tests(folders_to_test(config), errors)
    cases = [case.label for each in planned for case in each.cases]
    assert errors == [] and plan.errors == [] and len(cases) > 200
    assert [e.label for e in plan.entries if e.kind in ("case", "example")] == cases


def test_examples_sit_under_their_rule_at_their_entry():
    _, plan = _builtin()
    by_id = {entry.id: entry for entry in plan.entries}
    example = by_id["builtin:hotfix/incident.yaml#INC001/2"]
    assert (example.label, example.kind, example.parent) == ("INC001[a level, in any case]", "example",
                                                             "builtin:hotfix/incident.yaml#INC001")
    lines = (resource_dir("policies") / "hotfix" / "incident.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[example.span.line - 1].strip() == "- name: a level, in any case"
    assert by_id[example.parent].kind == "rule" and by_id["builtin:hotfix/incident.yaml"].kind == "file"


def test_selection_by_file_or_rule_and_a_deadline_that_leaves_the_rest_not_run():
    _, plan = _builtin()
    rule = plan.selected(["builtin:hotfix/incident.yaml#INC001"])
    assert rule == ["builtin:hotfix/incident.yaml#INC001/1", "builtin:hotfix/incident.yaml#INC001/2"]
    assert set(rule) < set(plan.selected(["builtin:hotfix/incident.yaml"]))
    assert plan.selected(["builtin:hotfix/incident.yaml#INC00"]) == []  # a prefix of an id names nothing
    outcomes, not_run = plan.run(rule, deadline=time.monotonic() - 1)
    assert outcomes == [] and not_run == rule
    outcomes, not_run = plan.run(rule)
    assert [o.passed for o in outcomes] == [True, True] and not_run == []


def test_a_file_is_shown_relative_to_the_workspace_else_to_its_pack(tmp_path):
    folders = [(tmp_path / "packs" / "mine", "mine")]
    assert shown_path(str(tmp_path / "ws" / "policies" / "a.yaml"), tmp_path / "ws", folders) == "policies/a.yaml"
    assert shown_path(str(tmp_path / "packs" / "mine" / "a.yaml"), tmp_path / "ws", folders) == "mine/a.yaml"
