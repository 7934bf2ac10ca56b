"""Work set aside while a command reports (`worker_processes.Aside`): done in a child process
where the platform forks, finished before the command exits, and silent when it fails."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from hotfix_policy.engine.worker_processes import Aside


def test_work_set_aside_is_done_by_the_time_wait_returns(tmp_path: Path):
    aside = Aside()
    written = tmp_path / "pid"
    aside.run(lambda: written.write_text(str(os.getpid()), encoding="utf-8"))
    aside.wait()
    assert written.exists()
    if hasattr(os, "fork"):  # in a child of its own, while the caller went on
        assert int(written.read_text(encoding="utf-8")) != os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the work is done at once, its errors the caller's")
def test_work_that_fails_in_a_child_is_skipped_silently(tmp_path: Path, capfd):
    aside = Aside()

    def fail() -> None:
        raise OSError("disk full")

    aside.run(fail)
    aside.run(lambda: (tmp_path / "after").write_text("", encoding="utf-8"))
    aside.wait()
    assert (tmp_path / "after").exists()
    assert capfd.readouterr().err == ""


def test_work_is_done_at_once_when_no_process_can_be_started(tmp_path: Path, monkeypatch):
    def no_process():
        raise BlockingIOError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_process, raising=False)
    aside = Aside()
    aside.run(lambda: (tmp_path / "done").write_text("", encoding="utf-8"))
    assert (tmp_path / "done").exists()  # before wait: done here
    aside.wait()


@pytest.mark.skipif(not hasattr(signal, "SIGCHLD"), reason="SIGCHLD is POSIX")
def test_waiting_for_a_child_the_kernel_reaped_is_no_error(tmp_path: Path):
    """Started by a process that ignores SIGCHLD, the command's children are reaped as they end."""
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        aside = Aside()
        aside.run(lambda: (tmp_path / "done").write_text("", encoding="utf-8"))
        aside.wait()
    finally:
        signal.signal(signal.SIGCHLD, before)
