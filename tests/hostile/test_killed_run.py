"""A run killed in the middle (CI cancelling a job, an editor stopping a check) leaves no worker
process behind: its extraction and judging workers end with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


def _group(group: int) -> list:
    """The ids of the live processes in a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:  # state, then ppid, then pgrp
            members.append(int(entry.name))
    return members


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("phase", ["extracting", "judging"])
def test_no_worker_outlives_a_killed_run(phase: str, tmp_path: Path):
    folder = tmp_path / "repo"
    corpus.write_history(folder, 600)
    (folder / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if phase == "judging":  # extracted already: the workers a run starts are its judges
        subprocess.run([POLICY_COMMAND, "check", ".", "--fail-on", "never"], cwd=folder, env=environment,
                       capture_output=True, timeout=300, check=True)
        environment["HOTFIX_POLICY_NO_CACHE"] = ""
        for entry in (tmp_path / "cache" / "hotfix-policy" / "runs").glob("*.json"):
            entry.unlink()  # the run's entry: this run judges
    run = subprocess.Popen([POLICY_COMMAND, "check", ".", "--fail-on", "never"], cwd=folder, env=environment,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert _until(lambda: len(_group(run.pid)) >= 3, 60), "the run started no workers"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        assert _until(lambda: not _group(run.pid), 10), f"left behind: {_group(run.pid)}"
    finally:
        for member in _group(run.pid):
            os.kill(member, signal.SIGKILL)
