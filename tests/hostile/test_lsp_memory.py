"""The language server's memory stays flat under a long editing session: what each edit leaves
behind is freed, whatever the client sends.

Measured as the server's resident set (/proc) after 2,000 and after 10,000 edits, each read once
the server has published the diagnostics of the last version (so every edit was handled). The
bound is far below what one kilobyte per edit would add (8 MB), and far above the allocator's
noise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.hostile.lsp_stdio import StdioServer
from tests.lsp.helpers import INCIDENT, make_workspace

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the server's memory from /proc")

GROWTH_KB = 3 * 1024
"""What 8,000 more edits may add to the resident set."""


@pytest.fixture
def server(tmp_path: Path):
    running = StdioServer(tmp_path)
    yield running
    running.close()


def _edit(number: int) -> str:
    return INCIDENT.replace("Status: WHATEVER", f"Status: WHATEVER\nNotes: edit {number}")


def _edit_until(server: StdioServer, uri: str, first: int, last: int) -> None:
    for version in range(first, last + 1):
        server.change(uri, version, _edit(version))
    server.diagnostics(uri, last)


def test_ten_thousand_edits_of_one_document_leave_memory_flat(server, tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    server.initialize(root)
    uri = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    server.diagnostics(uri, 1)
    _edit_until(server, uri, 2, 2_000)
    after_2000 = server.status("VmRSS")
    _edit_until(server, uri, 2_001, 10_000)
    after_10000 = server.status("VmRSS")
    assert after_10000 - after_2000 < GROWTH_KB, \
        f"resident set grew by {after_10000 - after_2000} kB over 8,000 edits ({after_2000} -> {after_10000} kB)"


def test_changes_to_a_document_never_opened_leave_memory_flat(server, tmp_path: Path):
    """pygls refuses each change (the document is unknown); the refusal must not be kept."""
    root = make_workspace(tmp_path / "ws")
    server.initialize(root)
    stranger = (root / "incidents" / "never-opened.md").as_uri()
    opened = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    server.diagnostics(opened, 1)

    def changes(first: int, last: int) -> None:
        for version in range(first, last + 1):
            server.change(stranger, version, _edit(version))
        server.change(opened, last, _edit(last))  # a document that is open, after them: all were handled
        server.diagnostics(opened, last)

    changes(2, 2_000)
    after_2000 = server.status("VmRSS")
    changes(2_001, 10_000)
    after_10000 = server.status("VmRSS")
    assert after_10000 - after_2000 < GROWTH_KB, \
        f"resident set grew by {after_10000 - after_2000} kB over 8,000 changes ({after_2000} -> {after_10000} kB)"
