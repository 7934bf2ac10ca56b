"""WVR002 on the configuration after Check workspace: the waivers that match no finding of any
indexed document (`engine.editor.stale_waivers` says why only then).

They are the check's results, like its results for the files: the next run replaces them,
`hotfixPolicy/clearWorkspaceCheck` takes them away, and so does a configuration reload (the
waivers they are about may have moved or gone). While `.policy.yaml` is open with the text the
check judged, they join its live diagnostics (`diagnostics`, called when its snapshot is
checked); while it is not open, they are published for it.
"""

from __future__ import annotations

import asyncio
import os
from typing import Optional
from urllib.parse import unquote

from pygls import uris

from ..engine.editor.stale_waivers import stale_waivers
from .convert import TextLines, finding_diagnostic


class StaleWaivers:
    def __init__(self, state):
        self._state = state
        self._findings: list = []
        self._config = None                 # the configuration they were judged by
        self._uri: Optional[str] = None     # its file's uri
        self._published = False             # whether they are published for it (it is not open)

    async def judged(self, checked: list) -> None:
        """After a completed workspace check: `checked` holds every indexed document's
        `CheckedDocument`."""
        state = self._state
        engine = state.engine
        config, now = engine.config, state.clock.now(engine.config.clock)
        self._findings = await asyncio.wrap_future(state.executor.submit(
            stale_waivers, checked, config, engine.policies, now))
        self._config = config
        self._uri = uris.from_fs_path(config.path) if config.path else None
        self._show()

    def cleared(self) -> None:
        """The check's results were taken away, or the configuration reloaded."""
        if self._findings:
            self._findings = []
            self._show()

    def diagnostics(self, snapshot, lines: TextLines) -> list:
        """The WVR002 diagnostics of an open file: none unless it is the configuration judged,
        with the text it was judged with (other text: their places may be wrong)."""
        config = self._current()
        if config is None or os.path.abspath(snapshot.path) != os.path.abspath(config.path) \
                or snapshot.text != config.loaded.text:
            return []
        return [finding_diagnostic(finding, lines, self._state.rule_links()) for finding in self._findings]

    def opened(self, key: str) -> None:
        """A client that pulls keeps published results apart from pulled ones: take ours away."""
        if self._published and unquote(self._uri) == key and self._state.pull:
            self._state.publish(self._uri, [], None)
            self._published = False

    def closed(self, key: str) -> None:
        if self._current() is not None and unquote(self._uri) == key:
            self._show()

    def _current(self):
        config = self._config
        if not self._findings or config is None or config is not self._state.engine.config or not config.path:
            return None
        return config

    def _show(self) -> None:
        """Their diagnostics where the client sees them: the open configuration checked again
        (its check asks `diagnostics`), else published for it (an empty list only to take
        earlier ones away)."""
        state = self._state
        if self._uri is None:
            return
        if unquote(self._uri) in state.documents:
            state.changed()
            return
        config = self._current()
        if config is None and not self._published:
            return
        lines = TextLines(config.loaded.text, state.encoding) if config is not None else None
        state.publish(self._uri, [finding_diagnostic(f, lines, state.rule_links()) for f in self._findings]
                      if config is not None else [], None)
        self._published = config is not None
