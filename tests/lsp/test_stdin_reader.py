"""The server's stdin reader (`lsp/bounded_io.py`): pygls' message loop over it sees the same
messages however the bytes arrive, and every bound holds."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygls.io_ import run_async

from hotfix_policy.engine.limits import MAX_LSP_HEADER_LINE_BYTES
from hotfix_policy.lsp.bounded_io import DROPPED_MESSAGE, StdinReader
from tests.conftest import POLICY_COMMAND


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def frame_of_size(size: int) -> bytes:
    """A message of exactly `size` bytes, header included."""
    padding = size
    while len(message := frame(b'{"text": "%s"}' % (b"x" * padding))) > size:
        padding -= len(message) - size
    assert len(message) == size
    return message


class Pieces:
    """A stream without a descriptor that returns the given pieces, one per read."""

    def __init__(self, pieces):
        self.pieces = [piece for piece in pieces if piece]
        self.read_total = 0

    def read1(self, size: int) -> bytes:
        if not self.pieces:
            return b""
        piece = self.pieces.pop(0)
        if len(piece) > size:
            self.pieces.insert(0, piece[size:])
            piece = piece[:size]
        self.read_total += len(piece)
        return piece


class Recorder:
    """The part of pygls' protocol that `run_async` uses: every message handled, in order."""

    def __init__(self):
        self.messages = []

    def structure_message(self, data):
        return data

    def handle_message(self, message):
        self.messages.append(message)


def messages_of(stream, **limits) -> list:
    async def session():
        reader = StdinReader(stream, **limits)
        reader.start()
        recorder = Recorder()
        await asyncio.wait_for(run_async(threading.Event(), reader, recorder), 20)  # a stalled reader fails
        reader.close()
        return recorder.messages

    return asyncio.run(session())


def split(data: bytes, cuts: list) -> list:
    points = sorted({cut % (len(data) + 1) for cut in cuts})
    return [data[start:end] for start, end in zip([0, *points], [*points, len(data)])]


SMALLEST_READ_AHEAD = MAX_LSP_HEADER_LINE_BYTES + 1
bodies = st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=200), max_size=4), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(bodies, st.lists(st.integers(min_value=0), max_size=30), st.integers(min_value=1, max_value=64))
def test_messages_are_the_same_however_the_bytes_are_split(payloads, cuts, chunk):
    """Cuts fall anywhere: inside a header line, between `\\r` and `\\n`, inside a body."""
    data = b"".join(frame(json.dumps(payload).encode()) for payload in payloads)
    assert messages_of(Pieces(split(data, cuts)), chunk=chunk, read_ahead=SMALLEST_READ_AHEAD) == payloads


@pytest.mark.parametrize("into_header", [1, 10, 20])
def test_a_full_buffer_ending_in_a_partial_header_line_is_read_on(into_header):
    """The first chunk fills the read-ahead and ends `into_header` bytes into the second message's
    header: the consumer waits for the rest of that line while the buffer holds its start, and the
    reader reads into the room left rather than wait for room for a whole chunk."""
    first = frame_of_size(SMALLEST_READ_AHEAD - into_header)
    data = first + frame(b'{"n": 2}') + frame(b'{"n": 3}')
    assert messages_of(Pieces([data]), chunk=SMALLEST_READ_AHEAD, read_ahead=SMALLEST_READ_AHEAD) == [
        json.loads(first.partition(b"\r\n\r\n")[2]), {"n": 2}, {"n": 3}]


def test_a_body_over_the_limit_is_dropped_and_the_next_message_read(caplog):
    data = frame(b"[" + b" " * 5000 + b"]") + frame(b'{"after": 1}')
    with caplog.at_level(logging.ERROR):
        messages = messages_of(Pieces(split(data, list(range(0, len(data), 700)))), limit=1000,
                               read_ahead=SMALLEST_READ_AHEAD, chunk=512)
    assert messages == [json.loads(DROPPED_MESSAGE), {"after": 1}]
    assert "over the limit" in caplog.text


def test_a_header_line_is_served_at_most_the_limit_at_a_time():
    junk = b"X-Padding: " + b"a" * (3 * MAX_LSP_HEADER_LINE_BYTES) + b"\r\n"
    stream = Pieces([junk + frame(b'{"after": 1}')])

    async def lines():
        reader = StdinReader(stream)
        reader.start()
        got = []
        while line := await reader.readline():
            got.append(line)
        return got

    got = asyncio.run(lines())
    assert max(map(len, got)) == MAX_LSP_HEADER_LINE_BYTES
    assert b"".join(got) == junk + frame(b'{"after": 1}')
    assert messages_of(Pieces([junk + frame(b'{"after": 1}')])) == [{"after": 1}]


@pytest.mark.parametrize("declared", [100, 10 ** 12])
def test_the_stream_ending_mid_body_ends_the_session(declared):
    """Within the limit or over it (a terabyte declared, never allocated)."""
    data = frame(b'{"first": 1}') + b"Content-Length: %d\r\n\r\n{\"partial" % declared
    assert messages_of(Pieces([data]), limit=1000) == [{"first": 1}]


def test_a_failing_read_ends_the_session_and_is_logged(caplog):
    class Failing(Pieces):
        def read1(self, size):
            if not self.pieces:
                raise OSError("the device went away")
            return super().read1(size)

    with caplog.at_level(logging.ERROR):
        assert messages_of(Failing([frame(b'{"first": 1}')])) == [{"first": 1}]
    assert "the device went away" in caplog.text


def test_the_reader_holds_at_most_its_read_ahead():
    class Endless(Pieces):
        def read1(self, size):
            self.read_total += size
            return b"x" * size

    stream = Endless([])

    async def session():
        reader = StdinReader(stream, read_ahead=8192, chunk=1000)
        reader.start()
        deadline = time.monotonic() + 10
        while stream.read_total < 8000 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # time to overrun, were it not bounded
        held = stream.read_total
        taken = await reader.readexactly(3000)
        while stream.read_total < held + 3000 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        reader.close()
        return held, len(taken), stream.read_total

    held, taken, after = asyncio.run(session())
    assert held == 8000  # eight chunks fit in 8,192 bytes; a ninth does not
    assert taken == 3000 and after == 11000  # what the consumer took makes room for as much


def _lsp_exchange() -> bytes:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"processId": None, "rootUri": None, "capabilities": {}}}
    shutdown = {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}
    exit_ = {"jsonrpc": "2.0", "method": "exit"}
    return b"".join(frame(json.dumps(message).encode()) for message in (initialize, shutdown, exit_))


def _replies(output: bytes) -> list:
    replies = []
    while output:
        header, _, rest = output.partition(b"\r\n\r\n")
        length = int(header.split(b"\r\n")[0].split(b":")[1])
        replies.append(json.loads(rest[:length]))
        output = rest[length:]
    return [reply.get("id") for reply in replies if "id" in reply]


def test_stdin_may_be_a_regular_file(tmp_path):
    requests = tmp_path / "requests"
    requests.write_bytes(_lsp_exchange())
    with open(requests, "rb") as stdin:
        done = subprocess.run([POLICY_COMMAND, "lsp", "--stdio"], stdin=stdin, capture_output=True, cwd=tmp_path,
                              timeout=60)
    assert done.returncode == 0, done.stderr
    assert _replies(done.stdout) == [1, 2]


def test_stdin_may_be_a_socket(tmp_path):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        process = subprocess.Popen([POLICY_COMMAND, "lsp", "--stdio"], stdin=theirs, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=tmp_path)
        ours.sendall(_lsp_exchange())
        output, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert _replies(output) == [1, 2]
