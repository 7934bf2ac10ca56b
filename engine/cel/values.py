"""Runtime values of the rule language as plain Python, plus the few types Python lacks.

int, float, str, bytes, bool, None, list, dict, aware datetime (timestamp) and timedelta
(duration) stand for themselves; `UInt` marks unsigned integers and `CelType` is the value of
`type(x)`. Keeping Python's own types makes documents usable as-is, with no conversion layer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
UINT_MAX = (1 << 64) - 1


class UInt(int):
    """A CEL `uint`: an int that remembers it is unsigned."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{int(self)}u"


class CelType:
    """A CEL type as a value (`type(1) == int`); compared by name."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other) -> bool:
        return isinstance(other, CelType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("CelType", self.name))

    def __repr__(self) -> str:
        return f"CelType({self.name!r})"


INT_TYPE, UINT_TYPE, DOUBLE_TYPE = CelType("int"), CelType("uint"), CelType("double")
BOOL_TYPE, STRING_TYPE, BYTES_TYPE = CelType("bool"), CelType("string"), CelType("bytes")
NULL_TYPE, LIST_TYPE, MAP_TYPE, TYPE_TYPE = CelType("null_type"), CelType("list"), CelType("map"), CelType("type")
TIMESTAMP_TYPE = CelType("google.protobuf.Timestamp")
DURATION_TYPE = CelType("google.protobuf.Duration")

TYPE_CONSTANTS = {
    "int": INT_TYPE, "uint": UINT_TYPE, "double": DOUBLE_TYPE, "bool": BOOL_TYPE, "string": STRING_TYPE,
    "bytes": BYTES_TYPE, "null_type": NULL_TYPE, "list": LIST_TYPE, "map": MAP_TYPE, "type": TYPE_TYPE,
    "google.protobuf.Timestamp": TIMESTAMP_TYPE, "google.protobuf.Duration": DURATION_TYPE,
}


def type_of(value) -> CelType:
    """The CEL type of a runtime value."""
    kind = type(value)
    found = _PYTHON_TYPES.get(kind)
    if found is not None:
        return found
    for python_type, cel_type in _PYTHON_TYPES.items():
        if isinstance(value, python_type):
            return cel_type
    raise TypeError(f"not a rule-language value: {kind.__name__}")


_PYTHON_TYPES = {
    bool: BOOL_TYPE, UInt: UINT_TYPE, int: INT_TYPE, float: DOUBLE_TYPE, str: STRING_TYPE, bytes: BYTES_TYPE,
    type(None): NULL_TYPE, list: LIST_TYPE, tuple: LIST_TYPE, dict: MAP_TYPE, CelType: TYPE_TYPE,
    datetime: TIMESTAMP_TYPE, timedelta: DURATION_TYPE,
}


def from_python(value):
    """Plain data from JSON, YAML or a caller as rule-language values (naive times become UTC)."""
    from datetime import date, timezone

    if value is None or type(value) in (bool, int, str, bytes, float, UInt, timedelta, CelType):
        return value
    for plain in (bool, int, float, str):  # subclasses from YAML loaders become the plain type
        if isinstance(value, plain):
            return plain(value)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, dict):
        return {from_python(k): from_python(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_python(v) for v in value]
    raise TypeError(f"cannot use a {type(value).__name__} as a rule-language value")


def to_json(value):
    """A rule-language value as JSON-compatible data: times as RFC 3339, durations as `90s`."""
    import base64
    import math

    from .temporal import format_duration, format_timestamp

    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    if value is None or isinstance(value, (bool, int, float, str)):
        return int(value) if type(value) is UInt else value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, CelType):
        return value.name
    if isinstance(value, dict):
        return {_json_name(k): to_json(v) for k, v in value.items()}
    return [to_json(v) for v in value]


def _json_name(key) -> str:
    """A map key as a JSON member's name: `true` and `false` as the language and JSON spell them."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(to_json(key))
