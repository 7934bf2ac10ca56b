"""`policy check - < /dev/zero` read stdin to its end, which never comes: a MemoryError
traceback. Stdin is read at most one byte past the document limit, and more is DOC003 worded as
for a file over the limit."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import read_stream_document
from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from tests.conftest import POLICY_COMMAND

OVER = f"file is over the size limit of {MAX_DOCUMENT_BYTES:,} bytes"


class EndlessZeros:
    """A stream that never ends, counting what it was asked for."""

    def __init__(self):
        self.given = 0

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "an endless stream read to its end"
        self.given += size
        return b"\0" * size


def test_an_endless_stream_is_read_one_byte_past_the_limit():
    stream = EndlessZeros()
    document = read_stream_document(stream, kind="commit")
    assert stream.given == MAX_DOCUMENT_BYTES + 1
    assert [(f.rule, f.message) for f in document.findings] == [("DOC003", OVER)]


def _small_address_space():
    limit = 1024 ** 3  # the whole stream held in memory would need far more (it never ends)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("kind", ["commit", "incident"])
def test_check_of_dev_zero_on_stdin_is_doc003(tmp_path: Path, kind: str):
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run([POLICY_COMMAND, "check", "-", "--kind", kind, "--format", "json"], cwd=tmp_path,
                              stdin=zeros, capture_output=True, text=True, timeout=120,
                              preexec_fn=_small_address_space)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [(f["rule"], f["path"], f["message"]) for f in findings] == [("DOC003", "-", OVER)]


def test_parse_of_dev_zero_on_stdin_is_doc003(tmp_path: Path):
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run([POLICY_COMMAND, "parse", "-", "--size-limit", "1000"], cwd=tmp_path, stdin=zeros,
                              capture_output=True, text=True, timeout=120, preexec_fn=_small_address_space)
    assert done.returncode == 0, done.stderr
    assert [f["message"] for f in json.loads(done.stdout)["findings"]] == [
        "file is over the size limit of 1,000 bytes"]
