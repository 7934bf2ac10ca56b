"""What an evaluation may spend: the budget it carries and the charges made against it.

The budget is a one-item list shared by every scope of one evaluation (the closures find it
under COST_KEY in the activation, the generated code receives it as an argument); None means
unmetered. Macros charge their iterations; every function whose work or result grows with its
input (`engine/cel/growing.py`, `engine/cel/regex.py`) charges that size here before doing the
work, so a value that doubles at each step runs out of budget long before it runs out of memory.
"""

from __future__ import annotations

from ..limits import SIZE_PER_COST_UNIT
from . import arithmetic as op
from .errors import CelEvaluationError

COST_KEY = "\x00cost"
"""Activation key of the remaining cost budget (a one-item list shared by nested scopes)."""

BUDGET_EXCEEDED = "evaluation cost budget exceeded"


def charge(budget, units: int, span=None) -> None:
    """Take units from the budget (when there is one); CelEvaluationError once it is overspent."""
    if budget is not None:
        budget[0] -= units
        if budget[0] < 0:
            raise CelEvaluationError(BUDGET_EXCEEDED, span)


def text_units(size: int) -> int:
    """The cost of producing or scanning size characters or bytes."""
    return -(-size // SIZE_PER_COST_UNIT)


def element_units(count: int) -> int:
    """The cost of producing count list elements: each costs what a macro iteration does."""
    return count


def scanned_contains(budget, container, element, span=None) -> bool:
    """`element in container`; a list is scanned item by item, so it costs an element's unit per
    item (`l.all(x, x in l)` over a document's long list is quadratic, and must be paid for)."""
    if budget is not None:  # charge(budget, element_units(len(container)), span), inlined: a hot path
        kind = type(container)
        if kind is list or kind is tuple:
            budget[0] -= len(container)
            if budget[0] < 0:
                raise CelEvaluationError(BUDGET_EXCEEDED, span)
    return op.contains(container, element)
