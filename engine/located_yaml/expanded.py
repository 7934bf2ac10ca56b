"""Counting loaded YAML data with its aliases expanded.

ruamel's safe constructor loads an alias as the very object it names, so a kilobyte of aliases
to aliases (`&a [x, x, ...]`, `&b [*a, *a, ...]`) loads as a few shared lists that read as
billions of values, for a secret scan or anything else that walks them, and an alias to its own
list never ends. The parser's count (`load._EventBudget`) sees each alias once; this counts
what the data reads as, and stops at the limit: bounded work either way.
"""

from __future__ import annotations


def more_values_than(value, limit: int) -> bool:
    """Whether `value` holds more than `limit` values, each alias counted as often as it is used."""
    for seen, _ in enumerate(values_in(value), 1):
        if seen > limit:
            return True
    return False


def values_in(value):
    """`value` and every key and value inside it (lists and mappings), iteratively: the depth of
    the data cannot exhaust the stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        yield item
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
