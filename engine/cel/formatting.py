"""`"...%s...%d".format([a, b])`: messages written as one template and the values that fill it.

The clauses are those of cel-go's strings extension: `%s` any value as text, `%d` an integer,
`%f` / `%e` a number in fixed or scientific notation (`%.2f`: two decimals; six by default),
`%b` / `%o` / `%x` / `%X` an integer in binary, octal or hexadecimal (`%x` also spells a
string's or bytes' UTF-8 in hexadecimal), `%%` a percent sign. A clause the template does not
know, more clauses than values, a value a clause does not take, or a value no clause uses is
an error: at load when the template is written in the expression (and, for the values, when
they are written as a list there), else when the message is built. The result is charged to
the evaluation's budget piece by piece before it is built.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple, Optional

from .clock import standing_for
from .conversions import CONVERSIONS
from .cost import charge, element_units, text_units
from .errors import CelEvaluationError
from .values import CelType, UInt, type_of

_CLAUSE = re.compile(r"%(?:(%)|(?:\.([0-9]{1,2}))?([sdfeboxX])|(.?))", re.S)
_DEFAULT_PRECISION = 6

_INTEGERS = (int, UInt)
_NUMBERS = (int, UInt, float)
# What each clause takes, as exact runtime types.
_TAKES = {"s": None, "d": _INTEGERS, "f": _NUMBERS, "e": _NUMBERS, "b": _INTEGERS + (bool,), "o": _INTEGERS,
          "x": _INTEGERS + (str, bytes), "X": _INTEGERS + (str, bytes)}
_WORDS = {"d": "an int or uint", "f": "a number", "e": "a number", "b": "an int, uint or bool",
          "o": "an int or uint", "x": "an int, uint, string or bytes", "X": "an int, uint, string or bytes"}
# The same, as static type names for the checker.
STATIC_TAKES = {"s": None, "d": {"int", "uint"}, "f": {"int", "uint", "double"}, "e": {"int", "uint", "double"},
                "b": {"int", "uint", "bool"}, "o": {"int", "uint"}, "x": {"int", "uint", "string", "bytes"},
                "X": {"int", "uint", "string", "bytes"}}


class Clause(NamedTuple):
    verb: str                   # s d f e b o x X
    precision: Optional[int]    # %.2f


class FormatError(CelEvaluationError):
    """A template or its values that do not fit: a mistake in the policy."""


def clauses(template: str) -> list:
    """The template's clauses in order, or FormatError for one it does not know."""
    found = []
    for match in _CLAUSE.finditer(template):
        literal, precision, verb, unknown = match.groups()
        if literal:
            continue
        if verb is None:
            what = f"unknown clause '%{unknown}'" if unknown else "a lone '%'"
            raise FormatError(f"format: {what} at character {match.start() + 1} of the template; "
                              "use %s, %d, %f, %e, %b, %o, %x, %X, or %% for a percent sign")
        found.append(Clause(verb, int(precision) if precision is not None else None))
    return found


def count_problem(clause_count: int, value_count: int) -> Optional[str]:
    """What is wrong with the number of values for the clauses, or None."""
    if clause_count == value_count:
        return None
    return (f"format: the template has {clause_count} clause{'' if clause_count == 1 else 's'} "
            f"but {value_count} value{' was' if value_count == 1 else 's were'} given")


def type_problem(clause: Clause, position: int, type_name: str) -> Optional[str]:
    """Why a value of static type `type_name` cannot fill the clause, or None."""
    takes = STATIC_TAKES[clause.verb]
    if takes is None or type_name in takes or type_name == "dyn":
        return None
    return f"format: %{clause.verb} needs {_WORDS[clause.verb]}, not {type_name} (value {position})"


def format_string(budget, template: str, values: list) -> str:
    """The template with each clause replaced by its value (the metered implementation)."""
    literals, found = _parsed(template)
    problem = count_problem(len(found), len(values))
    if problem:
        raise FormatError(problem)
    charge(budget, text_units(len(template)))
    pieces = [literals[0]]
    for index, clause in enumerate(found):
        pieces.append(_fill(clause, values[index], index + 1, budget))
        pieces.append(literals[index + 1])
    return "".join(pieces)


@lru_cache(maxsize=512)  # templates can be built at run time: bounded
def _parsed(template: str) -> tuple:
    """(the text around the clauses, `%%` spelled `%`; the clauses), one more text than clauses:
    a message template is parsed once, not once per finding."""
    found = clauses(template)
    literals, text, start = [], [], 0
    for match in _CLAUSE.finditer(template):
        text.append(template[start:match.start()])
        start = match.end()
        if match.group(1):
            text.append("%")
            continue
        literals.append("".join(text))
        text = []
    text.append(template[start:])
    literals.append("".join(text))
    return tuple(literals), tuple(found)


def _fill(clause: Clause, value, position: int, budget) -> str:
    takes = _TAKES[clause.verb]
    if takes is not None and type(value) not in takes:   # exact types: a bool is not an int here
        raise FormatError(f"format: %{clause.verb} needs {_WORDS[clause.verb]}, "
                          f"not {_type_name(value)} (value {position})")
    verb = clause.verb
    if verb == "s":
        return _text(value, budget)
    if verb == "d":
        return str(int(value))
    if verb in "fe":
        return _number(float(value), verb, _DEFAULT_PRECISION if clause.precision is None else clause.precision,
                       budget)
    if verb in "xX" and isinstance(value, (str, bytes)):
        raw = value.encode("utf-8") if isinstance(value, str) else value
        charge(budget, text_units(2 * len(raw)))
        return raw.hex() if verb == "x" else raw.hex().upper()
    number = int(value)
    digits = format(abs(number), {"b": "b", "o": "o", "x": "x", "X": "X"}[verb])
    return ("-" if number < 0 else "") + digits


def _number(value: float, verb: str, precision: int, budget) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = format(value, f".{precision}{verb}")
    charge(budget, text_units(len(text)))
    return text


def _text(value, budget) -> str:
    """`%s`: strings as they are, other values as `string()` spells them, lists and maps in
    brackets with their items spelled the same way, map entries in the order of their keys'
    text (as cel-go's strings extension spells them, so a message does not depend on the order
    a map was built in); a double that is not finite is `NaN`, `Infinity` or `-Infinity`."""
    kind = type(value)
    if kind is str:
        charge(budget, text_units(len(value)))
        return value
    if value is None:
        return "null"
    if kind is list:
        charge(budget, element_units(len(value)))
        return "[" + ", ".join(_text(item, budget) for item in value) + "]"
    if kind is dict:
        charge(budget, element_units(len(value)))
        entries = sorted((_text(k, budget), _text(v, budget)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"
    if kind is float and not math.isfinite(value):
        return _number(value, "f", 0, budget)
    if kind is CelType:
        return value.name
    convert = CONVERSIONS["string"].get(standing_for(value))
    if convert is None:
        raise FormatError(f"format: %s cannot spell a {_type_name(value)}")
    text = convert(value)
    charge(budget, text_units(len(text)))
    return text


def _type_name(value) -> str:
    return type_of(value).name.replace("google.protobuf.", "").lower()
