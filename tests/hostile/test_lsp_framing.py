"""The language server's framing and lifecycle under a hostile or broken client: a declared
length it must not allocate, a body over the limit, requests before `initialize`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hotfix_policy.engine.limits import MAX_LSP_MESSAGE_BYTES
from tests.conftest import POLICY_COMMAND
from tests.hostile.lsp_stdio import frame

INITIALIZE = {"jsonrpc": "2.0", "id": "init", "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}


def _reply(stream, identifier) -> dict:
    """The next message with this id (log notifications in between are skipped)."""
    while True:
        length = None
        while (line := stream.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert length is not None, "the server closed the stream"
        message = json.loads(stream.read(length))
        if message.get("id") == identifier:
            return message


@pytest.fixture
def server(tmp_path: Path):
    process = subprocess.Popen([POLICY_COMMAND, "lsp", "--stdio"], cwd=tmp_path, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    process.stderr.close()
    process.stdout.close()


def test_a_request_before_initialize_gets_server_not_initialized(server):
    server.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover",
                              "params": {"textDocument": {"uri": "file:///x.md"},
                                         "position": {"line": 0, "character": 0}}}))
    server.stdin.write(frame(INITIALIZE))
    server.stdin.flush()
    assert _reply(server.stdout, 1)["error"]["code"] == -32002
    assert _reply(server.stdout, "init")["result"]["serverInfo"]["name"] == "hotfix-policy"


def _hover(identifier) -> bytes:
    return frame({"jsonrpc": "2.0", "id": identifier, "method": "textDocument/hover",
                  "params": {"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}})


def _peak_kb(server) -> int:
    return int(Path(f"/proc/{server.pid}/status").read_text().split("VmHWM:")[1].split()[0])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the server's peak memory from /proc")
def test_a_body_over_the_limit_is_dropped_in_chunks_and_the_stream_stays_in_step(server):
    """The server's peak memory grows by less than the limit while it drops a body four times
    the limit (answering a request before and after it, so the peak counts only the dropping)."""
    server.stdin.write(_hover("before"))
    server.stdin.flush()
    assert _reply(server.stdout, "before")["error"]["code"] == -32002
    before = _peak_kb(server)
    size = 4 * MAX_LSP_MESSAGE_BYTES
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % size)
    chunk = b" " * (1024 * 1024)
    for _ in range(size // len(chunk)):
        server.stdin.write(chunk)
    server.stdin.write(_hover("after"))
    server.stdin.flush()
    assert _reply(server.stdout, "after")["error"]["code"] == -32002
    grown_kb = _peak_kb(server) - before
    assert grown_kb * 1024 < MAX_LSP_MESSAGE_BYTES, f"peak memory grew {grown_kb} kB: the body was buffered"
    server.stdin.write(frame(INITIALIZE))
    server.stdin.flush()
    assert "result" in _reply(server.stdout, "init")


def test_a_declared_length_of_a_terabyte_is_not_allocated(server):
    server.stdin.write(b"Content-Length: 1000000000000\r\n\r\n{}")
    server.stdin.close()  # the client gives up mid-message
    assert server.wait(timeout=60) == 0
    log = server.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in log and "over the limit" in log
