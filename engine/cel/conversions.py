"""Type conversions: int(), uint(), double(), string(), bytes(), bool(), timestamp(), duration()."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from .arithmetic import checked_int, checked_uint
from .errors import CelEvaluationError
from .temporal import EPOCH, format_duration, format_timestamp, parse_duration, parse_timestamp, timestamp_from_seconds
from .values import INT_MAX, INT_MIN, UINT_MAX, UInt

_INTEGER = re.compile(r"[+-]?\d+\Z")
_DOUBLE = re.compile(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)\Z", re.IGNORECASE)
_TRUE = frozenset({"true", "TRUE", "True", "t", "1"})
_FALSE = frozenset({"false", "FALSE", "False", "f", "0"})


def _range_error(kind: str, value) -> CelEvaluationError:
    return CelEvaluationError(f"{kind} conversion of {value!r} out of range")


def int_from_double(value: float) -> int:
    if not math.isfinite(value) or not (INT_MIN < value < INT_MAX):
        raise _range_error("int", value)
    return int(value)


def int_from_string(value: str) -> int:
    if not _INTEGER.match(value):
        raise CelEvaluationError(f"cannot convert '{_shown(value)}' to int")
    return checked_int(_integer(value, "int"))


def int_from_timestamp(value: datetime) -> int:
    return math.floor((value - EPOCH).total_seconds())


def uint_from_int(value: int) -> UInt:
    if value < 0:
        raise _range_error("uint", value)
    return UInt(value)


def uint_from_double(value: float) -> UInt:
    if not math.isfinite(value) or not (0 <= value < UINT_MAX):
        raise _range_error("uint", value)
    return UInt(int(value))


def uint_from_string(value: str) -> UInt:
    if not re.fullmatch(r"\+?\d+", value):
        raise CelEvaluationError(f"cannot convert '{_shown(value)}' to uint")
    return checked_uint(_integer(value, "uint"))


def _integer(text: str, kind: str) -> int:
    """The value of a string of digits (with an optional sign). One with more digits than any
    64-bit integer is out of range before Python is asked: Python refuses to convert more than
    4,300 digits, with a ValueError that is no rule-language error."""
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 20:
        raise CelEvaluationError(f"{kind} conversion of a {len(digits):,}-digit number out of range")
    return int(sign + digits)


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def double_from_string(value: str) -> float:
    if not _DOUBLE.match(value):
        raise CelEvaluationError(f"cannot convert '{value}' to double")
    return float(value)


def string_from_double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def string_from_bytes(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise CelEvaluationError("bytes are not valid UTF-8") from None


def bool_from_string(value: str) -> bool:
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CelEvaluationError(f"cannot convert '{value}' to bool")


def timestamp_from_int(value: int) -> datetime:
    return timestamp_from_seconds(value)


CONVERSIONS = {
    # function: {(python type of the argument): implementation}
    "int": {int: lambda v: v, UInt: lambda v: checked_int(int(v)), float: int_from_double, str: int_from_string,
            datetime: int_from_timestamp},
    "uint": {UInt: lambda v: v, int: uint_from_int, float: uint_from_double, str: uint_from_string},
    "double": {float: lambda v: v, int: float, UInt: float, str: double_from_string},
    "string": {str: lambda v: v, int: str, UInt: lambda v: str(int(v)), float: string_from_double,
               bytes: string_from_bytes, bool: lambda v: "true" if v else "false", datetime: format_timestamp,
               timedelta: format_duration},
    "bytes": {bytes: lambda v: v, str: lambda v: v.encode("utf-8")},
    "bool": {bool: lambda v: v, str: bool_from_string},
    "timestamp": {datetime: lambda v: v, str: parse_timestamp, int: timestamp_from_int},
    "duration": {timedelta: lambda v: v, str: parse_duration},
}
