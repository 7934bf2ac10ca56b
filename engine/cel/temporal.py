"""Timestamps and durations: parsing, printing, range checks, the accessor functions and
`formatTime`, which spells a timestamp the way a message shows it.

Timestamps are aware `datetime`s in UTC and durations are `timedelta`s, so document values are
used directly. Python keeps microseconds: nanoseconds beyond them are truncated (a documented
limit of this dialect).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from ..limits import MAX_DURATION_SECONDS
from .cost import charge, text_units
from .errors import CelEvaluationError

MIN_TIMESTAMP = datetime(1, 1, 1, tzinfo=timezone.utc)
MAX_TIMESTAMP = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
MAX_DURATION = timedelta(seconds=MAX_DURATION_SECONDS)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))\Z"
)
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_NANOSECONDS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
                     "m": 60_000_000_000, "h": 3_600_000_000_000}


def checked_timestamp(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise CelEvaluationError("timestamp without a time zone")
    if not MIN_TIMESTAMP <= value <= MAX_TIMESTAMP:
        raise CelEvaluationError("timestamp out of range")
    return value


def checked_duration(value: timedelta) -> timedelta:
    if -MAX_DURATION <= value <= MAX_DURATION:
        return value
    raise CelEvaluationError("duration out of range")


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 timestamp such as `2026-11-20T09:10:00Z` or with an offset."""
    if len(text) == 20 and text[19] == "Z" and text[10] == "T" and text[4] == text[7] == "-" \
            and text[13] == text[16] == ":":  # the common whole-second UTC form, 20x faster
        try:
            return datetime.fromisoformat(text[:19] + "+00:00")
        except ValueError:
            pass
    match = _RFC3339.match(text)
    if not match:
        raise CelEvaluationError(f"invalid timestamp '{text}': expected RFC 3339 such as 2026-11-20T09:10:00Z")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        offset = timedelta(0) if zulu else fixed_offset(sign, off_h, off_m, text)
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro,
                         tzinfo=timezone(offset))
        return checked_timestamp(local.astimezone(timezone.utc))
    except (ValueError, OverflowError):
        raise CelEvaluationError(f"timestamp out of range: '{text}'") from None


def timestamp_from_seconds(seconds: int) -> datetime:
    try:
        return checked_timestamp(EPOCH + timedelta(seconds=seconds))
    except OverflowError:
        raise CelEvaluationError("timestamp out of range") from None


def format_timestamp(value: datetime) -> str:
    utc = value.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += "." + f"{utc.microsecond:06d}".rstrip("0")
    return text.rjust(19, "0") + "Z"


@lru_cache(maxsize=256)
def parse_duration(text: str) -> timedelta:
    """Go-style durations: `1h30m`, `45m`, `1.5s`, `-10ms`; `0` alone is zero. Remembered: a
    rule's `duration(string(data.limit) + 'm')` asks for the same few texts for every document."""
    body = text
    sign = 1
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return timedelta(0)
    nanos, position = 0, 0
    for match in _DURATION_PART.finditer(body):
        if match.start() != position:
            break
        number, unit = match.groups()
        whole, _, fraction = number.partition(".")
        scale = _UNIT_NANOSECONDS[unit]
        nanos += int(whole or "0") * scale + (int(fraction) * scale // 10 ** len(fraction) if fraction else 0)
        position = match.end()
    if not body or position != len(body):
        raise CelEvaluationError(f"invalid duration '{text}': expected a form such as 30m, 1h30m or 1.5s")
    try:
        return checked_duration(sign * timedelta(microseconds=nanos // 1000))
    except OverflowError:
        raise CelEvaluationError(f"duration out of range: '{text}'") from None


def format_duration(value: timedelta) -> str:
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign = "-" if micros < 0 else ""
    seconds, fraction = divmod(abs(micros), 1_000_000)
    return f"{sign}{seconds}" + (f".{fraction:06d}".rstrip("0") if fraction else "") + "s"


def duration_seconds(value: timedelta) -> int:
    """Whole seconds, truncated toward zero."""
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(micros / 1_000_000) if micros >= 0 else -int(-micros // 1_000_000)


def fixed_offset(sign: str, hours: str, minutes: str, text: str) -> timedelta:
    """`+05:30` as a timedelta. RFC 3339 offsets stop at 23:59 and minutes at 59; Python's
    `timezone` refuses a day or more with a ValueError, which is no rule-language error."""
    if int(hours) > 23 or int(minutes) > 59:
        raise CelEvaluationError(f"invalid time-zone offset in '{text}': hours must be 00-23 and minutes 00-59")
    return (-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes))


@lru_cache(maxsize=256)
def time_zone(name: str) -> tzinfo:
    """An IANA zone (`Europe/Paris`) or a fixed offset (`+05:30`, `-08:00`, `02:00`)."""
    match = re.fullmatch(r"([+-]?)(\d{2}):(\d{2})", name)
    if match:
        return timezone(fixed_offset(*match.groups(), name))
    if name.upper() == "UTC":
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, LookupError, OSError):
        raise CelEvaluationError(f"unknown time zone '{name}'") from None


def _local(value: datetime, zone: str | None) -> datetime:
    return value.astimezone(time_zone(zone) if zone is not None else timezone.utc)


TIMESTAMP_ACCESSORS = {
    "getFullYear": lambda t: t.year,
    "getMonth": lambda t: t.month - 1,
    "getDayOfYear": lambda t: t.timetuple().tm_yday - 1,
    "getDayOfMonth": lambda t: t.day - 1,
    "getDate": lambda t: t.day,
    "getDayOfWeek": lambda t: (t.weekday() + 1) % 7,
    "getHours": lambda t: t.hour,
    "getMinutes": lambda t: t.minute,
    "getSeconds": lambda t: t.second,
    "getMilliseconds": lambda t: t.microsecond // 1000,
}
DURATION_ACCESSORS = {
    "getHours": lambda d: duration_seconds(d) // 3600 if d >= timedelta(0) else -(-duration_seconds(d) // 3600),
    "getMinutes": lambda d: duration_seconds(d) // 60 if d >= timedelta(0) else -(-duration_seconds(d) // 60),
    "getSeconds": duration_seconds,
    "getMilliseconds": lambda d: int(d / timedelta(milliseconds=1)),
}


def timestamp_accessor(name: str):
    accessor = TIMESTAMP_ACCESSORS[name]

    def call(value: datetime, zone: str | None = None) -> int:
        return accessor(_local(value, zone))

    return call


# `formatTime`'s directives: strftime's, the few a message needs, each with a fixed width.
_TIME_DIRECTIVES = {"Y": lambda t: f"{t.year:04d}", "m": lambda t: f"{t.month:02d}", "d": lambda t: f"{t.day:02d}",
                    "H": lambda t: f"{t.hour:02d}", "M": lambda t: f"{t.minute:02d}", "S": lambda t: f"{t.second:02d}",
                    "%": lambda t: "%"}
_TIME_DIRECTIVE = re.compile(r"%(.?)", re.S)
_WIDEST_DIRECTIVE = 4  # %Y; every other directive is two characters or one


def time_layout(layout: str) -> list:
    """The layout's directives in order, or CelEvaluationError for one it does not know."""
    found = []
    for match in _TIME_DIRECTIVE.finditer(layout):
        if match.group(1) not in _TIME_DIRECTIVES:
            what = f"unknown directive '%{match.group(1)}'" if match.group(1) else "a lone '%'"
            raise CelEvaluationError(f"formatTime: {what} at character {match.start() + 1} of the layout; "
                                     "use %Y, %m, %d, %H, %M, %S, or %% for a percent sign")
        found.append(match.group(1))
    return found


def format_time(budget, value: datetime, layout: str, zone: str | None = None) -> str:
    """`t.formatTime('%Y-%m-%d %H:%M')`: the timestamp in UTC (or the zone) as the layout spells
    it (the metered implementation: the result is at most twice the layout's length)."""
    parts = _layout_parts(layout)
    charge(budget, text_units(len(layout) * _WIDEST_DIRECTIVE // 2))
    local = _local(value, zone)
    return "".join(part if type(part) is str else part(local) for part in parts)


@lru_cache(maxsize=256)  # layouts can be built at run time: bounded
def _layout_parts(layout: str) -> tuple:
    """The layout as text and directives (functions of the time), in order; `%%` is text: a
    message's layout is read once, not once per finding."""
    time_layout(layout)
    found, start = [], 0
    for match in _TIME_DIRECTIVE.finditer(layout):
        found.append(layout[start:match.start()])
        found.append("%" if match.group(1) == "%" else _TIME_DIRECTIVES[match.group(1)])
        start = match.end()
    found.append(layout[start:])
    return tuple(part for part in found if part != "")
