"""The progress bar: drawn only on a terminal and only for long runs, and cleared at the end."""

from __future__ import annotations

import io

from hotfix_policy.cli.commands.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_drawn_on_a_terminal_for_long_runs():
    stream = Terminal()
    progress = Progress(stream)
    progress.start("checking", 500)
    for _ in range(500):
        progress.advance()
    progress.close()
    assert "checking [##############################] 500/500" in stream.getvalue()
    assert stream.getvalue().endswith("\r")


def test_silent_when_piped_or_short():
    piped = io.StringIO()
    progress = Progress(piped)
    progress.start("reading", 5000)
    progress.advance(5000)
    assert piped.getvalue() == ""
    short = Terminal()
    progress = Progress(short)
    progress.start("reading", 10)
    progress.advance(10)
    progress.close()
    assert short.getvalue() == ""
