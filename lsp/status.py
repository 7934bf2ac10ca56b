"""The status a client shows (VS Code's language status item): `hotfixPolicy/status` answers it,
and `hotfixPolicy/statusChanged` sends it again whenever it changed: the configuration reloaded,
the index became ready or took in a changed file, a workspace check ran or was cleared.

The status is `engine.editor.workspace_status` plus what only the server knows (whether its clock
is a test clock, what the last workspace check found). It is compared with the last one sent, so
the clock's minute ticks (which re-check the open records) send nothing.
"""

from __future__ import annotations

from typing import Optional

from ..engine.editor.workspace_status import workspace_status

STATUS_CHANGED = "hotfixPolicy/statusChanged"


class StatusReporter:
    def __init__(self, state):
        self._state = state
        self._sent: Optional[dict] = None

    def payload(self) -> dict:
        """The status as the client receives it (JSON, camelCase keys)."""
        state = self._state
        status = workspace_status(state.engine)
        return {
            "root": str(state.engine.root) if state.engine.root else None,
            "config": status.config,
            "configErrors": status.config_errors,
            "packs": list(status.packs),
            "policies": list(status.policies),
            "rules": status.rules,
            "documents": status.documents,
            "clockPinned": status.clock_pinned,
            "testClock": state.clock.is_test_clock,
            "workspaceCheck": state.workspace_check.summary,
        }

    def changed(self) -> None:
        """On the loop: send the status if it differs from the last one sent."""
        payload = self.payload()
        if payload != self._sent:
            self._sent = payload
            self._state.server.protocol.notify(STATUS_CHANGED, payload)
