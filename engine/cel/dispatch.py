"""Calls whose overload is chosen at evaluation, from the runtime types of the arguments (some
were `dyn` to the checker): for the closures and for the generated code.

The common arities look the implementation up inline, plain overloads first, then metered ones
(which take the evaluation's budget); anything else goes through `Dispatcher`, which also finds
the overloads declared for `dyn` parameters and reports a missing overload at the call.
"""

from __future__ import annotations

from typing import Callable, Optional

from . import arithmetic as op
from .clock import CLOCKED, fits, standing_for
from .cost import COST_KEY
from .errors import CelError, located


class Dispatcher:
    """Calls the overload that fits the runtime types of the arguments, the budget first.

    `by_types` holds the plain implementations and `metered` those that take the budget, each
    by the exact types of their arguments; `generic` the overloads with a `dyn` parameter."""

    __slots__ = ("by_types", "metered", "generic", "display", "span")

    def __init__(self, function: str, candidates, span):
        exact = [o for o in candidates if None not in o.python_types]
        self.by_types = {o.python_types: o.impl for o in exact if not o.metered}
        self.metered = {o.python_types: o.impl for o in exact if o.metered}
        self.generic = [o for o in candidates if None in o.python_types]
        self.display = function.lstrip(".")
        self.span = span

    def __call__(self, budget, *values):
        try:
            chosen = self._choose(tuple(map(type, values)), values)
            if chosen is None and any(type(v) in CLOCKED for v in values):
                # a time that moves with the clock (clock.py) stands for its plain type
                chosen = self._choose(tuple(map(standing_for, values)), values)
            if chosen is None:
                raise op.no_overload(self.display, *values)
            impl, metered = chosen
            return impl(budget, *values) if metered else impl(*values)
        except CelError as error:
            raise located(error, self.span) from None

    def _choose(self, types: tuple, values) -> Optional[tuple]:
        """(implementation, whether it is metered) for arguments of these types, or None."""
        impl = self.by_types.get(types)
        if impl is not None:
            return impl, False
        impl = self.metered.get(types)
        if impl is not None:
            return impl, True
        overload = next((o for o in self.generic if fits(o.python_types, values)), None)
        return (overload.impl, overload.metered) if overload is not None else None


def dispatch(function: str, candidates, args, span) -> Callable[[dict], object]:
    """The closure of a call on runtime types; its errors are placed at the call."""
    dispatcher = Dispatcher(function, candidates, span)
    plain, metered = dispatcher.by_types, dispatcher.metered
    if len(args) == 1:
        (a,) = args

        def call1(act):
            value = a(act)
            key = (type(value),)
            try:
                impl = plain.get(key)
                if impl is not None:
                    return impl(value)
                impl = metered.get(key)
                if impl is not None:
                    return impl(act.get(COST_KEY), value)
            except CelError as error:
                raise located(error, span) from None
            return dispatcher(act.get(COST_KEY), value)

        return call1
    if len(args) == 2:
        a, b = args

        def call2(act):
            x, y = a(act), b(act)
            key = (type(x), type(y))
            try:
                impl = plain.get(key)
                if impl is not None:
                    return impl(x, y)
                impl = metered.get(key)
                if impl is not None:
                    return impl(act.get(COST_KEY), x, y)
            except CelError as error:
                raise located(error, span) from None
            return dispatcher(act.get(COST_KEY), x, y)

        return call2
    return lambda act: dispatcher(act.get(COST_KEY), *[arg(act) for arg in args])


def generated_dispatch(function: str, candidates, span, arity: int) -> Callable:
    """The same choice as a plain function `(budget, *values)` for the generated code, which needs
    no positions: on any error it gives way to the closures."""
    dispatcher = Dispatcher(function, candidates, span)
    plain, metered = dispatcher.by_types, dispatcher.metered
    if arity == 1:
        def call1(budget, x):
            key = (type(x),)
            impl = plain.get(key)
            if impl is not None:
                return impl(x)
            impl = metered.get(key)
            return impl(budget, x) if impl is not None else dispatcher(budget, x)

        return call1
    if arity == 2:
        def call2(budget, x, y):
            key = (type(x), type(y))
            impl = plain.get(key)
            if impl is not None:
                return impl(x, y)
            impl = metered.get(key)
            return impl(budget, x, y) if impl is not None else dispatcher(budget, x, y)

        return call2
    return dispatcher
