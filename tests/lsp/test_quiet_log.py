"""The server's log (what VS Code shows in the output channel) has no "Cancel notification for
unknown message id" line when a client cancels a request already answered, as VS Code does as
the user types; other pygls warnings still show."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import POLICY_COMMAND
from tests.lsp.helpers import make_workspace


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read(stream) -> dict:
    length = 0
    while (line := stream.readline().strip()):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


def _answer(stream, identifier) -> dict:
    """Messages until the response to `identifier` (notifications and the server's requests skipped)."""
    while True:
        message = _read(stream)
        if message.get("id") == identifier and "method" not in message:
            return message


def test_a_late_cancel_leaves_no_warning_in_the_log(tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    server = subprocess.Popen([POLICY_COMMAND, "lsp", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        send = lambda message: (server.stdin.write(_frame(message)), server.stdin.flush())  # noqa: E731
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
        _answer(server.stdout, 1)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "id": 2, "method": "hotfixPolicy/status", "params": None})
        assert _answer(server.stdout, 2)["result"]["config"] == ".policy.yaml"
        send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}})  # answered already
        send({"jsonrpc": "2.0", "id": 99, "result": None})  # a response to nothing: pygls warns, as it should
        send({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None})
        _answer(server.stdout, 3)
        send({"jsonrpc": "2.0", "method": "exit", "params": None})
        server.stdin.close()
        log = server.stderr.read().decode("utf-8")
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
        server.wait()
    assert 'Received response to unknown message id "99"' in log, log  # the log does show pygls' warnings
    assert "Cancel notification for unknown message id" not in log, log
