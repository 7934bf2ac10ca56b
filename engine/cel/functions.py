"""The standard library as overload tables: one place where every function and operator is
declared with its parameter types, result type and implementation, and each named function
with what it does and an example (`FUNCTION_DOCS`, shown by hover, completion and
`docs/functions.md`; the tests evaluate every example).

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
from .described import Described
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
FUNCTION_DOCS: dict[str, Described] = {}
"""Named function -> what it does and an example (operators have none: the README lists them)."""


def _declare(function: str, params: str, result: ResultType, impl: Callable, style: str = "global", *,
             metered: bool = False) -> None:
    """Declare an overload; style is `global`, `method` or `both` (size(x) and x.size())."""
    types = tuple(params.split()) if params else ()
    for method in {"global": (False,), "method": (True,), "both": (False, True)}[style]:
        FUNCTIONS.setdefault(function, []).append(Overload(function, types, result, impl, method, metered))


def _document(function: str, description: str, example: str, result: str) -> None:
    """Say what a declared function does, with an example and the example's value."""
    FUNCTION_DOCS[function] = Described(description, example, result)


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
_document("size", "The number of characters of a string, bytes of bytes, elements of a list or entries of a map.",
          "size(['a', 'b']) + 'héllo'.size()", "7")


_declare("matches", "string string", BOOL, matches, "both", metered=True)
_document("matches", "Whether an RE2 regular expression matches somewhere in the string (anchor it with `^...$` "
          "for the whole string); RE2 runs in linear time.",
          "'hotfix/v1.2.1-fix'.matches(r'^hotfix/v[0-9]+\\.[0-9]+\\.[0-9]+-[a-z0-9-]+$')", "true")
_declare("matchesGlob", "string string", BOOL, matches_glob, "method", metered=True)
_document("matchesGlob", "Whether a path matches a glob: `*` within a folder, `**/` any folders or none, `?` one "
          "character.", "'tests/api/test_prices.py'.matchesGlob('tests/**')", "true")
_declare("findAll", "string string", list_of(STRING), find_all, "method", metered=True)
_document("findAll", "Every match of an RE2 regular expression in the string, in order.",
          "'fixed in v2.8.1, not v2.8.0'.findAll(r'v[0-9]+\\.[0-9]+\\.[0-9]+')", "['v2.8.1', 'v2.8.0']")
_declare("contains", "string string", BOOL, lambda s, sub: sub in s, "method")
_document("contains", "Whether the string contains another.", "'hotfix/v2.8.1-prices'.contains('prices')", "true")
_declare("startsWith", "string string", BOOL, lambda s, prefix: s.startswith(prefix), "method")
_document("startsWith", "Whether the string starts with another.", "'hotfix/v2.8.1'.startsWith('hotfix/')", "true")
_declare("endsWith", "string string", BOOL, lambda s, suffix: s.endswith(suffix), "method")
_document("endsWith", "Whether the string ends with another.", "'notes.md'.endsWith('.md')", "true")

# String extensions (the commonly used part of cel-go's strings library).
_declare("lowerAscii", "string", STRING, growing.lower_ascii, "method", metered=True)
_document("lowerAscii", "The string with its ASCII letters in lower case (other characters unchanged).",
          "'FIXING'.lowerAscii()", "'fixing'")
_declare("upperAscii", "string", STRING, growing.upper_ascii, "method", metered=True)
_document("upperAscii", "The string with its ASCII letters in upper case (other characters unchanged), for "
          "comparing values case-insensitively.", "'Fixing'.upperAscii()", "'FIXING'")
_declare("trim", "string", STRING, growing.trim, "method", metered=True)
_document("trim", "The string without the white space at its start and end.", "'  None '.trim()", "'None'")
_declare("split", "string string", list_of(STRING), growing.split, "method", metered=True)
_document("split", "The parts of the string between each occurrence of a separator.", "'api,web'.split(',')",
          "['api', 'web']")
_declare("join", "list", STRING, growing.join, "method", metered=True)
_declare("join", "list string", STRING, growing.join, "method", metered=True)
_document("join", "A list of strings joined into one, with an optional separator between them.",
          "['api', 'web'].join(', ')", "'api, web'")
_declare("replace", "string string string", STRING, growing.replace, "method", metered=True)
_document("replace", "The string with every occurrence of one string replaced by another.",
          "'hotfix/v2.8.1'.replace('hotfix/', '')", "'v2.8.1'")
_declare("indexOf", "string string", INT, lambda s, sub: s.find(sub), "method")
_document("indexOf", "Where a string first occurs in the string (counted in characters from 0), or -1.",
          "'hotfix/v2.8.1'.indexOf('/')", "6")
_declare("lastIndexOf", "string string", INT, lambda s, sub: s.rfind(sub), "method")
_document("lastIndexOf", "Where a string last occurs in the string (counted in characters from 0), or -1.",
          "'v2.8.1'.lastIndexOf('.')", "4")
_declare("substring", "string int", STRING, growing.substring, "method", metered=True)
_declare("substring", "string int int", STRING, growing.substring, "method", metered=True)
_document("substring", "The characters from a start index to an end index (excluded), or to the end.",
          "'INC-2041'.substring(4)", "'2041'")
_declare("format", "string list", STRING, format_string, "method", metered=True)
_document("format", "The string with each clause (`%s`, `%d`, `%.2f`, `%x`, `%%`...) replaced by the next value of "
          "the list, as cel-go's strings extension does.", "'Gap of %d minutes after %s'.format([47, 'TESTING'])",
          "'Gap of 47 minutes after TESTING'")

# Conversions, dyn() and type().
_CONVERSION_RESULTS = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": BYTES,
                       "bool": BOOL, "timestamp": TIMESTAMP, "duration": DURATION}
_CONVERSION_DOCS = {
    "int": ("A value as an int: a double truncated toward zero, a string's digits, a timestamp's Unix seconds.",
            "int('42') + int(2.9)", "44"),
    "uint": ("A value as an unsigned int (an error for a negative one).", "uint(42)", "42u"),
    "double": ("A value as a double.", "double('1.5') * 2.0", "3.0"),
    "string": ("A value as text: numbers in decimal, timestamps in RFC 3339, durations in seconds (`1800s`).",
               "string(duration('30m'))", "'1800s'"),
    "bytes": ("A string as its UTF-8 bytes.", "size(bytes('héllo'))", "6"),
    "bool": ("A string `true` or `false` (and a few spellings of them) as a bool.", "bool('true')", "true"),
    "timestamp": ("A time from RFC 3339 text (`2026-11-20T09:10:00Z`) or Unix seconds.",
                  "timestamp('2026-11-20T09:10:00Z') + duration('30m')", "timestamp('2026-11-20T09:40:00Z')"),
    "duration": ("A duration from text such as `30m`, `1h30m` or `1.5s`.", "duration('1h30m')", "duration('90m')"),
}
_SIZED_CONVERSIONS = {("string", bytes), ("bytes", str)}  # results as long as their argument
for _name, _by_type in CONVERSIONS.items():
    for _python_type, _impl in _by_type.items():
        _sized = (_name, _python_type) in _SIZED_CONVERSIONS
        _declare(_name, _TYPE_OF_PYTHON[_python_type], _CONVERSION_RESULTS[_name],
                 growing.sized_conversion(_impl) if _sized else _impl, metered=_sized)
    _document(_name, *_CONVERSION_DOCS[_name])
_declare("dyn", "dyn", DYN, lambda v: v)
_document("dyn", "The value itself, with its type checked only when the rule runs (for values whose type the "
          "checker cannot know).", "dyn(1) == 1", "true")
_declare("type", "dyn", TYPE, type_of)
_document("type", "The type of a value, to compare with a type name.", "type('FIXING') == string", "true")

# Timestamp and duration accessors, with an optional time zone for timestamps.
_IN_ZONE = "in UTC, or in the time zone given (`'Europe/Paris'`, `'+05:30'`)"
_ACCESSOR_DOCS = {
    "getFullYear": ("The year of a timestamp", "2026"),
    "getMonth": ("The month of a timestamp, from 0 (January) to 11", "10"),
    "getDayOfYear": ("The day of the year of a timestamp, from 0", "323"),
    "getDayOfMonth": ("The day of the month of a timestamp, from 0", "19"),
    "getDate": ("The day of the month of a timestamp, from 1", "20"),
    "getDayOfWeek": ("The day of the week of a timestamp, from 0 (Sunday) to 6", "5"),
    "getHours": ("The hour of a timestamp, or a duration's whole hours", "9"),
    "getMinutes": ("The minutes of a timestamp's hour, or a duration's whole minutes", "10"),
    "getSeconds": ("The seconds of a timestamp's minute, or a duration's whole seconds", "30"),
    "getMilliseconds": ("The milliseconds of a timestamp's second, or a duration's whole milliseconds", "0"),
}
for _name in TIMESTAMP_ACCESSORS:
    _declare(_name, "timestamp", INT, timestamp_accessor(_name), "method")
    _declare(_name, "timestamp string", INT, timestamp_accessor(_name), "method")
    _described, _value = _ACCESSOR_DOCS[_name]
    _document(_name, f"{_described}, {_IN_ZONE}.", f"timestamp('2026-11-20T09:10:30Z').{_name}()", _value)
for _name, _impl in DURATION_ACCESSORS.items():
    _declare(_name, "duration", INT, _impl, "method")
_declare("formatTime", "timestamp string", STRING, format_time, "method", metered=True)
_declare("formatTime", "timestamp string string", STRING, format_time, "method", metered=True)
_document("formatTime", f"A timestamp as text, with strftime's directives `%Y %m %d %H %M %S` and `%%`, {_IN_ZONE}.",
          "timestamp('2026-11-20T09:10:00Z').formatTime('%Y-%m-%d %H:%M')", "'2026-11-20 09:10'")


_declare("pairs", "list", lambda ts: list_of(ts[0] if isinstance(ts[0], ListType) else LIST_DYN), growing.pairs,
         "both", metered=True)
_document("pairs", "Each element with the next one, for gaps and transitions (\"updates at most 30 minutes apart\").",
          "pairs(['a', 'b', 'c'])", "[['a', 'b'], ['b', 'c']]")
_declare("flatten", "list", lambda ts: ts[0].element if isinstance(ts[0], ListType) and isinstance(ts[0].element, ListType)
         else LIST_DYN, growing.flatten, "method", metered=True)
_document("flatten", "A list of lists as one list (one level of nesting removed).", "[[1, 2], [3]].flatten()",
          "[1, 2, 3]")
_declare("range", "int", list_of(INT), growing.int_range, metered=True)
_document("range", "The ints from 0 to n - 1, for an element's place in a sorted group.", "range(3)", "[0, 1, 2]")
_declare("listed", "list", STRING, growing.listed, "method", metered=True)
_declare("listed", "list int", STRING, growing.listed, "method", metered=True)
_document("listed", "A list of strings for a message: the first three named and the rest counted. With a count k, "
          "the same for the list's first k items only: the items after them are neither named nor counted "
          "(`size(l) - k` counts them); k past the list's size, or below 0, is an evaluation error.",
          "['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-5'].listed(4)",
          "'INC-1, INC-2, INC-3 and 1 other'")
