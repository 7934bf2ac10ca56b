"""The server's clock: what `now` is for checks and lenses, and the timer that re-checks the open
records as it passes, so a "status update due" appears the minute it is due without an edit.

Real time by default. The configuration's `clock:` pins it: frozen, and no timer runs. For tests,
the initialization option `hotfixPolicy.testClock: {start: <ISO time>, rate: <N>}` holds it at
`start` until the workspace index is ready (the first moment every rule can run: loading the
pack takes a second or so), then runs it N times as fast as real time.

The timer is one `call_later` on the event loop at the clock's next look (`engine.editor.clock.
next_look`: one second past the next whole minute), armed only while an open document is of a
kind whose rules read `ctx.now` and the clock is not pinned: at most one re-check a clock minute,
none at all otherwise. Why a minute rather than each rule's own deadline: every time-aware rule
(update cadence, testing time, closing within a day, review within a week, waiver expiry, the
workspace's resolution times) compares whole-minute document times with `ctx.now`, so a minute
is exactly when any of them can change, and the lens's "in 12 min" changes with it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from ..engine.editor.clock import next_look
from ..engine.limits import MAX_TEST_CLOCK_RATE
from ..engine.policy.config import parse_time

OPTION = "hotfixPolicy"


class ServerClock:
    def __init__(self):
        self._start: Optional[datetime] = None   # the test clock's start, None: real time
        self._rate = 1.0
        self._origin: Optional[float] = None   # when the test clock began running

    def configure(self, options) -> Optional[str]:
        """Read `hotfixPolicy.testClock` from the initialization options; a mistake in it is
        returned as one line (the clock stays real)."""
        section = options.get(OPTION) if isinstance(options, dict) else None
        test = section.get("testClock") if isinstance(section, dict) else None
        if test is None:
            return None
        given = test if isinstance(test, dict) else {}
        start = parse_time(given["start"]) if isinstance(given.get("start"), str) else None
        rate = given.get("rate", 1)
        if start is None or isinstance(rate, bool) or not isinstance(rate, (int, float)) \
                or not 0 < rate <= MAX_TEST_CLOCK_RATE:
            return (f"{OPTION}.testClock must be {{start: <time such as 2026-11-20T14:37:00Z>, "
                    f"rate: <number above 0, at most {MAX_TEST_CLOCK_RATE}>}}; found {test!r}: using real time")
        self._start, self._rate, self._origin = start, float(rate), None
        return None

    @property
    def is_test_clock(self) -> bool:
        """Whether `hotfixPolicy.testClock` drives the clock (a test's server, not a user's)."""
        return self._start is not None

    def begin(self) -> None:
        """The test clock starts running (once; the real clock always runs)."""
        if self._start is not None and self._origin is None:
            self._origin = time.monotonic()

    def now(self, pinned: Optional[datetime] = None) -> datetime:
        """The configuration's pinned clock, else the test clock, else real time (UTC)."""
        if pinned is not None:
            return pinned
        if self._start is None:
            return datetime.now(timezone.utc)
        if self._origin is None:
            return self._start
        return self._start + timedelta(seconds=(time.monotonic() - self._origin) * self._rate)

    def real_seconds_until(self, moment: datetime, now: datetime) -> float:
        return max(0.0, (moment - now).total_seconds() / self._rate)


class Ticker:
    """Calls `tick` at each next look of the clock while `wanted()` (one timer at most)."""

    def __init__(self, clock: ServerClock, pinned: Callable[[], Optional[datetime]], wanted: Callable[[], bool],
                 tick: Callable[[], None]):
        self._clock, self._pinned, self._wanted, self._tick = clock, pinned, wanted, tick
        self._timer: Optional[asyncio.TimerHandle] = None

    def update(self, loop: Optional[asyncio.AbstractEventLoop]) -> None:
        """On the loop, after anything that changes what is open or checked: arm or disarm."""
        if loop is None or self._pinned() is not None or not self._wanted():
            self.stop()
            return
        if self._timer is None:
            now = self._clock.now()
            self._timer = loop.call_later(self._clock.real_seconds_until(next_look(now), now), self._fire, loop)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self, loop) -> None:
        self._timer = None
        self._tick()
        self.update(loop)
