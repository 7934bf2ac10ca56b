"""The files a run reads, under attack: a link loop, a link out of the repository, a device that
never ends, a folder that cannot be listed, a file that cannot be read. Each is a located line
and exit 2 when named on the command line, or DOC003 on that path; never a traceback, never a
silent skip, never a byte read from outside the run's root unless asked."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine import files
from hotfix_policy.engine.documents.discovery import DocumentGlobs
from hotfix_policy.engine.policy import document_files
from tests.conftest import POLICY_COMMAND

RECORD = "# INC-1: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
CONFIG = "documents:\n  incident: ['incidents/*.md']\n"


def _policy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "incidents" / "INC-1.md").write_text(RECORD, encoding="utf-8")
    secret = tmp_path / "outside.md"
    secret.write_text("root:x:0:0:outside-the-repository\n", encoding="utf-8")
    (root / "incidents" / "passwd.md").symlink_to(secret)
    return root


def test_a_link_out_of_the_root_is_doc003_and_never_read(repository: Path):
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    (finding,) = [f for f in report["findings"] if f["path"] == "incidents/passwd.md"]
    assert finding["rule"] == "DOC003" and "outside the run's root" in finding["message"]
    assert "outside-the-repository" not in done.stdout
    followed = _policy(repository, "check", "incidents", "--follow-outside-links")
    assert "outside-the-repository" in followed.stdout


def test_a_link_inside_the_root_is_read(repository: Path):
    (repository / "incidents" / "alias.md").symlink_to(repository / "incidents" / "INC-1.md")
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert not any(f["rule"] == "DOC003" and f["path"] == "incidents/alias.md"
                   for f in json.loads(done.stdout)["findings"])


def test_a_link_loop_named_on_the_command_line_is_one_line(repository: Path):
    (repository / "a").symlink_to(repository / "b")
    (repository / "b").symlink_to(repository / "a")
    done = _policy(repository, "check", "a")
    assert (done.returncode, done.stderr) == (2, "policy check: a: a loop of symbolic links\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [["check", "/dev/zero"], ["validate", "/dev/zero"], ["eval", "1", "--vars", "/dev/zero"]])
def test_a_device_is_refused_without_reading_it(command, repository: Path):
    done = _policy(repository, *command)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_as_a_document_or_a_policy_is_refused_without_reading_it(repository: Path):
    parsed = _policy(repository, "parse", "/dev/zero")
    assert (parsed.returncode, parsed.stderr) == (2, "policy parse: /dev/zero: not a regular file\n")
    (repository / "strange.yaml").write_text("policies: [/dev/zero]\n", encoding="utf-8")
    checked = _policy(repository, "check", "incidents", "--config", "strange.yaml")
    assert checked.returncode == 2 and "/dev/zero" in checked.stderr and "not a regular file" in checked.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_document_does_not_block_the_run(repository: Path):
    os.mkfifo(repository / "incidents" / "INC-9.md")
    done = _policy(repository, "check", "incidents", "--format", "json")
    (finding,) = [f for f in json.loads(done.stdout)["findings"] if f["path"] == "incidents/INC-9.md"]
    assert finding["rule"] == "DOC003" and "not a regular file" in finding["message"]


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(repository: Path):
    levels = [repository / "incidents"]
    for _ in range(1_200):  # one level at a time: pathlib's and os's own mkdir recurse
        levels.append(levels[-1] / "d")
        os.mkdir(levels[-1])
    (levels[-1] / "INC-2.md").write_text(RECORD.replace("INC-1", "INC-2"), encoding="utf-8")
    try:
        done = _policy(repository, "check", "incidents", "--format", "json")
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert any(f["path"].endswith("/d/INC-2.md") for f in json.loads(done.stdout)["findings"])
    finally:  # bottom up: pytest's own clean-up of old temporary folders recurses and would fail
        (levels[-1] / "INC-2.md").unlink()
        for level in reversed(levels[1:]):
            os.rmdir(level)


def test_a_folder_that_cannot_be_listed_is_doc003_not_skipped(repository: Path, monkeypatch):
    locked = repository / "incidents" / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(document_files.candidate_files([str(repository / "incidents")], DocumentGlobs(), repository))
    assert ("locked", "cannot list folder: Permission denied") in [(Path(c.path).name, c.problem) for c in found]


def test_a_named_file_that_cannot_be_read_is_doc003(repository: Path, monkeypatch):
    from hotfix_policy.engine.policy.config import Config
    from hotfix_policy.engine.policy.inputs import RunInputs, collect_documents

    target = str(repository / "incidents" / "INC-1.md")
    real_open = os.open

    def guarded_open(file, *args, **kwargs):
        if str(file) == target:
            raise PermissionError(13, "Permission denied", target)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    (document,) = collect_documents(RunInputs(paths=[target]), Config(directory=repository))
    assert [(f.rule, f.message) for f in document.findings] == [("DOC003", "cannot read file: Permission denied")]


@pytest.mark.parametrize("limit", [9_999, 10_000, 20_000])
def test_what_a_pipe_or_a_file_holds_is_read_whole_up_to_the_limit(limit: int, tmp_path: Path, monkeypatch):
    """A pipe says it holds 0 bytes and a file may grow after its size is read: that size only
    sizes the first read; the limit alone decides."""
    content = bytes(range(256)) * 39 + b"0123456789abcdef"  # 10,000 bytes
    reader, writer = os.pipe()
    os.write(writer, content)
    os.close(writer)
    file = tmp_path / "held.md"
    file.write_bytes(content)
    grown = tmp_path / "grown.md"
    grown.write_bytes(content[:10])
    real_fstat, grown_inode = os.fstat, grown.stat().st_ino

    def grows_after_its_size_is_read(descriptor):
        info = real_fstat(descriptor)
        if info.st_ino == grown_inode:
            grown.write_bytes(content)
        return info

    monkeypatch.setattr(os, "fstat", grows_after_its_size_is_read)
    for source in (reader, file, grown):
        if limit < len(content):
            with pytest.raises(files.FileTooLarge):
                files.read_bounded(source, limit)
        else:
            assert files.read_bounded(source, limit) == content
