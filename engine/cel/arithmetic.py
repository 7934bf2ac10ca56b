"""Operators on numbers and values: overflow-checked integer math, CEL equality and ordering.

int, uint and double are kept apart (Python's own `1 + 1.0` and `True + 1` are not CEL), so
every operator is looked up by the exact Python types of its operands.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from datetime import datetime, timedelta

from .clock import moved, moving_alike
from .errors import CelEvaluationError
from .types import shown_name
from .values import INT_MAX, INT_MIN, UINT_MAX, UInt


class NoOverload(CelEvaluationError):
    """An operator or function applied to types it is not defined for."""


def no_overload(function: str, *args) -> NoOverload:
    names = ", ".join(type_name(a) for a in args)
    return NoOverload(f"no such overload: {function}({names})")


def type_name(value) -> str:
    """The name of a value's type, as messages show it (`timestamp`, as the checker says)."""
    from .values import type_of

    try:
        return shown_name(type_of(value).name)
    except TypeError:
        return type(value).__name__


def checked_int(value: int) -> int:
    if INT_MIN <= value <= INT_MAX:
        return value
    raise CelEvaluationError("integer overflow")


def checked_uint(value: int) -> UInt:
    if 0 <= value <= UINT_MAX:
        return UInt(value)
    raise CelEvaluationError("unsigned integer overflow")


def _int_div(a: int, b: int) -> int:
    if b == 0:
        raise CelEvaluationError("division by zero")
    quotient = abs(a) // abs(b)
    return checked_int(quotient if (a < 0) == (b < 0) else -quotient)


def _int_mod(a: int, b: int) -> int:
    if b == 0:
        raise CelEvaluationError("modulus by zero")
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


def _uint_div(a: int, b: int) -> UInt:
    if b == 0:
        raise CelEvaluationError("division by zero")
    return UInt(a // b)


def _uint_mod(a: int, b: int) -> UInt:
    if b == 0:
        raise CelEvaluationError("modulus by zero")
    return UInt(a % b)


def _float_div(a: float, b: float) -> float:
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _timestamp_add(stamp: datetime, delta: timedelta) -> datetime:
    from .temporal import checked_timestamp

    try:
        return checked_timestamp(moved(stamp, delta))
    except OverflowError:
        raise CelEvaluationError("timestamp out of range") from None


def _duration(delta: timedelta) -> timedelta:
    from .temporal import checked_duration

    return checked_duration(delta)


def _timestamp_difference(a: datetime, b: datetime) -> timedelta:
    """Like the reference implementations, a difference must fit in 64-bit nanoseconds."""
    difference = a - b
    if abs(difference) > _MAX_DIFFERENCE:
        raise CelEvaluationError("duration out of range")
    return difference


_MAX_DIFFERENCE = timedelta(microseconds=INT_MAX // 1000)

ADD = {
    (int, int): lambda a, b: checked_int(a + b),
    (UInt, UInt): lambda a, b: checked_uint(a + b),
    (float, float): lambda a, b: a + b,
    (str, str): lambda a, b: a + b,
    (bytes, bytes): lambda a, b: a + b,
    (list, list): lambda a, b: a + b,
    (datetime, timedelta): _timestamp_add,
    (timedelta, datetime): lambda a, b: _timestamp_add(b, a),
    (timedelta, timedelta): lambda a, b: _duration(a + b),
}
SUBTRACT = {
    (int, int): lambda a, b: checked_int(a - b),
    (UInt, UInt): lambda a, b: checked_uint(a - b),
    (float, float): lambda a, b: a - b,
    (datetime, timedelta): lambda a, b: _timestamp_add(a, -b),
    (datetime, datetime): lambda a, b: _timestamp_difference(a, b),
    (timedelta, timedelta): lambda a, b: _duration(a - b),
}
MULTIPLY = {
    (int, int): lambda a, b: checked_int(a * b),
    (UInt, UInt): lambda a, b: checked_uint(a * b),
    (float, float): lambda a, b: a * b,
}
DIVIDE = {(int, int): _int_div, (UInt, UInt): _uint_div, (float, float): _float_div}
MODULO = {(int, int): _int_mod, (UInt, UInt): _uint_mod}
NEGATE = {int: lambda a: checked_int(-a), float: lambda a: -a}


def logical_not(value):
    if type(value) is bool:
        return not value
    raise no_overload("!_", value)


_NUMBERS = (int, UInt, float)


def equal(a, b) -> bool:
    """CEL's heterogeneous equality: numbers compare by value across int/uint/double."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is list:
            return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
        if ta is dict:
            return len(a) == len(b) and all(_has_equal_entry(b, key, value) for key, value in a.items())
        return a == b
    if ta in _NUMBERS and tb in _NUMBERS:
        return float(a) == float(b) if float in (ta, tb) else a == b
    if ta is tuple or tb is tuple:
        return equal(list(a) if ta is tuple else a, list(b) if tb is tuple else b)
    if moving_alike(a, b):
        return a == b  # a time that moves with the clock against a fixed one (clock.py)
    return False


def _has_equal_entry(mapping: dict, key, value) -> bool:
    for other_key, other_value in mapping.items():
        if equal(key, other_key):
            return equal(value, other_value)
    return False


def compare(function: str, a, b) -> int:
    """-1, 0 or 1, or 2 when unordered (NaN); numbers compare across int/uint/double (as doubles
    when one is a double), other types only with their own."""
    ta, tb = type(a), type(b)
    if ta in _NUMBERS and tb in _NUMBERS:
        if float in (ta, tb):
            a, b = float(a), float(b)
            if a != a or b != b:
                return 2
        return (a > b) - (a < b)
    if ta is tb and ta in _ORDERED:
        return (a > b) - (a < b)
    if moving_alike(a, b):
        return (a > b) - (a < b)
    raise no_overload(function, a, b)


_ORDERED = frozenset({int, UInt, float, str, bytes, bool, datetime, timedelta})


def less(a, b) -> bool:
    return compare("_<_", a, b) == -1


def less_equal(a, b) -> bool:
    return compare("_<=_", a, b) in (-1, 0)


def greater(a, b) -> bool:
    return compare("_>_", a, b) == 1


def greater_equal(a, b) -> bool:
    return compare("_>=_", a, b) in (0, 1)


def contains(container, element) -> bool:
    """The `in` operator on lists and map keys."""
    kind = type(container)
    if kind is list or kind is tuple:
        element_kind = type(element)
        if element_kind is str or element_kind is bool:
            return any(type(item) is element_kind and item == element for item in container)
        return any(equal(element, item) for item in container)
    if kind is dict:
        if _plain_key(element):
            return element in container
        return any(equal(element, key) for key in container)
    raise no_overload("@in", element, container)


def _plain_key(key) -> bool:
    """Keys Python's dict finds exactly as CEL would: strings, and ints other than 0 and 1 (which
    Python also matches against False and True, and CEL does not)."""
    kind = type(key)
    return kind is str or (kind is int and key not in (0, 1))


def index(container, key):
    """`container[key]` on lists (int index) and maps."""
    kind = type(container)
    if kind is list or kind is tuple:
        key_kind = type(key)
        if key_kind is float:
            if key != int(key) if math.isfinite(key) else True:
                raise CelEvaluationError(f"invalid list index {key}")
            key = int(key)
        elif key_kind is not int and key_kind is not UInt:
            raise no_overload("_[_]", container, key)
        if 0 <= key < len(container):
            return container[key]
        raise CelEvaluationError(f"index {key} out of range for a list of size {len(container)}")
    if kind is dict:
        if _plain_key(key):
            if key in container:
                return container[key]
        else:
            for existing, value in container.items():
                if equal(existing, key):
                    return value
        raise CelEvaluationError(f"no such key: {key!r}")
    raise no_overload("_[_]", container, key)


def select(value, field: str):
    """`value.field` on a map (documents are maps)."""
    if type(value) is dict:
        try:
            return value[field]
        except KeyError:
            raise CelEvaluationError(f"no such key: '{field}'") from None
    raise CelEvaluationError(f"cannot select field '{field}' from a value of type {type_name(value)}")


_ASSUMED_PRESENT: frozenset = frozenset()
"""(id(map), field) pairs that has() reports present though the map lacks them (`assuming_present`)."""


@contextmanager
def assuming_present(pairs: frozenset):
    """While inside: has(m.f) is true for each (id(m), f) in `pairs`; selecting m.f still fails.
    The engine uses it to ask whether a rule fails only because template placeholders stand
    where values belong (a question of presence, not of value)."""
    global _ASSUMED_PRESENT
    before, _ASSUMED_PRESENT = _ASSUMED_PRESENT, pairs
    try:
        yield
    finally:
        _ASSUMED_PRESENT = before


def has_within(value, field: str, name: str) -> bool:
    """`has(value.field.name)`. While placeholders are assumed present, true when `value.field`
    is one of them: a placeholder (`Incident: #[incident-number]`) stands for the whole value,
    its parts included. Otherwise CEL's: `value.field` must exist."""
    if _ASSUMED_PRESENT and type(value) is dict and field not in value and (id(value), field) in _ASSUMED_PRESENT:
        return True
    return has_field(select(value, field), name)


def has_field(value, field: str) -> bool:
    if type(value) is dict:
        return field in value or (bool(_ASSUMED_PRESENT) and (id(value), field) in _ASSUMED_PRESENT)
    raise CelEvaluationError(f"has() cannot test field '{field}' on a value of type {type_name(value)}")

