"""A client that breaks the protocol's rules or floods the server: versions that repeat or go
backwards, storms of file events. The server answers from the text it holds and keeps up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.lsp_stdio import StdioServer
from tests.lsp.helpers import INCIDENT, make_workspace

FIXED = INCIDENT.replace("😀 bad", "HIGH").replace("WHATEVER", "FIXING")
PULL = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}}


@pytest.fixture
def server(tmp_path: Path):
    running = StdioServer(tmp_path)
    yield running
    running.close()


def pull(server: StdioServer, uri: str, previous: str | None = None) -> dict:
    params = {"textDocument": {"uri": uri}}
    if previous is not None:
        params["previousResultId"] = previous
    answer = server.request("textDocument/diagnostic", params)
    assert "error" not in answer, answer["error"]
    return answer["result"]


def codes(report: dict) -> list:
    assert report["kind"] == "full", report
    return sorted(item["code"] for item in report["items"])


def test_a_version_that_repeats_or_goes_backwards_is_a_new_text(server, tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    server.initialize(root, PULL)
    uri = server.open(root / "incidents" / "INC-7.md", INCIDENT, version=5)
    first = pull(server, uri)
    assert codes(first) == ["T001", "T002"]
    server.change(uri, 5, FIXED)                      # the same version, another text
    second = pull(server, uri, first["resultId"])
    assert codes(second) == [], "the report of the previous text was served for the new one"
    server.change(uri, 3, INCIDENT)                   # backwards
    third = pull(server, uri, second["resultId"])
    assert codes(third) == ["T001", "T002"]
    assert pull(server, uri, third["resultId"])["kind"] == "unchanged"


def test_a_storm_of_file_events_does_not_wedge_the_checks(server, tmp_path: Path):
    """2,000 events naming a 1 MB record and a policy: read and reloaded once, not 2,000 times."""
    root = make_workspace(tmp_path / "ws")
    notes = "".join(f"Notes: check {number} of the payments cache\n" for number in range(25_000))
    large = root / "incidents" / "INC-9.md"
    large.write_text(INCIDENT.replace("INC-7", "INC-9") + "\n## Updates\n\n" + notes, encoding="utf-8")
    server.initialize(root)
    server.log_message("workspace index ready")
    uri = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    server.diagnostics(uri, 1)
    events = [{"uri": large.as_uri(), "type": 2}, {"uri": (root / "policies" / "incident.yaml").as_uri(), "type": 2}]
    for _ in range(2_000):
        server.notify("workspace/didChangeWatchedFiles", {"changes": events})
    server.change(uri, 2, FIXED)
    assert server.diagnostics(uri, 2) == []
