"""Coalescing checks: one slot per document, checked off the event loop.

STYLE.md's manners (after Regal's one-slot channel): an edit is checked at once when the
server is idle; while a document's check runs, only its newest pending version is kept and
older ones are dropped; nothing waits on a fixed debounce. Checks run one at a time on a
single worker thread (the engine's configuration reloads run there too, so a check never
sees half a reload), which keeps the event loop free to answer requests.

`deliver(snapshot, outcome)` runs on the event loop after each check; it decides whether the
result is still current (the document open at that revision) before publishing it. Snapshots
are ordered by (revision, generation), both counted by the server: a client's versions may
repeat or go backwards.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from typing import Callable, Optional

log = logging.getLogger(__name__)


class Coalescer:
    def __init__(self, run: Callable, deliver: Callable, executor: Executor):
        self._run = run                  # snapshot -> outcome, blocking (worker thread)
        self._deliver = deliver          # (snapshot, outcome) on the loop
        self._executor = executor
        self._pending: dict = {}         # uri -> newest snapshot not yet checked
        self._running: dict = {}         # uri -> snapshot being checked
        self._waiters: dict = {}         # uri -> [((revision, generation), future)]

    def submit(self, snapshot) -> None:
        """Check this revision soon; replaces any older pending revision of the document."""
        self._pending[snapshot.uri] = snapshot
        if snapshot.uri not in self._running:
            self._running[snapshot.uri] = None
            asyncio.ensure_future(self._drain(snapshot.uri))

    def forget(self, uri: str) -> None:
        """The document closed: drop its pending check and answer anyone waiting with None."""
        self._pending.pop(uri, None)
        for _, future in self._waiters.pop(uri, []):
            if not future.done():
                future.set_result(None)

    async def outcome_for(self, snapshot):
        """The outcome of checking this revision (or a newer one), checking it if need be; the
        caller bounds the wait (a request's deadline, `lsp.requests`)."""
        future = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(snapshot.uri, []).append((_order(snapshot), future))
        queued = self._pending.get(snapshot.uri) or self._running.get(snapshot.uri)
        if queued is None or _order(queued) < _order(snapshot):
            self.submit(snapshot)
        return await future

    async def _drain(self, uri: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            while (snapshot := self._pending.pop(uri, None)) is not None:
                self._running[uri] = snapshot
                outcome = None
                try:
                    outcome = await loop.run_in_executor(self._executor, self._run, snapshot)
                except Exception:  # noqa: BLE001 - one document must never stop the server
                    log.exception("checking %s (version %s) failed", uri, snapshot.version)
                try:
                    self._deliver(snapshot, outcome)
                except Exception:  # noqa: BLE001
                    log.exception("publishing the check of %s failed", uri)
                self._answer(uri, snapshot, outcome)
        finally:
            self._running.pop(uri, None)

    def _answer(self, uri: str, snapshot, outcome: Optional[object]) -> None:
        waiting = self._waiters.get(uri, [])
        keep = []
        for order, future in waiting:
            if order <= _order(snapshot):
                if not future.done():
                    future.set_result(outcome)
            elif not future.done():  # a request that gave up is not kept
                keep.append((order, future))
        if keep:
            self._waiters[uri] = keep
        else:
            self._waiters.pop(uri, None)


def _order(snapshot) -> tuple:
    return (snapshot.revision, snapshot.generation)
