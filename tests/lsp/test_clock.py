"""A clock that ticks: the server re-checks an open incident as its test clock passes, without an
edit; the lens on its last status message says when the next update is due, then that it is
overdue, with the built-in pack's INC006 warning; a clock pinned in `.policy.yaml` stays frozen.

Time is driven by the server's test clock (`hotfixPolicy.testClock`), never by waiting minutes:
the record's last update is 25 minutes before the clock's start, so at 40 clock seconds a real
second the update falls due about eight seconds after the workspace index is ready (when the test
clock starts running).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from tests.editor.test_clock import RECORD  # last update 14:12, open
from tests.lsp.helpers import WAIT, diagnostics_until, log_message, open_document

START = "2026-11-20T14:37:00Z"  # 25 minutes after the last update: due at 14:42, in 5 min


async def _start(client, root: Path, rate: float) -> None:
    params = types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options={"hotfixPolicy": {"testClock": {"start": START, "rate": rate}}})
    await asyncio.wait_for(client.initialize_session(params), WAIT)
    await log_message(client, "workspace index ready")


def _workspace(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "ws"
    (root / "incidents").mkdir(parents=True)
    (root / ".policy.yaml").write_text(config, encoding="utf-8")
    return root


async def _lenses(client, uri: str) -> list:
    lenses = await asyncio.wait_for(client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
    return [(lens.range.start.line, lens.command.title) for lens in lenses]


def _inc006(diagnostics) -> list:
    return [d for d in diagnostics if str(d.code) == "INC006"]


async def test_the_update_falls_due_without_an_edit(client, tmp_path: Path):
    refreshes = []
    client.feature(types.WORKSPACE_CODE_LENS_REFRESH)(lambda ls, params: refreshes.append(params))
    root = _workspace(tmp_path, "data:\n  update_interval_minutes: 30\n")
    await _start(client, root, rate=40)
    uri = open_document(client, root / "incidents" / "INC-7.md", RECORD)
    first = await diagnostics_until(client, uri, lambda found: True)
    assert _inc006(first) == []
    assert await _lenses(client, uri) == [(11, "next update due 14:42 UTC, in 5 min")]

    warned = await diagnostics_until(client, uri, _inc006)
    (warning,) = _inc006(warned)
    assert warning.severity == types.DiagnosticSeverity.Warning and warning.range.start.line == 11
    assert "No status message for 30 minutes (last at 2026-11-20 14:12, now 2026-11-20 14:42 UTC)" in warning.message
    (lens,) = await _lenses(client, uri)
    assert lens[0] == 11 and lens[1].startswith("status update overdue since 14:42 UTC") and lens[1].endswith("(INC006)")
    assert refreshes, "the client is asked to fetch the lenses again as the clock passes"


async def test_a_pinned_clock_stays_frozen(client, tmp_path: Path):
    root = _workspace(tmp_path, f"clock: {START}\n")
    await _start(client, root, rate=600)  # ten minutes a second, were the clock not pinned
    uri = open_document(client, root / "incidents" / "INC-7.md", RECORD)
    await diagnostics_until(client, uri, lambda found: True)
    pinned = [(11, "clock pinned at 2026-11-20 14:37 UTC · next update due 14:42 UTC, in 5 min")]
    assert await _lenses(client, uri) == pinned
    await asyncio.sleep(1.0)  # ten minutes of the test clock: the pinned one has not moved
    assert await _lenses(client, uri) == pinned and _inc006(client.diagnostics[uri]) == []


def test_a_mistaken_test_clock_option_is_one_line_and_real_time():
    from datetime import datetime, timezone

    from hotfix_policy.lsp.clock import ServerClock

    clock = ServerClock()
    problem = clock.configure({"hotfixPolicy": {"testClock": {"start": "soon", "rate": 10_000}}})
    assert problem.startswith("hotfixPolicy.testClock must be {start: <time") and "\n" not in problem
    assert abs((clock.now() - datetime.now(timezone.utc)).total_seconds()) < 5
    assert clock.configure({"hotfixPolicy": {"testClock": {"start": START, "rate": 40}}}) is None
    assert clock.now().isoformat() == "2026-11-20T14:37:00+00:00"  # held until the index is ready
