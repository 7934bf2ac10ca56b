"""Reading what an evaluation charged, on either path, for the tests that count work in budget
units rather than time."""

from __future__ import annotations

from hotfix_policy.engine.cel import Program
from hotfix_policy.engine.cel.cost import COST_KEY

PLENTY = 10**12


def charged_by_closures(program: Program, bindings: dict) -> int:
    budget = [PLENTY]
    program._function({**bindings, COST_KEY: budget})
    return PLENTY - budget[0]


def charged_by_generated_code(program: Program, bindings: dict) -> int:
    program.evaluate(bindings)
    program.evaluate(bindings)  # the second evaluation builds the generated function
    assert program._fast, program.source
    budget = [PLENTY]
    program._fast(bindings, budget)
    return PLENTY - budget[0]
