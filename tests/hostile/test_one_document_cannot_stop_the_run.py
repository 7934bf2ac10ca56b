"""A value that does not convert is SCHEMA001 on its document, and the run goes on: durations and
offsets out of range, numbers beyond Python's conversion limits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND

DECLARED = "# INC-{n}: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nDeclared: 2026-11-20 10:00\n"
BAD = {
    "duration.md": DECLARED.format(n=5) + "\n## Resolution\n\nINCIDENT RESOLVED - 2026-11-20T11:00Z\n"
                   "Duration: 99999999999h\n",
    "clock-duration.md": DECLARED.format(n=6) + "\n## Resolution\n\nINCIDENT RESOLVED - 2026-11-20T11:00Z\n"
                         f"Duration: {'9' * 5000}:00\n",
    "offset.md": '---\ntimezone: "+24:00"\n---\n' + DECLARED.format(n=7),
    "digits.md": f"---\nid: {'9' * 4301}\n---\n" + DECLARED.format(n=8),
}
EXPECTED = {"duration.md": (10, "Duration"), "clock-duration.md": (10, "Duration"), "offset.md": (2, "time zone")}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in BAD.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.md").write_text(DECLARED.format(n=9), encoding="utf-8")
    return tmp_path


def test_each_bad_value_is_a_finding_on_its_document_and_the_run_goes_on(folder: Path):
    done = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["documents"] == len(BAD) + 1
    for name, (line, words) in EXPECTED.items():
        assert any(f["rule"] == "SCHEMA001" and f["path"] == name and f["line"] == line and words in f["message"]
                   for f in report["findings"]), name
    assert any(f["path"] == "good.md" for f in report["findings"])


@pytest.mark.parametrize("name", BAD)
def test_explain_reads_each_bad_document(folder: Path, name: str):
    done = subprocess.run([POLICY_COMMAND, "explain", "INC001", name], cwd=folder, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
