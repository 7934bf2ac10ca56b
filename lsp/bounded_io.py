"""The base protocol's framing, bounded: a client cannot make the server allocate what it declares.

pygls reads a message body with one `read(Content-Length)`, so a header declaring 10^12 bytes
makes it allocate that much and die. The server reads stdin through `BoundedStdin` instead: a
header line is read at most `MAX_LSP_HEADER_LINE_BYTES` at a time, and a body over
`MAX_LSP_MESSAGE_BYTES` is read in chunks and discarded, so the stream stays in step and memory
stays flat; the server logs the error and gets, in its place, a notification it ignores.
"""

from __future__ import annotations

import logging
from typing import BinaryIO

from ..engine.limits import MAX_LSP_HEADER_LINE_BYTES, MAX_LSP_MESSAGE_BYTES

log = logging.getLogger(__name__)

DROPPED_METHOD = "$/hotfixPolicy/droppedMessage"
DROPPED_MESSAGE = b'{"jsonrpc": "2.0", "method": "%s", "params": {}}' % DROPPED_METHOD.encode()
"""What the protocol layer receives instead of an oversized body: a notification it ignores."""

_CHUNK = 1024 * 1024


class BoundedStdin:
    """A binary stream for pygls' stdio reader (`readline`, `read`) that enforces the limits."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_LSP_MESSAGE_BYTES):
        self.stream = stream
        self.limit = limit

    def readline(self) -> bytes:
        return self.stream.readline(MAX_LSP_HEADER_LINE_BYTES)

    def read(self, size: int) -> bytes:
        if size <= self.limit:
            return self.stream.read(size)
        log.error("dropped a message of %d bytes: over the limit of %d bytes", size, self.limit)
        remaining = size
        while remaining > 0:
            chunk = self.stream.read(min(remaining, _CHUNK))
            if not chunk:
                return b""  # the client closed the stream mid-message
            remaining -= len(chunk)
        return DROPPED_MESSAGE
