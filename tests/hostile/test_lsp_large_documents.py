"""The largest record the engine judges, in the editor (just under the document's byte limit):
every request on it gets its real answer, and a request on another document is not held up
behind it.

Waits are generous (`WAIT`): what is asserted is that an answer comes, and in which order, not
how fast. The first request on a new text of the record reads it (seconds); on a machine busy
enough to push that past the server's request bound, the answer is empty and the reading goes
on for the next request, so such a request is asked once more, as an editor would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LINES, MAX_OUTLINE_SYMBOLS
from tests.hostile.lsp_stdio import StdioServer
from tests.lsp.helpers import INCIDENT, make_workspace

SIZE = MAX_DOCUMENT_BYTES - 1024


def large_record(note: str = "nothing to see") -> str:
    """INCIDENT (two findings: Severity and Status) and progress notes up to SIZE bytes."""
    lines = [INCIDENT, "\n## Updates\n\n"]
    size, number = sum(len(line.encode()) for line in lines), 0
    while size < SIZE and len(lines) < MAX_DOCUMENT_LINES - 100:
        line = f"Progress line {number}: {note}, p99 latency {number % 900} ms\n"
        lines.append(line)
        size += len(line)
        number += 1
    return "".join(lines)


def at(uri: str, line: int, character: int) -> dict:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


@pytest.fixture
def server(tmp_path: Path):
    running = StdioServer(tmp_path)
    yield running
    running.close()


def result(answer: dict):
    assert "error" not in answer, answer["error"]
    return answer["result"]


def ask(server: StdioServer, method: str, params: dict):
    """The request's result (asked again once if it ran past the server's bound, see above)."""
    seen = len(server.notifications)
    answer = result(server.request(method, params))
    if _timed_out(server, seen):
        answer = result(server.request(method, params))
    return answer


def _timed_out(server: StdioServer, since: int) -> bool:
    return any(m.get("method") == "window/logMessage" and "not answered within" in m["params"]["message"]
               for m in server.notifications[since:])


def test_every_request_on_the_largest_record_gets_its_answer(server, tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    server.initialize(root)
    uri = server.open(root / "incidents" / "big.md", large_record())
    diagnostics = server.diagnostics(uri, 1)
    assert sorted(d["code"] for d in diagnostics) == ["T001", "T002"]
    finding = next(d for d in diagnostics if d["code"] == "T001")

    label = ask(server, "textDocument/hover", at(uri, 4, 2))
    assert label["contents"]["value"].startswith("**Status**")
    rule = result(server.request("textDocument/hover", at(uri, 3, 12)))
    assert "**T001**" in rule["contents"]["value"]
    values = result(server.request("textDocument/completion", at(uri, 4, 16)))
    assert "FIXING" in [item["label"] for item in values["items"]]
    [definition] = result(server.request("textDocument/definition", at(uri, 3, 12)))
    assert definition["uri"] == (root / "policies" / "incident.yaml").as_uri()
    actions = result(server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": finding["range"], "context": {"diagnostics": [finding]}}))
    assert "Open rule T001" in [action["title"] for action in actions]
    symbols = result(server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}))
    assert symbols[0]["name"].startswith("INC-7")
    assert _count(symbols) == MAX_OUTLINE_SYMBOLS  # the outline is cut, not 17,000 entries
    assert result(server.request("textDocument/codeLens", {"textDocument": {"uri": uri}})) == []

    small = server.open(root / "incidents" / "INC-8.md", INCIDENT.replace("INC-7", "INC-8"))
    assert len(server.diagnostics(small, 1)) == 2


def test_a_request_on_a_small_document_is_not_held_up_by_one_on_the_largest_record(server, tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    server.initialize(root)
    small = server.open(root / "incidents" / "INC-8.md", INCIDENT.replace("INC-7", "INC-8"))
    server.diagnostics(small, 1)
    big = server.open(root / "incidents" / "big.md", large_record())
    server.diagnostics(big, 1)
    server.change(big, 2, large_record("all quiet"))
    server.diagnostics(big, 2)  # checked: what the hover below reads first is its layout, seconds of work

    seen = len(server.notifications)
    slow = server.start_request("textDocument/hover", at(big, 4, 2))
    quick = server.start_request("textDocument/hover", at(small, 4, 2))
    first = server.wait_for(lambda m: m.get("id") in (slow, quick) and "method" not in m, "a hover answer")
    assert first["id"] == quick, "the small document's hover waited for the large one's"
    answer = result(server.wait_for(lambda m: m.get("id") == slow and "method" not in m, "the large one's hover"))
    if _timed_out(server, seen):
        answer = ask(server, "textDocument/hover", at(big, 4, 2))
    assert answer["contents"]["value"].startswith("**Status**")


def _count(symbols: list) -> int:
    return sum(1 + _count(symbol.get("children") or []) for symbol in symbols)
