"""Memory: 36 nested `map`s that double a string (or a list) reached a MemoryError at 2 GB, because
the cost budget counted iterations and not the size of what `+` built. Everything that builds
a value as large as its inputs is now charged for that size before it builds it, so the rule
gets "evaluation cost budget exceeded" (EVAL001) long before memory runs short, on both the
closures and the generated code, and the policy's other rules still run."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, compile
from hotfix_policy.engine.limits import COST_BUDGET, SIZE_PER_COST_UNIT
from tests.conftest import POLICY_COMMAND

from .budget import charged_by_closures, charged_by_generated_code

# 24 doublings make 16 million characters (or elements): over the budget's room, yet small
# enough that the test still fails (rather than exhausting memory) where the charge is missing.
DOUBLINGS = 24
STRING_DOUBLING = "['a']" + ".map(x, x + x)" * DOUBLINGS
LIST_DOUBLING = "[[1]]" + ".map(x, x + x)" * DOUBLINGS


@pytest.mark.parametrize("expression", [STRING_DOUBLING, LIST_DOUBLING])
def test_doubling_runs_out_of_budget_on_both_paths(expression):
    program = compile(expression)
    for evaluate in (program.evaluate, program.evaluate, program.evaluate_exact):  # closures, generated, closures
        with pytest.raises(CelEvaluationError, match="evaluation cost budget exceeded") as caught:
            evaluate({})
        assert caught.value.line == 1 and caught.value.column > 1


GROWERS = {
    # expression over `s` (n characters) or `l` (n items): the size of what it builds
    "s + s": lambda n: 2 * n,
    "s.replace('a', s)": lambda n: n * n,
    "[s, s, s].join(s)": lambda n: 5 * n,
    "s.lowerAscii()": lambda n: n,
    "s.upperAscii()": lambda n: n,
    "s.trim()": lambda n: n,
    "s.substring(1)": lambda n: n - 1,
    "string(bytes(s))": lambda n: 2 * n,
    "s.split('')": lambda n: n,
    "l + l": lambda n: 2 * n,
    "pairs(l)": lambda n: n - 1,
    "s.findAll('a')": lambda n: n,
    "range(size(l))": lambda n: n,
    "[l, l].flatten()": lambda n: 2 * n,
    "l.groupBy(x, x)": lambda n: n,
    "l.sortBy(x, -x)": lambda n: n,
    "s.split('').listed(size(s))": lambda n: n,  # the split's n elements; the message itself is bounded
}


@pytest.mark.parametrize("expression", GROWERS)
def test_what_a_function_builds_is_charged_in_proportion_on_both_paths(expression):
    bindings = {"s": "a" * 1_000, "l": list(range(1_000))}
    larger = {"s": "a" * 2_000, "l": list(range(2_000))}
    for charged in (charged_by_closures, charged_by_generated_code):
        small, large = charged(compile(expression), bindings), charged(compile(expression), larger)
        built = GROWERS[expression](1_000)
        assert small * SIZE_PER_COST_UNIT >= built, (expression, charged.__name__)
        # twice the input: twice the charge (four times for the one that squares)
        assert large / small == pytest.approx(large_ratio(expression), rel=0.05), (expression, charged.__name__)


def large_ratio(expression: str) -> float:
    return GROWERS[expression](2_000) / GROWERS[expression](1_000)


def test_a_result_too_large_is_refused_before_it_is_built():
    side = 20_000  # `s.replace('a', s)` would be 400 million characters
    with pytest.raises(CelEvaluationError, match="cost budget"):
        compile("s.replace('a', s).size()").evaluate({"s": "a" * side})
    assert side * side > COST_BUDGET * SIZE_PER_COST_UNIT


def test_constant_folding_is_metered_too():
    # Folding runs calls on constants at compile time: a huge result is left to evaluation.
    literal = "'" + "a" * 5_000 + "'"
    program = compile(f"{literal}.replace('a', {literal}).size()")
    with pytest.raises(CelEvaluationError, match="cost budget"):
        program.evaluate({})


POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: hostile}
spec:
  appliesTo: incident
  rules:
    - id: MEM001
      severity: error
      expression: "[doc.severity].MAPS.size() > 0"
      message: never decided
    - id: MEM002
      severity: warning
      expression: "doc.severity == 'CRITICAL'"
      message: still judged
"""
INCIDENT = "# INC-7: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nDeclared: 2026-11-20 10:00\n"


def test_the_rule_is_eval001_and_the_other_rules_still_run(tmp_path: Path):
    (tmp_path / "policies").mkdir()
    maps = ".map(x, x + x)" * 36
    (tmp_path / "policies" / "hostile.yaml").write_text(POLICY.replace(".MAPS", maps), encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [policies]\n", encoding="utf-8")
    (tmp_path / "INC-7.md").write_text(INCIDENT, encoding="utf-8")
    done = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    found = {f["rule"]: f["message"] for f in json.loads(done.stdout)["findings"]}
    assert "rule MEM001 could not be evaluated: evaluation cost budget exceeded" in found["EVAL001"]
    assert found["MEM002"] == "still judged"
