"""The functions whose result grows with their input, each charging the budget for the size of
its result before building it.

Without these charges a policy could double a string in each of 36 nested `map`s and fill 2 GB
within a budget that only counted iterations. Each implementation takes the budget (a one-item
list, or None when unmetered) before its CEL arguments; `functions.py` declares them `metered`,
and the compiler and the generated code pass the evaluation's budget to them.
"""

from __future__ import annotations

from ..limits import MESSAGE_LIST_ITEMS, SIZE_PER_COST_UNIT
from .cost import BUDGET_EXCEEDED, charge, element_units, text_units
from .errors import CelEvaluationError


def concatenate(budget, left, right):
    """`a + b` on strings, bytes and lists (the charge inlined: message building is a hot path)."""
    if budget is not None:
        size = len(left) + len(right)
        budget[0] -= element_units(size) if type(left) is list else -(-size // SIZE_PER_COST_UNIT)
        if budget[0] < 0:
            raise CelEvaluationError(BUDGET_EXCEEDED)
    return left + right


def lower_ascii(budget, text: str) -> str:
    _charge_text(budget, text)
    return text.lower() if text.isascii() else "".join(c.lower() if c < "\x80" else c for c in text)


def upper_ascii(budget, text: str) -> str:
    _charge_text(budget, text)
    return text.upper() if text.isascii() else "".join(c.upper() if c < "\x80" else c for c in text)


def _charge_text(budget, text: str) -> None:
    """`charge(budget, text_units(len(text)))` in one call: the pack changes the case of a
    record's statuses about a hundred times."""
    if budget is not None:
        budget[0] -= -(-len(text) // SIZE_PER_COST_UNIT)
        if budget[0] < 0:
            raise CelEvaluationError(BUDGET_EXCEEDED)


def trim(budget, text: str) -> str:
    charge(budget, text_units(len(text)))
    return text.strip()


def split(budget, text: str, separator: str) -> list:
    parts = text.count(separator) + 1 if separator else len(text)
    charge(budget, text_units(len(text)) + element_units(parts))
    return text.split(separator) if separator else list(text)


def join(budget, items: list, separator: str = "") -> str:
    if not all(type(item) is str for item in items):
        raise CelEvaluationError("join() needs a list of strings")
    size = sum(map(len, items)) + len(separator) * max(0, len(items) - 1)
    charge(budget, text_units(size))
    return separator.join(items)


def replace(budget, text: str, old: str, new: str) -> str:
    # The result's size is known before it is built: `s.replace('a', s)` would square it.
    size = len(text) + (text.count(old) * (len(new) - len(old)) if len(new) > len(old) else 0)
    charge(budget, text_units(size))
    return text.replace(old, new)


def substring(budget, text: str, start: int, end: int | None = None) -> str:
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text):
        raise CelEvaluationError(f"substring({start}, {end}) out of range for a string of length {len(text)}")
    charge(budget, text_units(end - start))
    return text[start:end]


def pairs(budget, items: list) -> list:
    """Neighbouring elements: pairs([a, b, c]) == [[a, b], [b, c]] (gaps and transitions)."""
    charge(budget, element_units(3 * max(0, len(items) - 1)))
    return [[items[i], items[i + 1]] for i in range(len(items) - 1)]


def flatten(budget, items: list) -> list:
    """One level of nesting removed: flatten([[a], [b, c], d]) == [a, b, c, d] (as cel-go's)."""
    size = sum(len(item) if type(item) is list else 1 for item in items)
    charge(budget, element_units(size))
    result: list = []
    for item in items:
        if type(item) is list:
            result.extend(item)
        else:
            result.append(item)
    return result


def int_range(budget, count: int) -> list:
    """range(n) == [0, 1, ..., n - 1]: the positions of a list, for rules that need an element's
    place (the k-th hotfix of its month); cel-go spells it `lists.range(n)`."""
    if count < 0:
        raise CelEvaluationError(f"range() of a negative size ({count})")
    charge(budget, element_units(count))
    return list(range(count))


def listed(budget, items: list, count: int | None = None) -> str:
    """A list for a message, bounded: `INC-1, INC-2, INC-3 and 996 others`. With `count`, the same
    for the list's first `count` items only, saying nothing of the items after them
    (`labels.listed(k)`: those before the k-th, as WS001 names the month's earlier hotfixes; a
    message that must count the others adds `size(labels) - k`). Only the named items are read,
    so the message about the thousandth item costs what the one about the second does."""
    count = len(items) if count is None else count
    if not 0 <= count <= len(items):
        raise CelEvaluationError(f"listed({count}) out of range for a list of size {len(items)}")
    named = items[:min(count, MESSAGE_LIST_ITEMS)]
    if not all(type(item) is str for item in named):
        raise CelEvaluationError("listed() needs a list of strings")
    rest = count - len(named)
    text = ", ".join(named) + (f" and {rest} other{'s' if rest > 1 else ''}" if rest else "")
    charge(budget, text_units(len(text)))
    return text


def sized_conversion(convert):
    """A conversion whose result is as long as its argument (`string(bytes)`, `bytes(string)`)."""

    def converted(budget, value):
        charge(budget, text_units(len(value)))
        return convert(value)

    return converted
