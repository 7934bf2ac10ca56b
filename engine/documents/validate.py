"""Schema validation: a value of the wrong type or format becomes SCHEMA001 at the value.

jsonschema (draft 2020-12) checks what extraction found against the kind's schema, with the
rule language's runtime types: a `date-time` string is a timezone-aware `datetime`, a
`duration` string a `timedelta`. A value that fails is reported in words a person
understands ("ETA must be a time such as 2026-11-20T11:00Z; found 'soon'") and removed from
`data`, so rules only ever see well-typed values (and `has()` is false for it).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from .schemas import load_schema

_BARE_TIME = re.compile(r"\d{1,2}:\d{2}\b")
EXAMPLES = {
    "date-time": "a time such as 2026-11-20T11:00Z",
    "duration": "a duration such as 1h 52m",
    "integer": "a whole number such as 2041",
    "boolean": "yes or no",
    "array": "a list",
    "object": "a block of labelled values",
    "string": "text",
    "semver": "a version such as v1.2.1",
}


@cache
def validator(kind: str):
    """The kind's jsonschema validator, built once per process."""
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend

    def is_string(_checker, instance):
        return isinstance(instance, (str, datetime, timedelta))

    def is_object(_checker, instance):
        return isinstance(instance, dict)

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many({"string": is_string, "object": is_object})
    formats = FormatChecker(formats=())
    formats.checks("date-time")(lambda value: not isinstance(value, str) and isinstance(value, datetime)
                                and value.tzinfo is not None)
    formats.checks("duration")(lambda value: not isinstance(value, str) and isinstance(value, timedelta))
    cls = extend(Draft202012Validator, type_checker=checker)
    return cls(load_schema(kind), format_checker=formats)


def _subschema(schema: dict, path: tuple) -> dict:
    for key in path:
        if isinstance(key, int):
            schema = schema.get("items", {})
        else:
            schema = schema.get("properties", {}).get(key, {})
    return schema


def field_label(schema: dict, name) -> str:
    """What a person calls a field: `x-label`, the label it is read from, or its name."""
    if schema.get("x-label"):
        return schema["x-label"]
    source = schema.get("x-source")
    for candidate in ([source] if isinstance(source, dict) else source or []):
        if "label" in candidate:
            return candidate["label"]
    return str(name).replace("_", " ").capitalize()


def check(kind: str, data: dict, source_text) -> list:
    """[(path, message)] for every value of `data` that does not fit the kind's schema.

    `source_text(path)` gives the text a value was read from (for the message), or None.
    """
    problems = []
    schema = load_schema(kind)
    for error in validator(kind).iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator in ("additionalProperties", "required") or not path:
            problems.append((path, f"{error.message} (an engine bug: please report it)"))
            continue
        sub = _subschema(schema, path)
        name = path[-1] if not isinstance(path[-1], int) else path[-2] if len(path) > 1 else "value"
        label = field_label(sub, name)
        expected = sub.get("x-value") if sub.get("x-value") == "semver" else (
            sub.get("format") or sub.get("type") or "")
        if isinstance(expected, list):
            expected = expected[0]
        what = EXAMPLES.get(expected, expected or "a different value")
        found = source_text(path)
        if found is None:
            found = error.instance if isinstance(error.instance, str) else type(error.instance).__name__
        note = ""
        if expected == "date-time" and isinstance(found, str) and _BARE_TIME.match(found):
            note = " (a time of day with no date before it to take the date from)"
        problems.append((path, f"{label} must be {what}; found {found!r}{note}"))
    return problems


def remove(data: dict, path: tuple) -> None:
    """Drop the value at `path` (dict key, or list element) if it is there."""
    container = data
    for key in path[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return
    try:
        del container[path[-1]]
    except (KeyError, IndexError, TypeError):
        return
