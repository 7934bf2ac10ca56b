"""`groupBy` and `sortBy`: the macros that let a rule over a whole run stay linear.

Without them "the other hotfixes of this month" or "the incident record naming this branch" can
only be written as a scan inside a scan (`l.map(h, l.filter(o, ...))`), which costs the square
of the run's size. `l.groupBy(x, key)` builds `key -> [elements]` in one pass, so each question
is one map look-up; `l.sortBy(x, key)` orders a list once, so "the k-th of its month" is an index.

A `groupBy` whose expression reads only names that stay the same for a whole run (`docs`,
`data`, `ctx`: the `RunMemo`'s `constant`) is computed once per run and remembered, so a
per-document rule that groups `docs.incident` does not group it again for every document. The
budget is charged what the first computation cost at every use: a finding never depends on
which document asked first. The closures (compiler.py) and the generated code (codegen.py) both
call the functions here, so they compute and charge alike.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Callable

from . import arithmetic as op
from .clock import note_lead, remembering, standing_for
from .cost import charge, element_units
from .errors import CelEvaluationError
from .values import UInt

MEMO_KEY = "\x00memo"
"""Activation key of the run's `RunMemo` (absent outside a policy run: nothing is remembered)."""

_KEY_TYPES = frozenset({int, UInt, str, bool})
_SORT_TYPES = frozenset({int, UInt, float, str, bytes, bool, datetime, timedelta})


class RunMemo:
    """Values remembered for one run: `values` maps the ids of a groupBy node and of the bindings it
    reads to (node, those bindings, result, cost charged, what computing it read of the clock:
    noted again at each use, `clock.remembering`).

    `constant` names the bindings that do not change during the run; only an expression that
    reads nothing else may be remembered."""

    __slots__ = ("constant", "values")

    def __init__(self, constant):
        self.constant = frozenset(constant)
        self.values: dict = {}


def group_by(act, budget, node, free: frozenset, items_of: Callable, key_of: Callable, cost: int, span):
    """`items.groupBy(x, key)`: key -> the elements with that key, in list order (one map look-up
    per question afterwards). Keys must be of one type among int, uint, string and bool."""
    memo = act.get(MEMO_KEY) if free else None
    remember = type(memo) is RunMemo and free <= memo.constant and not op._ASSUMED_PRESENT
    if not remember:
        return _grouped(budget, items_of, key_of, cost, span)
    read = tuple(act.get(name) for name in sorted(free))  # a document judged with another `ctx` (another
    key = (id(node), *map(id, read))                      # PR's body) gets a grouping of its own
    found = memo.values.get(key)
    if found is not None:
        charge(budget, found[3], span)
        if found[4] is not None:
            note_lead(found[4])
        return found[2]
    before = budget[0] if budget is not None else 0
    groups, lead = remembering(lambda: _grouped(budget, items_of, key_of, cost, span))
    if budget is not None:
        memo.values[key] = (node, read, groups, before - budget[0], lead)  # holding node and bindings keeps
    return groups                                                        # their ids from being reused


def _grouped(budget, items_of: Callable, key_of: Callable, cost: int, span) -> dict:
    items = _iterable(items_of(), "groupBy", span)
    charge(budget, len(items) * cost + element_units(len(items)), span)
    groups: dict = {}
    kind = None
    for item in items:
        key = key_of(item)
        if kind is None:
            kind, first = type(key), key
            if kind not in _KEY_TYPES:
                raise CelEvaluationError(f"a groupBy() key cannot be {op.type_name(key)}: use an int, uint, "
                                         "string or bool", span)
        elif type(key) is not kind:
            raise CelEvaluationError(f"groupBy() keys must be of one type: {op.type_name(key)} after "
                                     f"{op.type_name(first)}", span)
        group = groups.get(key)
        if group is None:
            groups[key] = [item]
        else:
            group.append(item)
    return groups


def sort_by(budget, items, key_of: Callable, cost: int, span) -> list:
    """`items.sortBy(x, key)`: the elements ordered by their keys, equal keys in list order (so
    sorting by a second key, then by the first, orders by both). Keys are of one orderable type
    (int, uint, double, string, bytes, bool, timestamp, duration), or lists of such values
    compared position by position."""
    items = _iterable(items, "sortBy", span)
    charge(budget, len(items) * cost + element_units(len(items)), span)
    keys = [key_of(item) for item in items]
    shape = _key_shape(keys[0], span) if keys else None
    for key in keys:
        if _key_shape(key, span) != shape:
            raise CelEvaluationError("sortBy() keys must be of one type (and lists of one shape)", span)
    order = sorted(range(len(items)), key=(lambda i: tuple(keys[i])) if type(shape) is tuple else keys.__getitem__)
    return [items[i] for i in order]


def _key_shape(key, span):
    """The type of a sort key (a tuple of types for a list key); NaN has no place in an order."""
    if type(key) is list:
        return tuple(_key_shape(part, span) for part in key)
    kind = standing_for(key)
    if kind not in _SORT_TYPES:
        raise CelEvaluationError(f"a sortBy() key cannot be {op.type_name(key)}", span)
    if kind is float and math.isnan(key):
        raise CelEvaluationError("a sortBy() key cannot be NaN", span)
    return kind


def _iterable(items, macro: str, span) -> list:
    kind = type(items)
    if kind is dict:
        return list(items)
    if kind is list or kind is tuple:
        return items
    raise CelEvaluationError(f"{macro}() needs a list or a map, not {op.type_name(items)}", span)

