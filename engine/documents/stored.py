"""A `Document` as plain JSON data and back, exactly: what the extraction cache stores.

`serialize.py` writes documents for people (`policy parse`: times in UTC, ranges by dotted
path) and cannot be read back into the same values; this form can. Everything but the text
is kept: values keep their types (a time keeps its instant and its zone, a duration its
days, seconds and microseconds), paths keep string keys apart from list indices, spans keep
all six numbers (a source map reads back as a `StoredSpans`, which builds a span only when
asked for it: a run asks for a few of a document's hundred). The text is not stored: it is the
file the caller has just read, and leaving it out keeps every secret the scanner found out of
the cache (`data`, messages and placeholders are read from the text with secrets masked).

Reading back builds only known types from lists, strings and numbers (no pickle, no names
of classes or functions): a planted entry can at worst describe a wrong document, which the
cache's key and ownership checks keep out.
"""

from __future__ import annotations

import json
import sys
from array import array
from base64 import b64decode, b64encode
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache, partial
from itertools import chain

import orjson

from ..findings import Finding, Severity
from ..span import Span
from .model import Document, Placeholder, Secret
from .values import holdable

_TIME, _DURATION = "\u0000t", "\u0000d"
"""Keys that mark a time or a duration among `data`'s dicts; no field can be named so."""


class Unstorable(ValueError):
    """A value of a type this form does not know: the document is extracted on every run."""


DAMAGED = (KeyError, IndexError, TypeError, ValueError, RecursionError, OverflowError, OSError)
"""What reading a stored document back raises when its entry is damaged, which makes the entry a
miss: `document_from_data`'s own checks, `json`'s, a duration past timedelta's range
(OverflowError), a zone name that is a folder (OSError)."""


def document_to_data(document: Document) -> list:
    """The document as lists, strings and numbers (without its text), but for its values' times
    and durations, which `encoded` marks as it writes them."""
    return [document.kind, document.id, document.path, document.data,
            _spans(document.spans), _spans(document.anchors),
            _span(document.title), [list(path) for path in document.derived],
            [[list(p.path), p.text, list(p.span)] for p in document.placeholders],
            [[name, list(span)] for name, span in document.unfilled],
            [document_to_data(view) for view in document.filled_views],
            [[s.kind, list(s.span), s.description] for s in document.secrets],
            [[f.rule, f.severity.value, f.message, f.path, _span(f.span), f.policy, f.kind, f.document, f.waived]
             for f in document.findings],
            document.read_in_full, document.read]


def document_from_data(stored: list, text: str) -> Document:
    """The document `document_to_data` gave, over `text`. `stored` is as `json.loads` read it
    with `object_hook=data_hook`; ValueError, TypeError, KeyError or IndexError on anything
    malformed."""
    (kind, id_, path, data, spans, anchors, title, derived, placeholders, unfilled, views, secrets, findings,
     read_in_full, read) = stored
    if type(data) is not dict:
        raise TypeError("a document's data is a map")
    return Document(
        _optional_text(kind), _optional_text(id_), _text(path), text, data, _spans_of(spans), _spans_of(anchors),
        None if title is None else _span_of(title), set(_paths(derived)),
        [Placeholder(_path(p), _text(t), _span_of(s)) for p, t, s in placeholders],
        [(_text(name), _span_of(s)) for name, s in unfilled],
        [document_from_data(view, text) for view in views],
        [Secret(_text(k), _span_of(s), _text(d)) for k, s, d in secrets],
        [Finding(_text(rule), Severity(severity), _text(message), _text(where), None if span is None else _span_of(span),
                 _text(policy), _text(of_kind), _text(of_document), _flag(waived))
         for rule, severity, message, where, span, policy, of_kind, of_document, waived in findings],
        _flag(read_in_full), _flag(read))


def data_hook(stored: dict):
    """`json.loads`' `object_hook`: a time or a duration from its marked map; any other map as
    it is (JSON's own values are the rule language's: only these two need building)."""
    if len(stored) != 1:
        return stored
    if _TIME in stored:
        moment, zone, fold = stored[_TIME]
        if zone == "UTC" and type(fold) is int and fold == 0:  # most times: read with their zone (the
            return datetime.fromisoformat(_text(moment) + "+00:00")  # same timezone.utc), 10x `replace`'s speed
        return holdable(datetime.fromisoformat(_text(moment)).replace(tzinfo=_zone_of(zone), fold=_fold(fold)))
    if _DURATION in stored:
        days, seconds, microseconds = stored[_DURATION]
        return timedelta(days=_int(days), seconds=_int(seconds), microseconds=_int(microseconds))
    return stored


def _spans(spans: Mapping) -> list:
    """A source map as [its paths as one JSON text, the six numbers of each path's span as
    unsigned 32-bit little-endian integers, one after another, in base64]. Documents of a kind
    share their paths (the same fields, lists of the same lengths): a process reads each text of
    paths once. The numbers are packed and checked in C (a sixth of the time decimal digits took)."""
    try:
        numbers = array(_NUMBER, chain.from_iterable(spans.values()))
    except (TypeError, OverflowError):
        raise Unstorable("a span's numbers are offsets, lines and columns below 2**32") from None
    if _SWAP:
        numbers.byteswap()
    return [_paths_text(tuple(spans)), b64encode(numbers.tobytes()).decode("ascii")]


_NUMBER = "I"
"""A span's number as stored: C's unsigned int, 4 bytes wherever CPython runs (checked below)."""
_SWAP = sys.byteorder != "little"
"""Stored little-endian on every machine, so that an entry reads the same anywhere."""
assert array(_NUMBER).itemsize == 4, "a span's numbers are stored in 4 bytes"


@lru_cache(maxsize=256)
def _paths_text(paths: tuple) -> str:
    """A source map's paths as JSON, written once per shape of document (a fifth of the time)."""
    return json.dumps(paths, ensure_ascii=False, separators=(",", ":"))


def _spans_of(stored) -> StoredSpans:
    table, packed = stored
    rows, count = _path_table(_text(table))
    numbers = array(_NUMBER, b64decode(_text(packed).encode("ascii"), validate=True))  # ValueError if not
    if len(numbers) != 6 * count:
        raise ValueError("not a source map")
    if _SWAP:
        numbers.byteswap()
    return StoredSpans(rows, numbers)


class StoredSpans(Mapping):
    """A cached document's source map (path -> Span), each span built when it is asked for.

    A run asks a document for a few of its hundred spans (a record's number, where a finding
    points); building them all was most of reading a cached document back. Everything was
    checked when the entry was read, so a lookup cannot fail where a dict's would not. Read-only,
    as every source map is once extraction is done.
    """

    __slots__ = ("_rows", "_numbers")

    def __init__(self, rows: dict, numbers: array):
        self._rows, self._numbers = rows, numbers  # rows: path -> row, shared; six numbers a row

    def __getitem__(self, path) -> Span:
        return self._span(self._rows[path])

    def get(self, path, default=None):
        row = self._rows.get(path)
        return default if row is None else self._span(row)

    def __contains__(self, path) -> bool:
        return path in self._rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"StoredSpans({dict(self.items())!r})"

    def _span(self, row: int) -> Span:
        return _span_from_tuple(self._numbers[row * 6:row * 6 + 6])


@lru_cache(maxsize=1024)
def _path_table(text: str) -> tuple:
    """(path -> its row, the number of rows) of a source map's JSON text of paths, read and
    checked once per process (a text that is no list of paths raises and is not remembered). A
    path listed twice keeps its last row, as a dict built from the list would."""
    paths = _paths(json.loads(text))
    return {path: row for row, path in enumerate(paths)}, len(paths)


_span_from_tuple = partial(tuple.__new__, Span)
"""A Span from six checked ints: a C call where `Span._make` is a Python one."""


def _paths(stored) -> list:
    if type(stored) is not list or not all(type(path) is list for path in stored):
        raise ValueError("not a list of paths")
    if not {type(key) for path in stored for key in path} <= {str, int}:
        raise ValueError("a path's keys are names and positions")
    return [tuple(path) for path in stored]


def encoded(stored) -> bytes:
    """`stored` (what `document_to_data` gives) as JSON in UTF-8, its times and durations marked
    (`data_hook` reads them back), written by orjson in one call: walking the values to mark
    them, then writing them with json, took four times as long (0.27 against 0.07 ms a record;
    benchmarks/README.md, Scale). Unstorable for what would not read back the same: a value of
    another type (a subclass included), a map key that is not text, an integer past 64 bits, a
    lone surrogate, or a NUL character in any text, where a map of the document's own keyed
    like a mark (`_TIME`) would read back as a time. (orjson writes a tuple as a list and a
    float that is not finite as null: extraction makes neither, as no schema has a number
    field.)"""
    marked = [0]

    def mark(value):
        marked[0] += 1
        return _marked(value)

    try:
        written = orjson.dumps(stored, default=mark, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError as error:
        raise Unstorable(str(error)) from None
    if written.count(b"\\u0000") != marked[0]:  # each mark's key is one; anything else is a NUL in a text
        raise Unstorable("a text holds a NUL character")
    return written


_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS
"""Times, and subclasses of JSON's own types, go to the `default` hook (`_marked`: times and
durations, nothing else)."""


def value_to_data(value):
    """A value of `data` as lists, maps, strings and numbers, its times and durations marked
    (`data_hook` reads them back); Unstorable for a value of no known type."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        if not all(type(key) is str for key in value) or _TIME in value or _DURATION in value:
            raise Unstorable("a map whose keys are not field names")
        return {key: value_to_data(item) for key, item in value.items()}
    if kind is list:
        return [value_to_data(item) for item in value]
    return _marked(value)


def _marked(value) -> dict:
    """A time or a duration as its marked map; Unstorable for a value of any other type."""
    kind = type(value)
    if kind is datetime:
        if value.tzinfo is timezone.utc:  # most times: the wall time is the ISO text without its `+00:00`
            return {_TIME: [value.isoformat()[:-6], "UTC", value.fold]}
        return {_TIME: [value.replace(tzinfo=None).isoformat(), _zone(value.tzinfo), value.fold]}
    if kind is timedelta:
        return {_DURATION: [value.days, value.seconds, value.microseconds]}
    raise Unstorable(f"a value of type {kind.__name__}")


def _zone(zone: tzinfo | None):
    """A time zone as data: UTC's and fixed offsets as [seconds], IANA zones by name (a time without
    a zone is none of extraction's: not stored, as `_zone_of` does not read one back)."""
    if zone is None:
        raise Unstorable("a time without a zone")
    if type(zone) is timezone:
        offset = zone.utcoffset(None)
        return [offset.days * 86400 + offset.seconds] if zone is not timezone.utc else "UTC"
    key = getattr(zone, "key", None)
    if type(zone).__name__ == "ZoneInfo" and isinstance(key, str):
        return key
    raise Unstorable(f"a time zone of type {type(zone).__name__}")


def _zone_of(stored) -> tzinfo:
    if stored is None:
        raise ValueError("a time without a zone: extraction makes none")
    if stored == "UTC":
        return timezone.utc
    if type(stored) is list:
        (seconds,) = stored
        return timezone(timedelta(seconds=_int(seconds)))
    from zoneinfo import ZoneInfo

    return ZoneInfo(_text(stored))


def _span(span: Span | None):
    return None if span is None else list(span)


def _span_of(stored) -> Span:
    if type(stored) is not list or len(stored) != 6:
        raise ValueError(f"not a span: {stored!r}")
    return Span(*(_int(number) for number in stored))


def _path(stored) -> tuple:
    if type(stored) is not list or not all(type(key) in (str, int) for key in stored):
        raise ValueError(f"not a path of keys: {stored!r}")
    return tuple(stored)


def _text(stored) -> str:
    if type(stored) is not str:
        raise TypeError(f"not a string: {stored!r}")
    return stored


def _optional_text(stored) -> str | None:
    return None if stored is None else _text(stored)


def _int(stored) -> int:
    if type(stored) is not int:
        raise TypeError(f"not an integer: {stored!r}")
    return stored


def _flag(stored) -> bool:
    if type(stored) is not bool:
        raise TypeError(f"not true or false: {stored!r}")
    return stored


def _fold(stored) -> int:
    if stored not in (0, 1) or type(stored) is not int:
        raise TypeError(f"not a fold: {stored!r}")
    return stored
