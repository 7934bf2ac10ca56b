"""Value parsers: the accepted spellings of times, durations, people and incident references.

DESIGN.md ("Variations accepted everywhere") fixes what a person may write; each parser here
turns one such text into the rule language's runtime type, or returns None when the text is
not of that type (extraction then keeps the raw string and validation reports SCHEMA001).
"""

from __future__ import annotations

import math
import re
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from ..limits import MAX_DURATION_SECONDS

UTC = timezone.utc

# A placeholder: `[Brief description]`, `@[name]`, `#[incident-number]`, also before a colon
# (`INC-[incident-number]: [Brief description]`); not a link `[a](b)` or `[a][b]`, not a link
# reference definition `[a]: https://...` (a colon then a destination), not a checkbox `[ ]`/`[x]`,
# not a footnote `[^1]`.
PLACEHOLDER = re.compile(r"[@#]?\[(?![xX ]\])(?!\^)[^\[\]\n]{1,120}\]"
                         r"(?![(\[])(?!:[ \t]*(?:<|[a-zA-Z][a-zA-Z0-9+.-]*:|\.{0,2}/|#))")

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)?", re.I)
_ISO_UTC = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-9]{2}(?::[0-9]{2})?Z")
"""`2026-11-20T10:30Z`: a subset of `_ISO` that `datetime.fromisoformat` reads to the same time
(ASCII digits, hours 00-23, which Python 3.14 would read `24:00` past; no fraction), in a tenth of
the time; given `+00:00` for the `Z`, which Python 3.10 does not read."""
_DATE_CMD = re.compile(  # `date`'s default output: Thu Nov 20 10:30:00 UTC 2026
    r"(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+"
    r"(?:(UTC|GMT|Z|[+-]\d{2}:?\d{2})\s+)?(\d{4})", re.I)
_BARE_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?", re.I)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)(?![a-z])", re.I)
_DURATION_JOIN = re.compile(r"[\s,]*(?:and\s+)?", re.I)
_CLOCK_DURATION = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_HANDLE = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_INCIDENT_NUMBER = re.compile(r"(?:INC-?|#)(\d+)\b", re.I)
_SEMVER = re.compile(r"(?<!\d)v?(\d{1,18})\.(\d{1,18})\.(\d{1,18})")
INT64_MAX = 2 ** 63 - 1
_NONE_WORDS = frozenset({"none", "n/a", "na", "-", "nothing", "no"})


class UnknownTimeZone(ValueError):
    """A time zone name that is neither an IANA zone nor a UTC offset: never read as UTC."""


@lru_cache(maxsize=64)
def zone(name: str | None) -> tzinfo:
    """A time zone by IANA name or UTC offset; UTC for None; `UnknownTimeZone` for anything else
    (a time written in a zone we cannot place is not a time, and a misspelt record zone is a
    finding, never UTC in disguise)."""
    if not name or str(name).upper() in ("UTC", "Z", "GMT"):
        return UTC
    text = str(name)
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text)
    if match:
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        if delta >= timedelta(hours=24) or int(match.group(3)) > 59:
            raise UnknownTimeZone(text)  # offsets lie strictly between -24:00 and +24:00, minutes below 60
        return timezone(-delta if match.group(1) == "-" else delta)
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(text)
    except (ValueError, LookupError, OSError):
        raise UnknownTimeZone(text) from None


def parse_timestamp(text: str, *, tz: tzinfo = UTC, reference: date | None = None) -> datetime | None:
    """An aware datetime for any accepted spelling of a time, else None.

    ISO 8601 (`Z`, offsets, `UTC`, a space instead of `T`, a date alone as midnight),
    `date`'s default output, and a bare `10:45` that takes `reference` (the record's first
    date) in the record's time zone `tz`. Text without a zone is in `tz`.
    """
    text = text.strip()
    if _ISO_UTC.fullmatch(text):  # the template's own spelling, most of a record's times: read in C
        try:
            return holdable(datetime.fromisoformat(text[:-1] + "+00:00"))
        except (ValueError, OverflowError):  # no such day or hour, as `_instant` finds
            return None
    match = _ISO.fullmatch(text)
    if match:
        year, month, day, hour, minute, second, fraction, zone_text = match.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return _instant(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro,
                        zone_text, tz)
    match = _DATE_CMD.fullmatch(text)
    if match:
        month_name, day, hour, minute, second, zone_text, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        return _instant(int(year), month, int(day), int(hour), int(minute), int(second or 0), 0, zone_text, tz)
    if reference is not None:
        match = _BARE_TIME.fullmatch(text)
        if match:
            hour, minute, second, zone_text = match.groups()
            return _instant(reference.year, reference.month, reference.day, int(hour), int(minute), int(second or 0),
                            0, zone_text, tz)
    return None


def _instant(year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int,
             zone_text: str | None, tz: tzinfo) -> datetime | None:
    """The time in its written zone (else `tz`), or None when it names no day, no zone, or no
    instant Python can hold: `9999-12-31T23:00-05:00` is in the year 10000 in UTC, where every
    output and comparison of it would overflow."""
    try:
        return holdable(datetime(year, month, day, hour, minute, second, micro,
                                 tzinfo=zone(zone_text) if zone_text else tz))
    except (ValueError, OverflowError):  # UnknownTimeZone is a ValueError
        return None


def holdable(value: datetime) -> datetime:
    """`value`, or OverflowError when its instant is past what Python can hold in UTC (only a
    time in the first or last year can be)."""
    if value.year in (MINYEAR, MAXYEAR):
        value.astimezone(timezone.utc)
    return value


def parse_duration(text: str) -> timedelta | None:
    """`1h 52m`, `1h52m`, `45 minutes`, `2 hours`, `1 hour and 5 minutes`, `1:52` -> timedelta;
    None for anything else, including a duration beyond the rule language's range (10,000
    years), which could not be compared or added."""
    try:
        seconds = _duration_seconds(text.strip())
    except (ValueError, OverflowError):  # digits beyond int() or float() range
        return None
    if seconds is None or not math.isfinite(seconds) or abs(seconds) > MAX_DURATION_SECONDS:
        return None
    return timedelta(seconds=seconds)


def _duration_seconds(text: str) -> float | None:
    match = _CLOCK_DURATION.fullmatch(text)
    if match:
        return int(match.group(1)) * 3600 + int(match.group(2)) * 60 + int(match.group(3) or 0)
    position, total, found = 0, 0.0, False
    length = len(text)
    while position < length:
        part = _DURATION_PART.match(text, position)
        if part is None:
            return None
        amount, unit = float(part.group(1)), part.group(2)[0].lower()
        total += amount * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
        found = True
        position = _DURATION_JOIN.match(text, part.end()).end()
    return total if found else None


def parse_handle(text: str) -> dict:
    """A person: `{"text": as written, "name": without @, "login": lower-case name}`.

    `@dana-k`, `Dana (@dana-k)` and `**@dana-k**` name `dana-k`; a plain name (`Dana K`) is
    kept whole, for `data.people` to map to a login.
    """
    match = _HANDLE.search(text)
    name = match.group(1) if match else text.strip()
    return {"text": text, "name": name, "login": name.lower()}


def parse_incident_ref(text: str) -> dict:
    """`#2041`, `INC-2041`, `[INC-2041](url)` or a link ending in 2041 -> {"number", "text"}."""
    reference: dict = {"text": text}
    match = _INCIDENT_NUMBER.search(text)
    digits = match.group(1) if match else _trailing_number(text)
    number = to_int64(digits) if digits else None
    if number is not None:
        reference["number"] = number
    return reference


def _trailing_number(text: str) -> str | None:
    """The digits a text ends with, before an optional `)`, `/` and spaces (`.../incidents/2041/`)."""
    end = text.rstrip()
    end = end[:-1] if end.endswith("/") else end
    end = end[:-1] if end.endswith(")") else end
    start = len(end)
    while start > 0 and end[start - 1].isdecimal():
        start -= 1
    return end[start:] or None


def to_int64(digits: str) -> int | None:
    """The int the digits spell when the rule language can hold it (64 bits), else None: a
    number too large is a value that does not convert, never a crash."""
    if not digits.isdecimal() or len(digits) > 19:
        return None
    value = int(digits)
    return value if value <= INT64_MAX else None


def parse_semver(text: str) -> dict | None:
    """`v1.2.3` -> {"text", "major", "minor", "patch"}; None when the text has no version."""
    match = _SEMVER.search(text)
    if match is None:
        return None
    return {"text": match.group(0), "major": int(match.group(1)), "minor": int(match.group(2)),
            "patch": int(match.group(3))}


def parse_int(text: str) -> int | None:
    return to_int64(text.strip().lstrip("#"))


def parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in ("yes", "y", "true", "x", "[x]", "done"):
        return True
    if lowered in ("no", "n", "false", "", "[ ]"):
        return False
    return None


def is_none_word(text: str) -> bool:
    """`none`, `n/a`, `-`: an explicit empty answer (e.g. `Skipped Checks: none`)."""
    return text.strip().strip(".").lower() in _NONE_WORDS


def format_duration(value: timedelta) -> str:
    """A duration as `1h52m0s`-style text (JSON output); negative durations keep their sign."""
    seconds = value.total_seconds()
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(int(seconds), 3600)
    minutes, whole = divmod(rest, 60)
    fraction = seconds - int(seconds)
    tail = f"{whole + fraction:g}s" if fraction else f"{whole}s"
    return f"{sign}{hours}h{minutes}m{tail}" if hours else f"{sign}{minutes}m{tail}" if minutes else sign + tail
