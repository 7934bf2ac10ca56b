"""The clock as rules see it: `ctx.now` and what is computed from it, noting until when an answer
drawn from the time stays the same.

A run's findings depend on the time only through `ctx.now`, and time only moves forward. A
comparison of a time computed from `ctx.now` with a fixed time keeps its answer until the moment
the two cross, and keeps it for ever once they have crossed: a review deadline passed stays
passed. `Clock` (a time that moves with the clock) and `ClockSpan` (a duration that grows or
shrinks as it moves) compare and add as their plain values do, and note in the thread's `Watch`
how long until any answer could change. Any other use of their value (spelling it in a message,
its hour, a hash) notes that the answer may change at once. `Evaluator.valid_until` is the
result: until when a run's findings hold (the run cache replays them until then).

Values are the plain ones (`plain`), so every answer is exactly what the plain time gives; the
runtime's exact-type checks treat a `Clock` as a timestamp and a `ClockSpan` as a duration
(`standing_for`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Callable, Iterator, Optional

_ZERO = timedelta(0)
_local = threading.local()


class Watch:
    """What one evaluation learned of the clock: `lead`, the shortest time after `now` at which an
    answer may change (None: no answer ever will)."""

    __slots__ = ("now", "clock", "lead")

    def __init__(self, now: datetime):
        self.now = now
        self.clock = Clock(now)
        self.lead: Optional[timedelta] = None

    def note(self, lead: timedelta) -> None:
        if self.lead is None or lead < self.lead:
            self.lead = lead

    @property
    def until(self) -> Optional[datetime]:
        """The first moment the answers may differ from those at `now`; None: never (or after the
        last time there is, where a range check's bound lies)."""
        if self.lead is None:
            return None
        try:
            return self.now + self.lead
        except OverflowError:
            return None


@contextmanager
def watching(now: datetime) -> Iterator[Watch]:
    """Note in a new Watch, for this thread, what the evaluations inside read of the clock."""
    outer = getattr(_local, "watch", None)
    watch = _local.watch = Watch(now)
    try:
        yield watch
    finally:
        _local.watch = outer


def note_lead(lead: timedelta) -> None:
    """Note in this thread's Watch that an answer may change `lead` after its `now` (what a
    forked worker's Watch learned)."""
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.note(lead)


def remembering(compute: Callable) -> tuple:
    """(compute(), what it read of the clock as a lead, None for nothing), noted in this thread's
    Watch too: a value remembered for later evaluations (a run's `groupBy`) must note that lead
    again at each use, or the verdict of a document that only reused it would hold for ever."""
    outer = getattr(_local, "watch", None)
    if outer is None:
        return compute(), None
    with watching(outer.now) as inner:
        value = compute()
    if inner.lead is not None:
        outer.note(inner.lead)
    return value, inner.lead


def _at_once() -> None:
    """The value itself was read: the answer may change with the next tick."""
    note_lead(_ZERO)


def _crossing(gap: timedelta) -> None:
    """A moving value is `gap` of clock time away from a fixed one (negative: crossed already)."""
    if gap >= _ZERO:
        note_lead(gap)


def _plain(value):
    return value.plain if type(value) is Clock or type(value) is ClockSpan else value


class _Moving:
    """Comparisons of a moving value: the plain values' answer, the crossing noted (`_against`,
    which gives None for a value of another type)."""

    __slots__ = ()

    def __eq__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain == against

    def __ne__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain != against

    def __lt__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain < against

    def __le__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain <= against

    def __gt__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain > against

    def __ge__(self, other):
        against = self._against(other)
        return NotImplemented if against is None else self.plain >= against

    def __hash__(self):
        _at_once()
        return hash(self.plain)


class Clock(_Moving, datetime):
    """A time that moves with the clock: `ctx.now`, or a fixed duration from it."""

    __slots__ = ("plain",)

    def __new__(cls, plain: datetime):
        made = datetime.__new__(cls, plain.year, plain.month, plain.day, plain.hour, plain.minute, plain.second,
                                plain.microsecond, plain.tzinfo, fold=plain.fold)
        made.plain = plain
        return made

    def __reduce_ex__(self, protocol):
        return Clock, (self.plain,)

    def _against(self, other):
        """`other` as a plain time, the crossing noted; None for what is not a time."""
        if type(other) is Clock:
            return other.plain  # both move together: their order never changes
        if isinstance(other, datetime):
            _crossing(other - self.plain)
            return other
        return None

    def __add__(self, other):
        if type(other) is ClockSpan:
            _at_once()
            return self.plain + other.plain
        if isinstance(other, timedelta):
            return Clock(self.plain + other)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if type(other) is Clock:
            return self.plain - other.plain
        if type(other) is ClockSpan:
            _at_once()
            return self.plain - other.plain
        if isinstance(other, datetime):
            return ClockSpan(self.plain - other, 1)
        if isinstance(other, timedelta):
            return Clock(self.plain - other)
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, datetime):
            return ClockSpan(other - self.plain, -1)
        return NotImplemented


class ClockSpan(_Moving, timedelta):
    """A duration that moves with the clock: `plain` now, growing (`sign` 1) or shrinking (-1)."""

    __slots__ = ("plain", "sign")

    def __new__(cls, plain: timedelta, sign: int):
        made = timedelta.__new__(cls, plain.days, plain.seconds, plain.microseconds)
        made.plain, made.sign = plain, sign
        return made

    def __reduce_ex__(self, protocol):
        return ClockSpan, (self.plain, self.sign)

    def _reaching(self, target: timedelta) -> None:
        _crossing(target - self.plain if self.sign > 0 else self.plain - target)

    def _against(self, other):
        if type(other) is ClockSpan:
            if other.sign != self.sign:
                _at_once()
            return other.plain
        if isinstance(other, timedelta):
            self._reaching(other)
            return other
        return None

    def __neg__(self):
        return ClockSpan(-self.plain, -self.sign)

    def __pos__(self):
        return self

    def __abs__(self):
        self._reaching(_ZERO)
        return self if self.plain >= _ZERO else -self

    def __add__(self, other):
        if type(other) is ClockSpan:
            if other.sign == self.sign:
                _at_once()
            return self.plain + other.plain
        if type(other) is Clock:
            return other + self
        if isinstance(other, datetime):
            return moved(other, self)
        if isinstance(other, timedelta):
            return ClockSpan(self.plain + other, self.sign)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if type(other) is ClockSpan:
            if other.sign != self.sign:
                _at_once()
            return self.plain - other.plain
        if isinstance(other, timedelta):
            return ClockSpan(self.plain - other, self.sign)
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, datetime) and type(other) is not Clock:
            return moved(other, -self)
        if isinstance(other, timedelta):
            return ClockSpan(other - self.plain, -self.sign)
        return NotImplemented


def moved(time: datetime, span: timedelta):
    """`time + span` for a span that may move with the clock (Python's own `datetime + timedelta`
    would read a ClockSpan's value without noting it)."""
    if type(span) is not ClockSpan:
        return time + span
    if span.sign > 0 and type(time) is not Clock:
        return Clock(time + span.plain)
    _at_once()
    return _plain(time) + span.plain


def _reading(name: str, note: bool = True):
    """An attribute of the plain value, read as it is: noted at once unless it never changes."""
    def read(self):
        if note:
            _at_once()
        return getattr(self.plain, name)
    return property(read)


def _calling(name: str):
    def call(self, *args, **kwargs):
        _at_once()
        return getattr(self.plain, name)(*(_plain(a) for a in args), **kwargs)
    call.__name__ = name
    return call


_STEADY = ("tzinfo", "fold")  # the same at every moment
for _name in ("year", "month", "day", "hour", "minute", "second", "microsecond", *_STEADY):
    setattr(Clock, _name, _reading(_name, note=_name not in _STEADY))
for _name in ("astimezone", "ctime", "date", "dst", "isocalendar", "isoformat", "isoweekday", "replace", "strftime",
              "time", "timestamp", "timetuple", "timetz", "toordinal", "tzname", "utcoffset", "utctimetuple",
              "weekday", "__str__", "__repr__", "__format__"):
    setattr(Clock, _name, _calling(_name))
for _name in ("days", "seconds", "microseconds"):
    setattr(ClockSpan, _name, _reading(_name))
for _name in ("total_seconds", "__str__", "__repr__", "__format__", "__bool__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__divmod__",
              "__rdivmod__"):
    setattr(ClockSpan, _name, _calling(_name))

CLOCKED = {Clock: datetime, ClockSpan: timedelta}
"""Each moving type and the plain type it stands for."""


def standing_for(value) -> type:
    """The runtime type the exact-type checks see: a Clock is a timestamp, a ClockSpan a duration."""
    kind = type(value)
    return CLOCKED.get(kind, kind)


def moving_alike(a, b) -> bool:
    """Whether a time that moves with the clock meets another value of its kind (a `Clock` and a
    timestamp, a `ClockSpan` and a duration): the exact-type paths then compare them as plain."""
    return (type(a) in CLOCKED or type(b) in CLOCKED) and standing_for(a) is standing_for(b)


def fits(types: tuple, values) -> bool:
    """Whether the values are of these exact types (None: any), a moving time standing for its type."""
    return all(t is None or standing_for(v) is t for t, v in zip(types, values))
