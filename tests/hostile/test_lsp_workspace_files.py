"""Files of the workspace the server did not choose to read: a FIFO named like a document, a
link to /dev/zero, a FIFO where `.policy.yaml` goes, a folder tree deeper than Python's
recursion, and requests about files the client never opened. None of them may block, bloat
or silence the server.

Opening a FIFO for reading blocks until a writer comes; /dev/zero never ends. Memory is read
from /proc (the server's peak), waits are generous: what is asserted is that answers come.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.hostile.lsp_stdio import StdioServer
from tests.lsp.helpers import CLEAN_INCIDENT, INCIDENT, make_workspace

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs, /dev/zero and /proc")

FIXED = INCIDENT.replace("😀 bad", "HIGH").replace("WHATEVER", "FIXING")
PEAK_KB = 1024 * 1024
"""The server's peak resident set may not pass 1 GB (it is about 100 MB here)."""

DEPTH = 1_100
"""Deeper than Python's default recursion limit (1,000)."""


@pytest.fixture
def server(tmp_path: Path):
    running = StdioServer(tmp_path)
    yield running
    running.close()


def still_checking(server: StdioServer, uri: str, version: int) -> None:
    server.change(uri, version, FIXED if version % 2 == 0 else INCIDENT)
    assert len(server.diagnostics(uri, version)) == (0 if version % 2 == 0 else 2)


def test_a_fifo_named_like_a_document_is_not_read(server, tmp_path: Path):
    root = make_workspace(tmp_path / "ws")
    fifo = root / "incidents" / "pipe.md"
    os.mkfifo(fifo)
    (root / "incidents" / "zero.md").symlink_to("/dev/zero")
    server.initialize(root)
    assert server.log_message("workspace index ready") == "workspace index ready: 1 documents"
    uri = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    server.diagnostics(uri, 1)
    for name in ("pipe.md", "zero.md"):
        target = (root / "incidents" / name).as_uri()
        server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": target, "type": 2}]})
        server.notify("textDocument/didSave", {"textDocument": {"uri": target}})
    still_checking(server, uri, 2)


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_requests_about_files_never_opened_read_nothing(server, tmp_path: Path, target: str):
    root = make_workspace(tmp_path / "ws")
    if target == "fifo":
        os.mkfifo(root / "incidents" / "pipe.md")
        uri = (root / "incidents" / "pipe.md").as_uri()
    else:
        uri = Path(target).as_uri()
    server.initialize(root)
    opened = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    server.diagnostics(opened, 1)
    document = {"textDocument": {"uri": uri}}
    position = dict(document, position={"line": 0, "character": 0})
    requests = [("textDocument/hover", position), ("textDocument/completion", position),
                ("textDocument/definition", position), ("textDocument/documentSymbol", document),
                ("textDocument/codeLens", document), ("textDocument/diagnostic", document),
                ("textDocument/codeAction", dict(document, range={"start": position["position"],
                                                                  "end": position["position"]},
                                                 context={"diagnostics": []}))]
    for method, params in requests:
        answer = server.request(method, params)
        assert "error" not in answer, (method, answer["error"])
    assert server.status("VmHWM") < PEAK_KB
    still_checking(server, opened, 2)


def test_a_fifo_where_the_configuration_goes_is_not_read(server, tmp_path: Path):
    """No configuration: the built-in pack applies, and a waiver action would edit `.policy.yaml`."""
    root = tmp_path / "ws"
    (root / "incidents").mkdir(parents=True)
    os.mkfifo(root / ".policy.yaml")
    server.initialize(root)
    uri = server.open(root / "incidents" / "INC-7.md", INCIDENT)
    diagnostics = server.diagnostics(uri, 1)
    assert diagnostics
    answer = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
        "context": {"diagnostics": diagnostics[:1]}})
    assert "error" not in answer and answer["result"], answer
    server.change(uri, 2, FIXED)
    server.diagnostics(uri, 2)  # the built-in pack's findings: the server still checks


@pytest.fixture
def deep_folder(tmp_path: Path):
    """tmp_path/ws/deep/d/d/.../d (DEPTH folders) holding a note; removed bottom-up afterwards
    (shutil.rmtree recurses too)."""
    top = tmp_path / "ws" / "deep"
    top.mkdir(parents=True)
    descriptor = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(DEPTH):
        os.mkdir("d", dir_fd=descriptor)
        inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=descriptor)
        os.close(descriptor)
        descriptor = inner
    note = os.open("note.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
    os.write(note, b"# A note\n")
    os.close(note)
    os.close(descriptor)
    yield top
    folder = str(top) + "/d" * DEPTH
    os.unlink(folder + "/note.md")
    while folder != str(top):
        os.rmdir(folder)
        folder = folder[:-2]


def test_a_folder_tree_deeper_than_the_recursion_limit_is_indexed(server, tmp_path: Path, deep_folder: Path):
    """Indexing fails on no tree: rules that read other documents run once the index is ready."""
    root = make_workspace(tmp_path / "ws")
    server.initialize(root)
    assert server.log_message("workspace index ready") == "workspace index ready: 1 documents"
    uri = server.open(root / "incidents" / "INC-1-again.md", CLEAN_INCIDENT)
    diagnostics = server.diagnostics(uri, 1)
    if not diagnostics:  # checked before the index was ready: checked again when it is
        diagnostics = server.diagnostics(uri, 1)
    assert [d["code"] for d in diagnostics] == ["T003"]
