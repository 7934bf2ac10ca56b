"""Values that never pass through a document's text (the head branch, labels, changed files,
the PR title, `--branch`) are scanned too: no message, excerpt or explanation repeats a secret
they carry, in any format."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from hotfix_policy.engine.report import FORMATS
from tests.conftest import POLICY_COMMAND, REPO

KEY = "AKIA" + "Z" * 16
TOKEN = "ghp_" + "Cd2" * 12


def test_a_secret_in_the_event_labels_changed_files_or_arguments_is_never_repeated(tmp_path: Path):
    event = json.loads((REPO / "examples" / "github" / "event.json").read_text(encoding="utf-8"))
    pull = event["pull_request"]
    pull["head"]["ref"] = f"hotfix/{KEY}"
    pull["title"] = f"Hotfix with {TOKEN}"
    pull["labels"].append({"name": f"leak-{TOKEN}"})
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")
    (tmp_path / "changed.txt").write_text(f"src/{KEY}.py\nsrc/pay.py\n", encoding="utf-8")
    runs = [["--format", fmt] for fmt in FORMATS] + [["--explain"], ["--branch", f"hotfix/v1.2.3-{TOKEN}"]]
    for extra in runs:
        done = subprocess.run([POLICY_COMMAND, "check", "--github-event", "event.json", "--changed-files",
                               "changed.txt", *extra], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        output = done.stdout + done.stderr
        assert done.returncode in (0, 1), output
        assert KEY not in output and TOKEN not in output, (extra, output)
        # the PR was judged: the masked values were there to quote (SARIF carries no PR-body finding)
        assert "PR0" in output or extra == ["--format", "sarif"]


def test_a_secret_typed_as_an_argument_is_not_repeated_in_the_error(tmp_path: Path):
    done = subprocess.run([POLICY_COMMAND, "check", "--now", TOKEN], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "--now" in done.stderr and TOKEN not in done.stderr, done.stderr
