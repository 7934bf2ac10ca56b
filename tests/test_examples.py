"""The bundled example: what the README's first command shows is what `policy check` finds."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import POLICY_COMMAND, REPO

COMMAND = ["check", "examples", "--github-event", "examples/github/event.json", "--reviews",
           "examples/github/reviews.json", "--changed-files", "examples/github/changed-files.txt"]


def test_example_findings_match_the_readme():
    result = subprocess.run([POLICY_COMMAND, *COMMAND, "--format", "json"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    found = [(f["path"], f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("examples/github/event.json", 1, "PR014"),
        ("examples/github/event.json", 16, "PR006"),
        ("examples/github/event.json", 32, "PR011"),
        ("examples/incidents/INC-2042.md", 23, "INC006"),
        ("examples/incidents/INC-2042.md", 46, "INC010"),
        ("examples/incidents/INC-2042.md", 46, "INC006"),
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert " ".join(["policy", *COMMAND]) in readme.splitlines()[7]
    text = subprocess.run([POLICY_COMMAND, *COMMAND], cwd=REPO, capture_output=True, text=True,
                          timeout=120).stdout
    assert text.splitlines()[-1] in readme  # the summary line the README shows
