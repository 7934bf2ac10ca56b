"""Check workspace: the diagnostics of every document the index knows, published for the files
the client has not open, so they show in its Problems panel. Opt-in, run on request
(`hotfixPolicy/checkWorkspace`): a workspace of thousands of records is checked only when asked.

Each file is read from disk and checked as the editor checks an open one (`diagnose`), one file
per job on the check worker, so a keystroke's check never waits for more than one of them. The
results are what the files held when the check ran: running it again refreshes them, and clears
the files that no longer have a problem or are gone. An open document keeps its own, live
diagnostics: opening a file takes its workspace-check entry away (a client that pulls keeps the
pulled ones apart from the published ones, and would show both), closing it puts the file's
result from disk back while the check's results are shown. `hotfixPolicy/clearWorkspaceCheck`
takes every published result away.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcInternalError

from ..engine.files import read_regular_file
from ..engine.limits import MAX_DOCUMENT_BYTES
from .diagnose import Snapshot

_COUNTED = {types.DiagnosticSeverity.Error: "errors", types.DiagnosticSeverity.Warning: "warnings"}


class WorkspaceCheck:
    def __init__(self, state):
        self._state = state
        self._shown: dict = {}   # unquoted uri -> uri, files not open whose results the client holds
        self._running: Optional[asyncio.Task] = None
        self.summary: Optional[dict] = None  # what the last run found; None: no results shown

    async def run(self) -> dict:
        """On the loop: check every indexed document; returns (and keeps) the summary."""
        state = self._state
        if self._running is not None and not self._running.done():
            self._running.cancel()  # the newer run supersedes it
        self._running = asyncio.current_task()
        await state.indexed.wait()
        if not state.engine.ready:
            raise JsonRpcInternalError("the workspace index failed; see the server log")
        summary = {"documents": 0, "files": 0, "errors": 0, "warnings": 0, "others": 0}
        seen, checked = set(), []
        for path in sorted(document.path for document in state.engine.documents()):
            uri = uris.from_fs_path(path) or path
            key = unquote(uri)
            seen.add(key)
            if key in state.documents:  # open: its live diagnostics count, and stay the client's own
                outcome = state.outcomes.get(key)
                diagnostics = outcome.diagnostics if outcome is not None else []
            else:
                outcome = await asyncio.wrap_future(state.executor.submit(self._judge_file, path, uri))
                if outcome is None:
                    continue
                diagnostics = outcome.diagnostics
                self._show(key, uri, diagnostics)
            checked += [outcome.checked] if outcome is not None and outcome.checked is not None else []
            _count(summary, diagnostics)
        for key in set(self._shown) - seen:  # gone from the index since the last run
            self._show(key, self._shown[key], [])
        await state.stale_waivers.judged(checked)
        self.summary = summary
        state.status.changed()
        return summary

    def clear(self) -> None:
        """Take every published result away; the open documents keep theirs."""
        if self._running is not None and not self._running.done():
            self._running.cancel()
        for key, uri in list(self._shown.items()):
            self._show(key, uri, [])
        self._state.stale_waivers.cleared()
        self.summary = None
        self._state.status.changed()

    def opened(self, key: str) -> None:
        """The client opened the file: its live diagnostics replace the check's."""
        uri = self._shown.pop(key, None)
        if uri is not None and self._state.pull:
            self._state.publish(uri, [], None)

    def closed(self, key: str, uri: str) -> None:
        """The client closed the file: while results are shown, its result from disk comes back."""
        path = uris.to_fs_path(uri)
        if self.summary is None or not path or not any(d.path == path for d in self._state.engine.documents()):
            return
        future = asyncio.wrap_future(self._state.executor.submit(self._check_file, path, uri))
        future.add_done_callback(lambda done: self._closed_checked(key, uri, done))

    def _closed_checked(self, key: str, uri: str, done) -> None:
        if done.cancelled() or done.exception() is not None or self.summary is None or key in self._state.documents:
            return
        if done.result() is not None:
            self._show(key, uri, done.result())

    def _show(self, key: str, uri: str, diagnostics: list) -> None:
        """Publish a file's result (an empty one only to take an earlier one away)."""
        if diagnostics:
            self._shown[key] = uri
        elif self._shown.pop(key, None) is None:
            return
        self._state.publish(uri, diagnostics, None)

    def _check_file(self, path: str, uri: str) -> Optional[list]:
        """On the check worker: the file's diagnostics as on disk, None when it cannot be read now."""
        outcome = self._judge_file(path, uri)
        return outcome.diagnostics if outcome is not None else None

    def _judge_file(self, path: str, uri: str):
        """On the check worker: the file's `Outcome` as on disk (bytes that are not UTF-8 are
        DOC003, as in `policy check`), None when it cannot be read now."""
        try:
            saved = read_regular_file(Path(path), MAX_DOCUMENT_BYTES)
        except (OSError, ValueError):  # gone, replaced by something else, over the limit
            return None
        text = saved.decode("utf-8", "replace")  # the engine's places count these replacements
        return self._state.judge(Snapshot(uri, 0, text, "markdown", path, judged=saved))


def _count(summary: dict, diagnostics: list) -> None:
    summary["documents"] += 1
    summary["files"] += bool(diagnostics)
    for diagnostic in diagnostics:
        kind = _COUNTED.get(diagnostic.severity, "others")
        summary[kind] += 1
