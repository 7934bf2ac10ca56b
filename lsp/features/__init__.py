"""The server's features, one module each, and the one way they register their handlers.

Every feature module has `register(server)` and registers its handlers with `feature(...)`:

    from lsprotocol import types
    from . import feature

    def register(server):
        @feature(server, types.TEXT_DOCUMENT_HOVER, empty=None)
        def hover(ls, params: types.HoverParams):
            ...                      # get the document, call the engine, convert

`feature` wraps the handler (plain or `async`) so that an exception is logged (the server's
log and window/logMessage, without document text) and answered with `empty` (a value, or a
callable making one, e.g. `empty=list`): one failing feature never takes a request down and
the server never dies on a document. `server.state` (`lsp.state.ServerState`) holds the engine
workspace, the open documents' last check outcomes and the position encoding.
"""

from __future__ import annotations

import asyncio
import functools
import logging

from lsprotocol import types

log = logging.getLogger(__name__)


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
    """Register a handler for `method` on `server`, guarded (see the module docstring)."""

    def decorator(handler):
        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def guarded(ls, params):
                try:
                    return await handler(ls, params)
                except Exception as error:  # noqa: BLE001
                    report_failure(ls, method, error)
                    return _empty(empty)
        else:
            @functools.wraps(handler)
            def guarded(ls, params):
                try:
                    return handler(ls, params)
                except Exception as error:  # noqa: BLE001
                    report_failure(ls, method, error)
                    return _empty(empty)
        server.feature(method, options)(guarded)
        return handler

    return decorator
