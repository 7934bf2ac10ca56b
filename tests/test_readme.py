"""The README's `console` examples, pasted into bash in a scratch clone: each exits as the page
says and prints the lines the page shows (`tests/doc_examples.py` says how a page marks them)."""

from __future__ import annotations

import os
import shutil
import subprocess

from tests.conftest import REPO
from tests.doc_examples import Command, run_steps, steps

README = REPO / "README.md"


def test_readme_examples_run_as_shown(tmp_path):
    found = steps(README.read_text(encoding="utf-8"), files=False)
    assert len([s for s in found if isinstance(s, Command)]) >= 6
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "examples", clone / "examples")
    _commit(clone)  # a clone is a git work tree: the run reads the repository's facts too
    run_steps(found, clone, "README.md")


def test_a_pasted_regular_expression_keeps_its_backslashes():
    """The `policy eval` example with `\\.` once failed when pasted into bash: it runs as written."""
    readme = README.read_text(encoding="utf-8")
    [command] = [s for s in steps(readme, files=False) if isinstance(s, Command) and ".matches(" in s.text]
    assert "\\." in command.text and command.expected == ["true"]


def _commit(folder) -> None:
    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "scratch clone"]):
        subprocess.run(["git", *args], cwd=folder, check=True, env={**os.environ, **identity})
