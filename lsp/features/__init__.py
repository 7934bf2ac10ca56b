"""The server's features, one module each, and the ways they register their handlers.

Every feature module has `register(server)`. A request about a document registers with
`request(...)`; notifications and the life cycle (open, change, initialize) with `feature(...)`:

    from lsprotocol import types
    from . import request

    def register(server):
        @request(server, types.TEXT_DOCUMENT_HOVER, empty=None)
        def hover(ls, params: types.HoverParams):
            ...                      # get the document, call the engine, convert

Both wrap the handler (plain or `async`) so that an exception is logged (the server's log and
window/logMessage, without document text) and answered with `empty` (a value, or a callable
making one, e.g. `empty=list`): one failing feature never takes a request down and the server
never dies on a document. `request` also runs a plain handler on a request thread, never on
the event loop, and answers within `MAX_REQUEST_WAIT_SECONDS` (`lsp.requests`): past it, with
`empty`, or what `on_timeout()` returns or raises. A request about a document that is not open
(`NotOpen`) is answered with `empty`: the server reads only what the client sent it.
`server.state` (`lsp.state.ServerState`) holds the engine workspace, the open documents and
their last check outcomes, and the position encoding.
"""

from __future__ import annotations

import asyncio
import functools
import logging

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from ..requests import RequestTimedOut

log = logging.getLogger(__name__)


class NotOpen(Exception):
    """The request is about a document the client has not opened (or has closed)."""


def _empty(empty):
    return empty() if callable(empty) else empty


def report_failure(ls, method: str, error: BaseException) -> None:
    """Log a handler's exception: traceback to the server log, its type to the client."""
    log.error("%s failed", method, exc_info=error)
    try:
        ls.window_log_message(types.LogMessageParams(
            type=types.MessageType.Error,
            message=f"hotfix-policy: {method} failed ({type(error).__name__}); see the server log"))
    except Exception:  # noqa: BLE001 - reporting must not fail either
        log.debug("could not report the failure", exc_info=True)


def feature(server, method: str, options=None, *, empty=None):
    """Register a handler for `method` on `server`, guarded (see the module docstring); a
    protocol error the handler raises on purpose (`JsonRpcException`) is sent as it is."""

    def decorator(handler):
        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def guarded(ls, params):
                try:
                    return await handler(ls, params)
                except JsonRpcException:
                    raise
                except Exception as error:  # noqa: BLE001
                    report_failure(ls, method, error)
                    return _empty(empty)
        else:
            @functools.wraps(handler)
            def guarded(ls, params):
                try:
                    return handler(ls, params)
                except JsonRpcException:
                    raise
                except Exception as error:  # noqa: BLE001
                    report_failure(ls, method, error)
                    return _empty(empty)
        server.feature(method, options)(guarded)
        return handler

    return decorator


def request(server, method: str, options=None, *, empty=None, on_timeout=None):
    """Register a document request's handler: off the loop, bounded, guarded (module docstring)."""

    def decorator(handler):
        is_async = asyncio.iscoroutinefunction(handler)

        @functools.wraps(handler)
        async def bounded(ls, params):
            runner = ls.state.requests
            try:
                if is_async:
                    return await runner.bound(handler(ls, params))
                return await runner.run(handler, ls, params)
            except NotOpen:
                return _empty(empty)
            except RequestTimedOut as error:
                ls.state.log(f"{method} {_about(params)} {error}", types.MessageType.Warning)
                return on_timeout() if on_timeout is not None else _empty(empty)

        feature(server, method, options, empty=empty)(bounded)
        return handler

    return decorator


def _about(params) -> str:
    document = getattr(params, "text_document", None)
    return getattr(document, "uri", "") or ""
