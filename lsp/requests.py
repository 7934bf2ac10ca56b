"""Document requests run off the event loop, and none waits longer than a bound.

pygls runs a plain handler on its event loop: a hover that read a 5 MB record again held up
every other message for its 10 s (other documents' requests, edits, even `exit`), and the
outline of such a record, quadratic then, for minutes. Here each request's handler runs on a
small pool of request threads of its own (pygls' pool reads stdin: it must never be
exhausted by work), and the loop waits for it at most `MAX_REQUEST_WAIT_SECONDS`; after that
the client gets the feature's empty answer. The work, if it started, runs to its end and what
it read is kept for the next request (`engine.editor.recent`); a request cancelled or timed out
before a thread took it never runs. Code on a request thread learns the time it has left from
`remaining()`, so what it waits for (a document's check) is bounded by the same deadline.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from ..engine.limits import LSP_REQUEST_THREADS, MAX_REQUEST_WAIT_SECONDS


class RequestTimedOut(Exception):
    """A request's work did not finish within its bound."""


_deadline = threading.local()


def remaining() -> float:
    """Seconds left to the current request thread's deadline (the whole bound elsewhere)."""
    deadline = getattr(_deadline, "at", None)
    if deadline is None:
        return MAX_REQUEST_WAIT_SECONDS
    return max(deadline - time.monotonic(), 0.0)


class RequestRunner:
    def __init__(self, threads: int = LSP_REQUEST_THREADS, wait: float = MAX_REQUEST_WAIT_SECONDS):
        self.wait = wait
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hotfix-request")

    async def run(self, function: Callable, *args):
        """function(*args) on a request thread; `RequestTimedOut` when it is not done in time."""
        deadline = time.monotonic() + self.wait

        def bounded():
            _deadline.at = deadline
            try:
                return function(*args)
            finally:
                _deadline.at = None

        try:
            return await asyncio.wait_for(asyncio.wrap_future(self._executor.submit(bounded)), self.wait)
        except asyncio.TimeoutError:
            raise RequestTimedOut(f"not answered within {self.wait:g} s") from None

    async def bound(self, awaitable):
        """An awaitable (a handler that waits on the loop) under the same bound."""
        try:
            return await asyncio.wait_for(awaitable, self.wait)
        except asyncio.TimeoutError:
            raise RequestTimedOut(f"not answered within {self.wait:g} s") from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
