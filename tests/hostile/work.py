"""Counting work without a clock, for the linearity tests: a timed assertion fails on a busy
machine and passes on a fast one, while these counts are the same on every run.

`calls_made` counts Python function calls and generator steps (a loop over the operands hidden
in a helper shows up); `bytes_allocated` adds up the memory allocated along the way (a copy of a
growing list at each item shows up, although it makes no Python call).
"""

from __future__ import annotations

import sys
import tracemalloc
from typing import Callable

LINEAR = 2.3
"""Doubling the input may at most multiply the work by this (2 is exactly linear; a quadratic
pass makes it 3 to 4 at the sizes the tests use)."""


def calls_made(run: Callable[[], object]) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def bytes_allocated(run: Callable[[], object]) -> int:
    """The sum of every rise of traced memory between two calls: memory that was allocated,
    whether or not it was freed again before the run ended."""
    total = 0
    last = 0

    def profile(frame, event, arg):
        nonlocal total, last
        current, peak = tracemalloc.get_traced_memory()
        total += max(0, peak - last)
        tracemalloc.reset_peak()
        last = current

    tracemalloc.start()
    try:
        last = tracemalloc.get_traced_memory()[0]
        sys.setprofile(profile)
        try:
            run()
        finally:
            sys.setprofile(None)
        profile(None, "end", None)
    finally:
        tracemalloc.stop()
    return total


def growth(count: Callable[[Callable[[], object]], int], small: Callable[[], object],
           large: Callable[[], object]) -> float:
    """How much more work `large` (twice the input of `small`) takes, by the given count."""
    small()  # warm caches (Lark's tables, compiled patterns) so both runs do the same kind of work
    return count(large) / count(small)
