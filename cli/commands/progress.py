"""A progress bar on stderr for long `policy check` runs, only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts work in phases ("reading", "checking") and redraws at most ten times a second."""

    MIN_TOTAL = 200  # shorter runs finish before a bar would help

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.phase, self.total, self.done, self._drawn = "", 0, 0, 0.0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, total, 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled or self.total < self.MIN_TOTAL:
            return
        now = time.monotonic()
        if now - self._drawn < 0.1 and self.done < self.total:
            return
        self._drawn = now
        width = 30
        filled = width * self.done // max(self.total, 1)
        self.stream.write(f"\r{self.phase:<8} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
