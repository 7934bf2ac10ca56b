"""Worker processes end with the run that started them.

A large run extracts and judges in pools of worker processes that wait for work on a pipe. When
the run is killed (SIGKILL, a CI job cancelled, an editor stopping it), nothing closes that pipe
for them, since each forked worker holds its end too, and they would wait for ever. So each
worker watches its parent and exits when it is gone.
"""

from __future__ import annotations

import os
import threading
import time

_POLL_SECONDS = 0.5


def end_with_parent() -> None:
    """A pool's initializer: this worker exits within `_POLL_SECONDS` of its parent's end."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


class Aside:
    """Work a command does while it writes its report: in a forked child where the platform
    forks, else at once. The command waits for it before it exits (`wait`), so that nothing it
    started outlives it. A child's failure is silent, so the work must be something the command
    may skip (a cache entry)."""

    def __init__(self):
        self._children: list = []

    def run(self, job) -> None:
        try:
            pid = os.fork() if hasattr(os, "fork") else None
        except OSError:  # no process to spare (a container's limit, memory): the work is done here
            pid = None
        if pid is None:
            job()
            return
        if pid == 0:  # the child: the job, then out without the parent's exit handlers or buffers
            code = 1
            try:
                job()
                code = 0
            finally:
                os._exit(code)
        self._children.append(pid)

    def wait(self) -> None:
        for pid in self._children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # reaped already: SIGCHLD ignored by whoever started the command
                pass
        self._children.clear()
