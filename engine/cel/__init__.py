"""The rule language: a dialect of Google's CEL, parsed with Lark, checked, compiled to closures.

    from hotfix_policy.engine.cel import compile
    program = compile("doc.severity in ['CRITICAL', 'HIGH']")
    program.evaluate({"doc": {"severity": "HIGH"}})  # True

`compile` raises CelSyntaxError or CelTypeError (with .line and .column); `evaluate` raises
CelEvaluationError. Values are plain Python (see values.py).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from ..limits import COST_BUDGET as DEFAULT_COST_BUDGET
from ..limits import MAX_EXPRESSION_DEPTH as MAX_DEPTH
from .arithmetic import assuming_present
from .ast import Node
from .checker import Checked, check
from .codegen import generate
from .compiler import build, needs_budget
from .cost import COST_KEY
from .errors import CelError, CelEvaluationError, CelSyntaxError, CelTypeError
from .grouping import MEMO_KEY, RunMemo
from .types import Type
from .values import CelType, UInt

__all__ = [
    "compile", "Program", "CelError", "CelSyntaxError", "CelTypeError", "CelEvaluationError", "UInt", "CelType",
    "DEFAULT_COST_BUDGET", "MAX_DEPTH", "assuming_present", "MEMO_KEY", "RunMemo",
]


class Program:
    """A compiled expression: evaluate it as often as needed, from any thread."""

    __slots__ = ("source", "ast", "checked", "cost_budget", "_compiled", "_function", "_fast", "_evaluations",
                 "_budgeted")

    def __init__(self, source: str, checked: Checked, cost_budget: int):
        self.source = source
        self.ast = checked.root
        self.checked = checked
        self.cost_budget = cost_budget
        self._compiled = build(checked)
        self._function = self._compiled.closure
        self._fast = None  # generated on the second evaluation: one-off expressions never pay for it
        self._evaluations = 0
        self._budgeted = needs_budget(checked)

    @property
    def result_type(self) -> Type:
        """The static type of the result (`dyn` when it depends on the data)."""
        return self.checked.result_type

    def evaluate(self, bindings: Optional[Mapping[str, Any]] = None, *, cost_budget: Optional[int] = None) -> Any:
        """The expression's value for these variable bindings; CelEvaluationError if it has none.

        `cost_budget` overrides the program's budget for this evaluation (a rule over a whole run
        may need more than one over a single document).
        """
        activation = bindings if bindings is not None else {}
        budget = cost_budget or self.cost_budget
        fast = self._fast
        if fast is None:
            fast = self._warm_up()
        if fast:
            try:
                return fast(activation, [budget] if self._budgeted else None)
            except Exception:  # noqa: BLE001 - the exact evaluation below decides what went wrong
                pass
        return self.evaluate_exact(activation, cost_budget=budget)

    def prepare(self) -> None:
        """Build the fast path now, not on the second evaluation: for an expression evaluated once
        over a whole run (a workspace policy's variables), whose one evaluation repays it."""
        if self._fast is None:
            self._fast = generate(self._compiled) or False

    def _warm_up(self):
        """Count evaluations; on the second, build the fast path (False when there is none)."""
        self._evaluations += 1
        if self._evaluations < 2:
            return None
        self._fast = generate(self._compiled) or False
        return self._fast

    def evaluate_exact(self, bindings: Optional[Mapping[str, Any]] = None, *,
                       cost_budget: Optional[int] = None) -> Any:
        """Evaluation by the reference closures alone (what `evaluate` falls back to on any doubt)."""
        activation = bindings if bindings is not None else {}
        if self._budgeted:
            activation = dict(activation)
            activation[COST_KEY] = [cost_budget or self.cost_budget]
        try:
            return self._function(activation)
        except RecursionError:
            raise CelEvaluationError("expression too deeply nested to evaluate") from None

    def __repr__(self) -> str:
        return f"Program({self.source!r})"


def parse(expression: str) -> Node:
    """The expression's AST; CelSyntaxError if it has none. Lark and the grammar tables load on
    the first call: a run whose policies come from the policy cache (ASTs stored) never needs them."""
    from .parser import parse as parse_expression

    return parse_expression(expression)


def compile(expression: str, declarations: Optional[Mapping[str, Any]] = None, *,
            cost_budget: int = DEFAULT_COST_BUDGET, ast: Optional[Node] = None) -> Program:
    """Parse, check and compile an expression.

    declarations maps variable names to types: CEL type names (`"list(string)"`), `Type`
    objects or JSON Schemas. None leaves every free name dynamic (resolved at evaluation).
    `ast` is the expression already parsed (from a cache), to skip parsing.
    """
    return Program(expression, check(ast if ast is not None else parse(expression), declarations), cost_budget)
