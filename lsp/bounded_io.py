"""The base protocol's framing, read in chunks and bounded: a client cannot make the server
allocate what it declares, nor wait a thread hop per header line.

pygls' stdio reader reads each message in about four hops through a thread pool (one per header
line, one for the body), and while a check holds the GIL every hop waits its turn: a burst of
edits was read at the pace of the checks. `StdinReader` reads stdin in large chunks on one thread
of its own, one hop into the event loop per chunk, and serves pygls' `run_async` (`readline`,
`readexactly`) from a buffer, so messages already read are handled back to back.

The bounds: a header line is served at most `MAX_LSP_HEADER_LINE_BYTES` at a time; a body over
`MAX_LSP_MESSAGE_BYTES` is discarded as it arrives and the server gets, in its place, a
notification it ignores (the error is logged), so the stream stays in step and memory stays flat;
the buffer holds at most `MAX_LSP_READ_AHEAD_BYTES` that the server has not taken yet (the thread
waits for room before it reads); the stream ending mid-message ends the session cleanly.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import threading
from typing import BinaryIO, Optional

from ..engine.limits import MAX_LSP_HEADER_LINE_BYTES, MAX_LSP_MESSAGE_BYTES, MAX_LSP_READ_AHEAD_BYTES

log = logging.getLogger(__name__)

DROPPED_METHOD = "$/hotfixPolicy/droppedMessage"
DROPPED_MESSAGE = b'{"jsonrpc": "2.0", "method": "%s", "params": {}}' % DROPPED_METHOD.encode()
"""What the protocol layer receives instead of an oversized body: a notification it ignores."""

READ_CHUNK_BYTES = 64 * 1024
"""What the reader thread asks of stdin at a time (a pipe holds 64 KiB on Linux)."""


class StdinReader:
    """pygls' asynchronous reader (`readline`, `readexactly`) over a binary stream, read ahead in
    chunks by a thread of its own; `start()` it from the event loop that consumes it."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_LSP_MESSAGE_BYTES,
                 read_ahead: int = MAX_LSP_READ_AHEAD_BYTES, chunk: int = READ_CHUNK_BYTES):
        self.stream = stream
        self.limit = limit
        if read_ahead <= MAX_LSP_HEADER_LINE_BYTES:
            raise ValueError("the read-ahead must hold more than a header line")  # else a partial line could stall it
        self.read_ahead = read_ahead
        self.chunk = min(chunk, read_ahead)
        self._read = _chunk_reader(stream)
        self._buffer = bytearray()
        self._eof = False
        self._waiter: Optional[asyncio.Future] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        # bytes read and not yet taken by the consumer (in the buffer or on their way to it)
        self._held = 0
        self._room = threading.Condition()
        self._starving = False  # the consumer waits for bytes: read whatever room there is
        self._closed = False

    def start(self) -> None:
        """Start the reader thread; it hands each chunk to the running event loop."""
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._pump, name="lsp-stdin", daemon=True).start()

    def close(self) -> None:
        """Stop reading ahead (the thread ends at its next chunk)."""
        with self._room:
            self._closed = True
            self._room.notify()

    # -- the reader thread ----------------------------------------------------------------------
    def _pump(self) -> None:
        data = b"not yet read"
        try:
            while data and (room := self._wait_for_room()):
                data = self._read(room)
                self._hand_over(data)
        except Exception:  # noqa: BLE001 - a failing read ends the session; it must not kill the server
            if not self._closed:
                log.exception("reading stdin failed; ending the session")
                self._hand_over(b"")

    def _wait_for_room(self) -> int:
        """How much to read next: a whole chunk once it fits within the read-ahead, or what room is
        left if the consumer waits for more than it holds (a partial header line); 0 once the
        session is over."""
        with self._room:
            self._room.wait_for(lambda: self._closed or self._held + self.chunk <= self.read_ahead
                                or (self._starving and self._held < self.read_ahead))
            return 0 if self._closed else min(self.chunk, self.read_ahead - self._held)

    def _hand_over(self, data: bytes) -> None:
        """Give a chunk (b"" for the end) to the event loop, one hop for the whole chunk."""
        with self._room:
            self._held += len(data)
        try:
            self._loop.call_soon_threadsafe(self._feed, data)
        except RuntimeError:  # the event loop is closed: the session is over, nobody is waiting
            self.close()

    # -- the event loop -------------------------------------------------------------------------
    def _feed(self, data: bytes) -> None:
        with self._room:
            self._starving = False
        if data:
            self._buffer += data
        else:
            self._eof = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def _more(self) -> bool:
        """Wait for the next chunk; False at the end of the stream."""
        if self._eof:
            return False
        with self._room:
            self._starving = True
            self._room.notify()
        self._waiter = self._loop.create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None
        return True

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        self._drop(len(data))
        return data

    def _drop(self, size: int) -> None:
        del self._buffer[:size]
        with self._room:
            self._held -= size
            self._room.notify()

    async def readline(self) -> bytes:
        """The next line, at most `MAX_LSP_HEADER_LINE_BYTES` of it; b"" at the end."""
        while True:
            end = self._buffer.find(b"\n", 0, MAX_LSP_HEADER_LINE_BYTES)
            if end >= 0:
                return self._take(end + 1)
            if len(self._buffer) >= MAX_LSP_HEADER_LINE_BYTES:
                return self._take(MAX_LSP_HEADER_LINE_BYTES)
            if not await self._more():
                return self._take(len(self._buffer))

    async def readexactly(self, size: int) -> bytes:
        """A body of `size` bytes; DROPPED_MESSAGE for one over the limit; b"" if the stream
        ends first (the session then ends: pygls stops at an empty body)."""
        if size > self.limit:
            log.error("dropped a message of %d bytes: over the limit of %d bytes", size, self.limit)
            return DROPPED_MESSAGE if await self._skip(size) else b""
        parts, wanted = [], size
        while True:
            part = self._take(min(wanted, len(self._buffer)))
            parts.append(part)
            wanted -= len(part)
            if not wanted:
                return b"".join(parts)
            if not await self._more():
                return b""

    async def _skip(self, size: int) -> bool:
        """Discard `size` bytes as they arrive; False if the stream ends first."""
        while True:
            dropped = min(size, len(self._buffer))
            self._drop(dropped)
            size -= dropped
            if not size:
                return True
            if not await self._more():
                return False


def _chunk_reader(stream: BinaryIO):
    """One read of up to n bytes of what is there: `os.read` on the stream's descriptor (no lock of
    the buffered object is held while it blocks, so exiting never waits on the reader thread), or
    the stream's own `read1` when it has no descriptor."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return getattr(stream, "read1", None) or stream.read
    return lambda size: os.read(fd, size)
