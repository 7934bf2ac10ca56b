"""The same checked AST compiled a second way: closures that record each sub-expression's value,
for `policy explain` and the editor's hover ("why did this rule fail?").

Kept apart from the fast paths on purpose: recording costs, and explanations are rare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import Program
from .ast import Comprehension, Node, walk
from .compiler import Compiled
from .cost import COST_KEY
from .errors import CelError


@dataclass
class Step:
    """One evaluation of a sub-expression: its value, or the error it raised."""

    node: Node
    value: Any = None
    error: CelError | None = None
    bindings: dict | None = None  # the macro variables in scope then (item, u, ...)


class _Recording(Compiled):
    def __init__(self, checked, steps: list, macro_variables: set):
        super().__init__(checked)
        self.steps = steps
        self.macro_variables = macro_variables

    def compile(self, node: Node):
        inner = super().compile(node)
        steps, names = self.steps, self.macro_variables

        def recorded(act):
            scope = {name: act[name] for name in names if name in act} or None
            try:
                value = inner(act)
            except CelError as error:
                steps.append(Step(node, error=error, bindings=scope))
                raise
            steps.append(Step(node, value=value, bindings=scope))
            return value

        return recorded


def trace(program: Program, bindings: dict) -> tuple:
    """(result or None, error or None, steps in evaluation order) of one evaluation, within the
    program's cost budget like any other."""
    variables = {node.variable for node in walk(program.ast) if isinstance(node, Comprehension)}
    steps: list = []
    compiled = _Recording(program.checked, steps, variables)
    closure = compiled.compile(program.ast)
    steps.clear()  # constant folding ran closures while compiling
    try:
        return closure({**bindings, COST_KEY: [program.cost_budget]}), None, steps
    except CelError as error:
        return None, error, steps
