"""The server answers and keeps serving: invalid params, unknown methods, huge and binary
documents, a policy broken mid-edit, a failing feature; and both ways of starting it."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig

from hotfix_policy.engine.limits import MAX_DOCUMENT_LINES
from tests.conftest import POLICY_COMMAND, REPO
from tests.lsp.helpers import (INCIDENT, POLICY, WAIT, change_document, codes, diagnostics_until, open_document,
                               start)


async def still_serving(client, workspace: Path, name: str = "alive.md") -> None:
    uri = open_document(client, workspace / "incidents" / name, INCIDENT)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) == 2)
    assert codes(diagnostics) == ["T001", "T002"]


async def send_raw(client, payload: dict):
    """Write a JSON-RPC message as is (the typed client cannot send invalid params)."""
    body = json.dumps(payload)
    result = client.protocol.writer.write(f"Content-Length: {len(body)}\r\n\r\n{body}".encode("ascii"))
    if asyncio.iscoroutine(result):
        await result


async def raw_request(client, method: str, params) -> object:
    future = asyncio.get_running_loop().create_future()
    identifier = f"raw-{id(future)}"
    client.protocol._request_futures[identifier] = future  # so the reply finds its way back
    await send_raw(client, {"jsonrpc": "2.0", "id": identifier, "method": method, "params": params})
    return await asyncio.wait_for(future, WAIT)


async def test_invalid_params_get_an_error_and_the_server_goes_on(client, workspace: Path):
    await start(client, workspace)
    with pytest.raises(JsonRpcException):
        await raw_request(client, types.TEXT_DOCUMENT_DIAGNOSTIC, {"textDocument": 42})
    with pytest.raises(JsonRpcException):
        await raw_request(client, types.TEXT_DOCUMENT_DIAGNOSTIC, None)
    await send_raw(client, {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_CHANGE,
                            "params": {"textDocument": {"uri": 7}, "contentChanges": "x"}})
    await send_raw(client, {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_OPEN, "params": [1, 2]})
    await still_serving(client, workspace)


@pytest.mark.parametrize("method, params, says", [
    ("hotfixPolicy/runTests", {"tests": ["T001"]}, "unknown parameter 'tests'; it takes 'ids' (a list of strings)"),
    ("hotfixPolicy/runTests", {"ids": "T001"}, "'ids' must be a list of strings"),
    ("hotfixPolicy/runTests", [["T001"]], "params must be an object"),
    ("hotfixPolicy/tests", {"all": True}, "unknown parameter 'all'; it takes none"),
    ("hotfixPolicy/status", {"verbose": 1}, "unknown parameter 'verbose'"),
    ("hotfixPolicy/rules", {"kind": "incident"}, "unknown parameter 'kind'"),
    ("hotfixPolicy/checkWorkspace", {"paths": []}, "unknown parameter 'paths'"),
    ("hotfixPolicy/clearWorkspaceCheck", {"x": 1}, "unknown parameter 'x'"),
])
async def test_the_servers_own_requests_refuse_params_they_do_not_take(client, workspace: Path, method, params, says):
    await start(client, workspace)
    with pytest.raises(JsonRpcException) as refused:
        await raw_request(client, method, params)
    assert refused.value.code == -32602 and says in refused.value.message, refused.value.message
    assert await raw_request(client, method, {}) is not None or method.endswith("clearWorkspaceCheck")
    await still_serving(client, workspace)


async def test_unknown_methods_and_documents(client, workspace: Path):
    await start(client, workspace)
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(client.protocol.send_request_async("hotfix/noSuchMethod", {}), WAIT)
    client.protocol.notify("hotfix/noSuchNotification", {"x": 1})
    # a change to, and a pull for, a document that was never opened
    change_document(client, (workspace / "never-opened.md").as_uri(), 3, "# INC-3: x\n")
    report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=(workspace / "nowhere.md").as_uri()))), WAIT)
    assert list(report.items) == []
    await still_serving(client, workspace)


async def test_a_100000_line_document(client, workspace: Path):
    """Over the line limit it is DOC003 alone; cut to the limit, it is judged as any record."""
    await start(client, workspace)
    huge = INCIDENT + "".join(f"{i}\n" for i in range(100_000))
    uri = open_document(client, workspace / "incidents" / "big.md", huge)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 1, timeout=60)
    assert codes(diagnostics) == ["DOC003"] and "too many lines" in diagnostics[0].message
    big = INCIDENT + "".join(f"Progress line {i}: ok\n" for i in range(MAX_DOCUMENT_LINES - 100))
    change_document(client, uri, 2, big)
    diagnostics = await diagnostics_until(client, uri, lambda d: "T001" in codes(d), timeout=60)
    assert "DOC003" not in codes(diagnostics)
    change_document(client, uri, 3, big.replace("😀 bad", "HIGH"))
    await diagnostics_until(client, uri, lambda d: "T001" not in codes(d), timeout=60)
    await still_serving(client, workspace)


async def test_binary_content(client, workspace: Path):
    await start(client, workspace)
    junk = "\x00\x01\x02\ufffd\x7f" * 2000 + "\udbff"[:0] + "𝄞\x00"
    uri = open_document(client, workspace / "incidents" / "binary.md", junk)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 1)
    assert codes(diagnostics) == ["DOC003"]
    yaml_uri = open_document(client, workspace / "policies" / "binary.yaml", "kind: Policy\n" + junk,
                             language="yaml")
    diagnostics = await diagnostics_until(client, yaml_uri, lambda d: len(d) >= 1)
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    await still_serving(client, workspace)


async def test_lone_surrogates_in_a_buffer_are_doc003_and_the_rest_is_judged(client, workspace: Path):
    """JSON may carry a lone surrogate (`\\udc80`), which is no Unicode text: the document is
    still judged, the surrogates read as U+FFFD and reported where the first one is."""
    await start(client, workspace)
    text = INCIDENT.replace("Checkout", "surrogate \udc80\ud800 x")
    uri = workspace.joinpath("incidents", "surr.md").as_uri()
    await send_raw(client, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 3)
    assert codes(diagnostics) == ["DOC003", "T001", "T002"]
    doc003 = next(d for d in diagnostics if d.code == "DOC003")
    assert (doc003.range.start.line, doc003.range.start.character) == (0, text.index("\udc80"))
    assert "U+DC80" in doc003.message and "1 more" in doc003.message
    await still_serving(client, workspace)


BROKEN_EDITS = [
    POLICY.replace("  rules:\n", "  rules: [\n"),                                # YAML syntax
    POLICY.replace("severity: error", "severty: error", 1),                    # structure
    POLICY.replace("doc.severity in", "doc.severity in in"),                   # CEL syntax
    POLICY.replace("doc.severity in", "doc.severity + 1 in"),                  # CEL types
    "",                                                                        # emptied
    "kind: Policy\n",                                                          # half typed
]


async def test_an_invalid_policy_being_edited(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "policies" / "incident.yaml", POLICY, language="yaml")
    await diagnostics_until(client, uri, lambda d: len(d) == 0)
    for version, text in enumerate(BROKEN_EDITS, start=2):
        change_document(client, uri, version, text)
        report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
        assert report.result_id.startswith(f"{uri}@{version}/")
        if text.strip():
            assert report.items, text
            assert all(d.severity == types.DiagnosticSeverity.Error for d in report.items)
    change_document(client, uri, 99, POLICY)
    await diagnostics_until(client, uri, lambda d: len(d) == 0)
    await still_serving(client, workspace)


def test_a_failing_handler_is_logged_and_answered_empty():
    from hotfix_policy.lsp.features import feature

    class FakeServer:
        def __init__(self):
            self.handlers, self.logged = {}, []

        def feature(self, method, options=None):
            return lambda handler: self.handlers.setdefault(method, handler)

        def window_log_message(self, params):
            self.logged.append(params.message)

    server = FakeServer()

    @feature(server, types.TEXT_DOCUMENT_HOVER, empty=list)
    def broken(ls, params):
        raise KeyError("secret-looking text never reaches the client")

    @feature(server, types.TEXT_DOCUMENT_COMPLETION, empty=None)
    async def broken_async(ls, params):
        raise ValueError("boom")

    assert server.handlers[types.TEXT_DOCUMENT_HOVER](server, None) == []
    assert asyncio.run(server.handlers[types.TEXT_DOCUMENT_COMPLETION](server, None)) is None
    assert len(server.logged) == 2 and "KeyError" in server.logged[0]
    assert not any("secret" in message for message in server.logged)


def test_a_broken_feature_module_leaves_the_others_serving():
    from hotfix_policy.lsp.server import FEATURES, build_server

    server = build_server(FEATURES + ("no_such_feature",))
    features = server.protocol.fm.features
    assert types.TEXT_DOCUMENT_DID_OPEN in features and types.TEXT_DOCUMENT_DIAGNOSTIC in features


async def test_policy_lsp_stdio_starts_the_server(workspace: Path):
    config = ClientServerConfig(server_command=[POLICY_COMMAND, "lsp", "--stdio"])
    client = await config.start()
    try:
        result = await start(client, workspace)
        assert result.server_info.name == "hotfix-policy"
        await still_serving(client, workspace)
        await asyncio.wait_for(client.shutdown_session(), WAIT)
    finally:
        await client.stop()


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_message(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise AssertionError("connection closed")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def test_python_m_lsp_tcp_serves_a_client():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([POLICY_COMMAND, "lsp", "--tcp", f"127.0.0.1:{port}", "--log-level", "INFO"],
                              cwd=REPO, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        for line in server.stderr:  # pygls says "Serving on ..." once it listens
            if b"Serving on" in line:
                break
        else:
            raise AssertionError(f"the server exited with {server.wait()}")
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as connection:
            stream = connection.makefile("rwb")
            stream.write(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                   "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
            stream.flush()
            reply = _read_message(stream)
            while reply.get("id") != 1:
                reply = _read_message(stream)
            assert reply["result"]["serverInfo"]["name"] == "hotfix-policy"
            assert reply["result"]["capabilities"]["diagnosticProvider"]["identifier"] == "hotfix-policy"
            stream.write(_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            stream.write(_message({"jsonrpc": "2.0", "method": "exit"}))
            stream.flush()
        server.wait(timeout=WAIT)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
