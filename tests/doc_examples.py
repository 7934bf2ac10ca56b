"""Run a Markdown page's examples as a reader would paste them (README, docs/writing-policies.md).

What runs is marked by the page's own conventions, which a reader sees too:

* a ```` ```console ```` block holds commands after `$ `, each followed by lines of its expected
  output; a command ending in `# exits N` must exit with N, any other with 0. The expected lines
  must appear in the output in that order (other lines may come between: an excerpt shortened
  in the page, a line left out);
* with `files=True`, a fenced block right after a line ending in `` `path`: `` is that file's
  content, written before the next command runs.

Commands run through `bash -c` exactly as written, so quoting that works in a terminal is what
is tested; `policy` is the installed console script.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import POLICY_COMMAND

_FENCE = re.compile(r"^(`{3,})([\w-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
_FILE_LINE = re.compile(r"`([^`\s]+)`:[ \t]*$")
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


@dataclass
class Command:
    line: int                    # where the command is written in the page
    text: str
    status: int
    expected: list = field(default_factory=list)


@dataclass
class File:
    line: int
    path: str
    content: str


def steps(markdown: str, *, files: bool) -> list:
    """The page's commands and, with `files`, the files it asks to write, in page order."""
    found: list = []
    for match in _FENCE.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        language, body = match.group(2), match.group(3)
        if language == "console":
            found += _commands(body, line)
        elif files:
            before = markdown[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
            named = _FILE_LINE.search(before)
            if named:
                found.append(File(line, named.group(1), body))
    return found


def _commands(body: str, line: int) -> list:
    commands: list = []
    for offset, text in enumerate(body.splitlines()):
        if text.startswith("$ "):
            exits = _EXITS.search(text)
            commands.append(Command(line + 1 + offset, text[2:], int(exits.group(1)) if exits else 0))
        elif text.strip() and text.strip() != "..." and commands:
            commands[-1].expected.append(text.rstrip())
    return commands


def run_steps(found: list, folder: Path, page: str) -> None:
    """Write each file and run each command in `folder`; assert each command's exit status and output."""
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100",
                   "PATH": str(Path(POLICY_COMMAND).parent) + os.pathsep + os.environ.get("PATH", "")}
    environment.pop("GITHUB_EVENT_PATH", None)
    environment.pop("GITHUB_EVENT_NAME", None)
    for step in found:
        if isinstance(step, File):
            target = folder / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.content, encoding="utf-8")
            continue
        result = subprocess.run(["bash", "-c", step.text], cwd=folder, env=environment, capture_output=True,
                                text=True, timeout=300)
        output = (result.stdout + result.stderr).splitlines()
        where = f"{page}:{step.line}: `{step.text}`"
        assert result.returncode == step.status, f"{where} exited {result.returncode}:\n" + "\n".join(output)
        _assert_in_order(step.expected, [line.rstrip() for line in output], where)


def _assert_in_order(expected: list, output: list, where: str) -> None:
    position = 0
    for line in expected:
        try:
            position = output.index(line, position) + 1
        except ValueError:
            raise AssertionError(f"{where}: expected the line\n    {line}\nafter line {position} of the output:\n"
                                 + "\n".join(output)) from None
