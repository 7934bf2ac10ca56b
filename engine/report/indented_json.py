"""`json.dumps(data, indent=2, ensure_ascii=False)`, byte for byte, at close to the C encoder's speed.

With `indent`, Python's json module falls back to its pure-Python encoder: a few hundred
milliseconds for the JSON or SARIF report of thousands of findings. The reports are mostly
small containers of scalars (a finding, a SARIF region), so each of those is encoded in one C
call whose item separator carries the newline and indentation of its depth, and only the
containers that hold containers are laid out here. The C encoder escapes a newline inside a
string, so the only line breaks are the layout's.
"""

from __future__ import annotations

import json
from functools import lru_cache

INDENT = 2
_CONTAINERS = (dict, list, tuple)
_SCALARS = frozenset((str, int, float, bool, type(None)))
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _scalar(value) -> str:
    """One value as the encoder writes it; an int (a line, an index) without its per-call set-up."""
    return int.__repr__(value) if type(value) is int else _encode(value)


def dumps(data) -> str:
    """data (dicts with string keys, lists, tuples, strings, numbers, booleans, None) as
    `json.dumps(data, indent=2, ensure_ascii=False)` writes it."""
    parts: list = []
    _lay_out(data, 0, parts.append)
    return "".join(parts)


def _lay_out(value, depth: int, emit) -> None:
    if not isinstance(value, _CONTAINERS) or not value:
        emit(_scalar(value))
        return
    is_dict = isinstance(value, dict)
    items = value.values() if is_dict else value
    kinds = {type(item) for item in items}
    if kinds <= _SCALARS:
        text = _flat_encoder(depth + 1)(value)  # `{"a": 1,\n    "b": 2}`: only the brackets' lines to add
        emit(text[0] + _margin(depth + 1) + text[1:-1] + _margin(depth) + text[-1])
        return
    if not is_dict and kinds == {dict} and all(value) \
            and all(_SCALARS.issuperset(map(type, record.values())) for record in value):
        emit(_records(value, depth))
        return
    inner = _margin(depth + 1)
    emit("{" if is_dict else "[")
    separator = inner
    if is_dict:
        for key, item in value.items():
            emit(separator + _scalar(key) + ": ")
            _lay_out(item, depth + 1, emit)
            separator = "," + inner
    else:
        for item in value:
            emit(separator)
            _lay_out(item, depth + 1, emit)
            separator = "," + inner
    emit(_margin(depth) + ("}" if is_dict else "]"))


def _records(records: list, depth: int) -> str:
    """A list of non-empty dicts of scalars (the findings) in one C call. Inside a record a line
    break is followed by a key (`"`), so `},` + break + `{` is only ever between two records."""
    outer, inner = _margin(depth + 1), _margin(depth + 2)
    text = _flat_encoder(depth + 2)(records)
    text = text[2:-2].replace("}," + inner + "{", outer + "}," + outer + "{" + inner)
    return "[" + outer + "{" + inner + text + outer + "}" + _margin(depth) + "]"


@lru_cache(maxsize=None)
def _margin(depth: int) -> str:
    return "\n" + " " * (INDENT * depth)


@lru_cache(maxsize=None)
def _flat_encoder(depth: int):
    """The C encoder whose items are laid out one a line, indented to `depth`."""
    return json.JSONEncoder(ensure_ascii=False, separators=("," + _margin(depth), ": ")).encode
