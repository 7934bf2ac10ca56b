"""The standard library as overload tables: one place where every function and operator is
declared with its parameter types, result type and implementation.

The checker picks overloads from the static types; the compiler binds the implementation
directly when the choice is certain and dispatches on runtime types when it is not (`dyn`).
A `metered` implementation takes the evaluation's budget before its arguments and charges it
for what it builds or scans (growing.py, regex.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, Union

from . import arithmetic as op
from . import growing
from .conversions import CONVERSIONS
from .formatting import format_string
from .regex import find_all, matches, matches_glob
from .temporal import DURATION_ACCESSORS, TIMESTAMP_ACCESSORS, format_time, timestamp_accessor
from .types import (BOOL, BYTES, DOUBLE, DURATION, DYN, INT, LIST_DYN, STRING, TIMESTAMP, TYPE, UINT, ListType,
                    MapType, RecordType, Type, list_of)
from .values import CelType, UInt, type_of

ResultType = Union[Type, Callable[[tuple], Type]]

_PATTERN_TYPES = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": BYTES, "bool": BOOL,
                  "timestamp": TIMESTAMP, "duration": DURATION, "type": TYPE, "null_type": Type("null_type")}
_PYTHON = {"int": int, "uint": UInt, "double": float, "string": str, "bytes": bytes, "bool": bool,
           "timestamp": datetime, "duration": timedelta, "list": list, "map": dict, "type": CelType,
           "null_type": type(None), "dyn": None}


class Overload:
    """One signature of a function; for a method the receiver is the first parameter."""

    __slots__ = ("function", "params", "result", "impl", "method", "python_types", "metered")

    def __init__(self, function: str, params: tuple, result: ResultType, impl: Callable, method: bool,
                 metered: bool = False):
        self.function, self.params, self.result, self.impl, self.method = function, params, result, impl, method
        self.python_types = tuple(_PYTHON[p] for p in params)
        self.metered = metered  # impl(budget, *args): it charges the budget for what it builds

    def accepts_static(self, arg_types) -> bool:
        return all(_static_match(p, t) for p, t in zip(self.params, arg_types))

    def accepts_values(self, args) -> bool:
        return all(t is None or type(a) is t for t, a in zip(self.python_types, args))

    def result_type(self, arg_types) -> Type:
        return self.result(arg_types) if callable(self.result) else self.result


def _static_match(pattern: str, t: Type) -> bool:
    if pattern == "dyn" or t == DYN:
        return True
    if pattern == "list":
        return isinstance(t, ListType)
    if pattern == "map":
        return isinstance(t, (MapType, RecordType))
    return _PATTERN_TYPES[pattern] == t


FUNCTIONS: dict[str, list[Overload]] = {}


def _declare(function: str, params: str, result: ResultType, impl: Callable, style: str = "global", *,
             metered: bool = False) -> None:
    """Declare an overload; style is `global`, `method` or `both` (size(x) and x.size())."""
    types = tuple(params.split()) if params else ()
    for method in {"global": (False,), "method": (True,), "both": (False, True)}[style]:
        FUNCTIONS.setdefault(function, []).append(Overload(function, types, result, impl, method, metered))


# Arithmetic: the exact-type tables of arithmetic.py, declared for the checker.
_TYPE_OF_PYTHON = {int: "int", UInt: "uint", float: "double", str: "string", bytes: "bytes", bool: "bool", list: "list",
                   datetime: "timestamp", timedelta: "duration"}
_ARITHMETIC_RESULTS = {("timestamp", "duration"): TIMESTAMP, ("duration", "timestamp"): TIMESTAMP,
                       ("timestamp", "timestamp"): DURATION, ("duration", "duration"): DURATION}
for _name, _table in (("_+_", op.ADD), ("_-_", op.SUBTRACT), ("_*_", op.MULTIPLY), ("_/_", op.DIVIDE),
                      ("_%_", op.MODULO)):
    for (_left, _right), _impl in _table.items():
        _pair = (_TYPE_OF_PYTHON[_left], _TYPE_OF_PYTHON[_right])
        _result = _ARITHMETIC_RESULTS.get(_pair) or (
            (lambda ts: ts[0] if isinstance(ts[0], ListType) and ts[0].element != DYN else ts[1])
            if _pair == ("list", "list") else _PATTERN_TYPES[_pair[0]])
        _metered = _name == "_+_" and _pair in (("string", "string"), ("bytes", "bytes"), ("list", "list"))
        _declare(_name, " ".join(_pair), _result, growing.concatenate if _metered else _impl, metered=_metered)
_declare("-_", "int", INT, op.NEGATE[int])
_declare("-_", "double", DOUBLE, op.NEGATE[float])
_declare("!_", "bool", BOOL, op.logical_not)

_ORDERABLE = ("int", "uint", "double", "string", "bytes", "bool", "timestamp", "duration")
_NUMERIC = ("int", "uint", "double")
for _name, _impl in (("_<_", op.less), ("_<=_", op.less_equal), ("_>_", op.greater), ("_>=_", op.greater_equal)):
    for _t in _ORDERABLE:
        _declare(_name, f"{_t} {_t}", BOOL, _impl)
    for _a in _NUMERIC:
        for _b in _NUMERIC:
            if _a != _b:
                _declare(_name, f"{_a} {_b}", BOOL, _impl)

# size(), string tests and regular expressions.
for _t in ("string", "bytes", "list", "map"):
    _declare("size", _t, INT, len, "both")


_declare("matches", "string string", BOOL, matches, "both", metered=True)
_declare("matchesGlob", "string string", BOOL, matches_glob, "method", metered=True)
_declare("findAll", "string string", list_of(STRING), find_all, "method", metered=True)
_declare("contains", "string string", BOOL, lambda s, sub: sub in s, "method")
_declare("startsWith", "string string", BOOL, lambda s, prefix: s.startswith(prefix), "method")
_declare("endsWith", "string string", BOOL, lambda s, suffix: s.endswith(suffix), "method")

# String extensions (the commonly used part of cel-go's strings library).
_declare("lowerAscii", "string", STRING, growing.lower_ascii, "method", metered=True)
_declare("upperAscii", "string", STRING, growing.upper_ascii, "method", metered=True)
_declare("trim", "string", STRING, growing.trim, "method", metered=True)
_declare("split", "string string", list_of(STRING), growing.split, "method", metered=True)
_declare("join", "list", STRING, growing.join, "method", metered=True)
_declare("join", "list string", STRING, growing.join, "method", metered=True)
_declare("replace", "string string string", STRING, growing.replace, "method", metered=True)
_declare("indexOf", "string string", INT, lambda s, sub: s.find(sub), "method")
_declare("lastIndexOf", "string string", INT, lambda s, sub: s.rfind(sub), "method")
_declare("substring", "string int", STRING, growing.substring, "method", metered=True)
_declare("substring", "string int int", STRING, growing.substring, "method", metered=True)
_declare("format", "string list", STRING, format_string, "method", metered=True)

# Conversions, dyn() and type().
_CONVERSION_RESULTS = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": BYTES,
                       "bool": BOOL, "timestamp": TIMESTAMP, "duration": DURATION}
_SIZED_CONVERSIONS = {("string", bytes), ("bytes", str)}  # results as long as their argument
for _name, _by_type in CONVERSIONS.items():
    for _python_type, _impl in _by_type.items():
        _sized = (_name, _python_type) in _SIZED_CONVERSIONS
        _declare(_name, _TYPE_OF_PYTHON[_python_type], _CONVERSION_RESULTS[_name],
                 growing.sized_conversion(_impl) if _sized else _impl, metered=_sized)
_declare("dyn", "dyn", DYN, lambda v: v)
_declare("type", "dyn", TYPE, type_of)

# Timestamp and duration accessors, with an optional time zone for timestamps.
for _name in TIMESTAMP_ACCESSORS:
    _declare(_name, "timestamp", INT, timestamp_accessor(_name), "method")
    _declare(_name, "timestamp string", INT, timestamp_accessor(_name), "method")
for _name, _impl in DURATION_ACCESSORS.items():
    _declare(_name, "duration", INT, _impl, "method")
_declare("formatTime", "timestamp string", STRING, format_time, "method", metered=True)
_declare("formatTime", "timestamp string string", STRING, format_time, "method", metered=True)


_declare("pairs", "list", lambda ts: list_of(ts[0] if isinstance(ts[0], ListType) else LIST_DYN), growing.pairs,
         "both", metered=True)
_declare("flatten", "list", lambda ts: ts[0].element if isinstance(ts[0], ListType) and isinstance(ts[0].element, ListType)
         else LIST_DYN, growing.flatten, "method", metered=True)
_declare("range", "int", list_of(INT), growing.int_range, metered=True)
_declare("listed", "list", STRING, growing.listed, "method", metered=True)
_declare("listed", "list int", STRING, growing.listed, "method", metered=True)
