"""The language server, assembled: every feature registered in one place.

`FEATURES` names the modules of `lsp/features/`; each has `register(server)` and registers its
handlers with `lsp.features.feature` (guarded: an exception is logged and answered with an
empty result). A feature module that fails to import or register is logged and left out;
the others still serve.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
import threading

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcServerNotInitialized
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from . import __version__
from .bounded_io import DROPPED_METHOD, StdinReader
from .state import ServerState

log = logging.getLogger(__name__)

READER_SWITCH_INTERVAL = 0.0001
"""Seconds a thread holds the GIL before another may take it (Python's default is 0.005)."""

FEATURES = (
    "sync",
    "diagnostics",
    "completion",
    "hover",
    "definition",
    "actions",
    "symbols",
    "lenses",
    "workspace_requests",
    "policy_tests",
)


class PolicyProtocol(LanguageServerProtocol):
    """pygls' protocol, answering a request whose params do not deserialize, and any request
    that comes before `initialize`.

    pygls logs a message that does not deserialize and drops it, which leaves the client
    waiting for a reply that never comes; here the client gets the Invalid Params error for that
    request id.
    """

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and "method" in data and data.get("id") is not None:
                self._send_response(data["id"], error=error.to_response_error())
            raise

    # The spec: before `initialize`, a request gets ServerNotInitialized (-32002) and a
    # notification other than `exit` is dropped (pygls would run the handler, which fails).
    def _handle_request(self, msg_id, method_name, params):
        if self._workspace is None and method_name != types.INITIALIZE:
            self._send_response(msg_id, error=JsonRpcServerNotInitialized().to_response_error())
            return
        super()._handle_request(msg_id, method_name, params)

    def _handle_notification(self, method_name, params):
        if method_name == DROPPED_METHOD:
            return  # StdinReader logged why
        if self._workspace is None and method_name != types.EXIT:
            log.info("dropped %s: the server is not initialized", method_name)
            return
        super()._handle_notification(method_name, params)

    # pygls 2.1 files the future of every generator handler (its built-in didOpen, didChange,
    # didClose, didSave...) and of every async step they yield to under a fresh id in
    # `_request_futures`, and only a response to a client's request ever removes an entry: each
    # notification left about 1 kB behind, and a refused one (a change to a document never
    # opened) its exception, traceback and params with the whole text. An entry that does not
    # answer a client's request is removed when its future is done.
    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        answers_request = getattr(callback, "func", None) == self._send_handler_result
        future = None if answers_request else self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda _, key=msg_id: self._request_futures.pop(key, None))


class PolicyLanguageServer(LanguageServer):
    """pygls' server with the hotfix-policy state (`server.state`)."""

    def __init__(self):
        # Full sync: clients send the whole text per change. pygls applies incremental changes by
        # rewriting the document line by line in Python, which under a burst of keystrokes costs
        # more than receiving a few kilobytes (benchmarks/README.md, language server section).
        super().__init__("hotfix-policy", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Full,
                         protocol_cls=PolicyProtocol)
        self.state = ServerState(self)

    def report_server_error(self, error: Exception, source) -> None:
        # Out-of-band errors (a malformed message, a failing notification) go to the log, not to
        # a pop-up on every keystroke.
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)


def build_server(features=FEATURES) -> PolicyLanguageServer:
    server = PolicyLanguageServer()
    for name in features:
        try:
            module = importlib.import_module(f".features.{name}", __package__)
            module.register(server)
        except Exception:  # noqa: BLE001 - one broken feature must not stop the others
            log.exception("feature %s could not be registered; serving without it", name)
    return server


class LateCancelFilter(logging.Filter):
    """Drops pygls' warning about a `$/cancelRequest` for a request it has already answered.

    Editors cancel requests as the user types (VS Code cancels hovers, lenses and pulls whose
    document changed), often just after the answer left; pygls has then forgotten the id and logs
    `Cancel notification for unknown message id` at WARNING, the level the server logs at, so the
    editor's output channel filled with it. Nothing is wrong: the request was answered. Only that
    record is dropped (matched by its message template in pygls' JSON-RPC module); every other
    warning still shows.
    """

    LOGGER = "pygls.protocol.json_rpc"
    MESSAGE = 'Cancel notification for unknown message id "%s"'

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != self.MESSAGE


def serve(address: tuple | None = None) -> None:
    """Run the server over stdin and stdout, or listening on `(host, port)` for one client."""
    logging.getLogger(LateCancelFilter.LOGGER).addFilter(LateCancelFilter())
    # While a check holds the GIL on the worker thread, the reader thread, and the event loop
    # handling what it read, each wait out the switch interval; at Python's default 5 ms a burst
    # of keystrokes was read at the pace of the checks. With the chunked reader it matters less,
    # but not nothing: without it 1,000 edits were read in 1.0-1.4 s, not 0.8-1.2 s, and the last
    # one's diagnostics came no sooner (benchmarks/lsp_latency.py --quick, alternated).
    sys.setswitchinterval(READER_SWITCH_INTERVAL)
    server = build_server()
    if address is None:
        serve_stdio(server, sys.stdin.buffer, sys.stdout.buffer)
    else:
        server.start_tcp(*address)


def serve_stdio(server: LanguageServer, stdin, stdout) -> None:
    """pygls' message loop (`run_async`) over `StdinReader` (chunked, bounded reads) until the
    stream ends or the client says `exit`; then the server shuts down."""
    reader = StdinReader(stdin)
    server.protocol.set_writer(StdoutWriter(stdout))

    async def session():
        reader.start()
        try:
            await run_async(stop_event=threading.Event(), reader=reader, protocol=server.protocol, logger=log,
                            error_handler=server.report_server_error)
        finally:
            reader.close()

    try:
        asyncio.run(session())
    except BrokenPipeError:
        log.error("the client closed the connection; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass  # `exit` from the client, or an interrupt: a normal end
    finally:
        server.shutdown()
