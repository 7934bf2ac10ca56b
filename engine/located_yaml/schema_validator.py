"""The JSON Schema validator this layer runs over loaded data, and the checks it adds.

Draft 2020-12, as editors read the same schema files, plus what the bare validator leaves out:
the `date` and `date-time` formats are checked (a date that is no real day, a time without a
time zone), and an open mapping may carry `x-typo-check: true` (a mapping where users add keys
of their own): a key there one edit away from a declared key is reported as a likely typo.
`schema_errors` turns what this validator finds into located, readable errors.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any, Iterator

TYPO_CHECK = "x-typo-check"
"""The schema keyword that turns on the typo check of an open mapping's keys."""

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                        r"(?:[Zz]|[+-](\d{2}):(\d{2}))")


def is_date(value: str) -> bool:
    """`YYYY-MM-DD`, a real day."""
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    try:
        date(*map(int, match.groups()))
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    """RFC 3339 with a time zone (`Z` or an offset); seconds may be left out (`2026-11-20T09:10Z`)."""
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second, off_hour, off_minute = match.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return (int(hour) < 24 and int(minute) < 60 and int(second or 0) <= 60
            and int(off_hour or 0) < 24 and int(off_minute or 0) < 60)


def _normalized(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _one_edit_apart(a: str, b: str) -> bool:
    """Equal, or one insertion, deletion, substitution or swap of neighbours apart."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def likely_typo_of(key: Any, known) -> str | None:
    """The declared key `key` is probably a misspelling of (same letters ignoring case, `_`, `-`,
    or one edit apart on keys of 4+ characters), or None."""
    if not isinstance(key, str):
        return None
    norm = _normalized(key)
    for candidate in known:
        other = _normalized(candidate)
        if norm == other or (min(len(norm), len(other)) >= 4 and _one_edit_apart(norm, other)):
            return candidate
    return None


def _typo_check(validator, enabled, instance, schema) -> Iterator:
    from jsonschema.exceptions import ValidationError

    if not enabled or not validator.is_type(instance, "object"):
        return
    known = list(schema.get("properties", {}))
    for key in instance:
        if key in known:
            continue
        close = likely_typo_of(key, known)
        if close is not None:
            yield ValidationError(f"unknown key {key!r}", path=[key], validator_value=close)


@cache
def _validator_class():
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend

    checker = FormatChecker(formats=())
    checker.checks("date")(lambda value: not isinstance(value, str) or is_date(value))
    checker.checks("date-time")(lambda value: not isinstance(value, str) or is_date_time(value))
    cls = extend(Draft202012Validator, {TYPO_CHECK: _typo_check})
    return cls, checker


def schema_validator(schema: dict):
    """A jsonschema validator of `schema` (draft 2020-12) with this layer's formats and typo check.

    Build it once per schema and keep it: `iter_errors` is the part to repeat.
    """
    cls, checker = _validator_class()
    return cls(schema, format_checker=checker)
