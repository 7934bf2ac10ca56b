"""Summary statistics for the metrics: the median and the nearest-rank percentile.

Kept apart so the definitions the report documents (docs/metrics.md) live in one place:

* median: the middle value of the sorted values, or the mean of the two middle values when
  there is an even number of them;
* p90 (nearest rank): the value at rank ceil(0.9 * n) of the n values sorted ascending
  (1-based), so it is always one of the observed values: with 1 to 10 values the largest, with
  20 values the 18th.

Both are None for no values.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Optional, Sequence


def median(values: Sequence[float]) -> Optional[float]:
    ordered = sorted(values)
    count = len(ordered)
    if count == 0:
        return None
    middle = count // 2
    if count % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile_nearest_rank(values: Sequence[float], percent: float) -> Optional[float]:
    """The value at rank ceil(percent/100 * n), 1-based, of the sorted values (rank at least 1)."""
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100]; found {percent}")
    ordered = sorted(values)
    if not ordered:
        return None
    # Exact arithmetic: 0.9 * 30 in floating point is 27.000000000000004, whose ceiling is 28.
    rank = max(1, math.ceil(Fraction(str(percent)) * len(ordered) / 100))
    return ordered[rank - 1]


def summary(seconds: Sequence[float]) -> dict:
    """`{count, median_seconds, p90_seconds}` of durations in seconds (None when empty)."""
    return {"count": len(seconds), "median_seconds": _number(median(seconds)),
            "p90_seconds": _number(percentile_nearest_rank(seconds, 90))}


def _number(value: Optional[float]):
    """Whole seconds as int (stable JSON: `5100`, not `5100.0`); a half second stays a float."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def duration_text(seconds) -> str:
    """`1h 52m`, `45m`, `2d 3h 0m` for tables and charts; `-` for None."""
    if seconds is None:
        return "-"
    total = int(round(seconds / 60))
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h {minutes}m"
    if hours:
        return f"{sign}{hours}h {minutes}m"
    return f"{sign}{minutes}m"
