"""`policy check FILE` and `policy explain RULE FILE` judge a named file with every document under
the run's root as context (`docs`), and agree: an incident record whose review sits beside it
has a review, whether the whole repository or the record alone is checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND, REPO

CONFIG = "packs: [builtin:hotfix]\ndata: {admins: [ops-lead]}\nclock: 2026-11-26T12:00:00Z\n"
NO_REVIEW = "No post-incident review"


def policy(*args, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=environment)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team repository: a resolved incident (INC-2041) and its review, in separate folders."""
    root = tmp_path / "team"
    (root / "incidents").mkdir(parents=True)
    (root / "reviews").mkdir()
    shutil.copy(REPO / "examples" / "incidents" / "INC-2041.md", root / "incidents" / "INC-2041.md")
    shutil.copy(REPO / "examples" / "reviews" / "PIR-2041.md", root / "reviews" / "PIR-2041.md")
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def test_a_record_checked_alone_sees_its_review(team):
    whole = policy("check", ".", cwd=team)
    alone = policy("check", "incidents/INC-2041.md", cwd=team)
    assert whole.returncode == alone.returncode == 0, alone.stdout + alone.stderr
    assert NO_REVIEW not in alone.stdout
    assert alone.stdout.splitlines()[-1] == "No findings in 1 document, 1 other as context"
    assert whole.stdout.splitlines()[-1] == "No findings in 2 documents"  # nothing left over as context
    from_below = policy("check", "INC-2041.md", cwd=team / "incidents")  # the root is the config's folder
    assert from_below.stdout.splitlines()[-1] == "No findings in 1 document, 1 other as context"


def test_explain_agrees_with_check_and_says_what_was_context(team):
    (team / "reviews" / "PIR-2041.md").unlink()
    checked = policy("check", "incidents/INC-2041.md", cwd=team)
    explained = policy("explain", "INC015", "incidents/INC-2041.md", cwd=team)
    assert NO_REVIEW in checked.stdout
    assert "result: FAILED" in explained.stdout
    assert "0 documents read as context" in explained.stdout
    shutil.copy(REPO / "examples" / "reviews" / "PIR-2041.md", team / "reviews" / "PIR-2041.md")
    explained = policy("explain", "INC015", "incidents/INC-2041.md", cwd=team)
    assert "result: passed" in explained.stdout
    assert "1 document read as context (`docs`), as `policy check incidents/INC-2041.md` reads them" \
        in explained.stdout


def test_findings_about_context_documents_are_not_reported(team):
    review = team / "reviews" / "PIR-2041.md"
    review.write_text(review.read_text(encoding="utf-8").replace("## Root Cause Analysis", "## Notes"),
                      encoding="utf-8")
    assert any(f["path"] == "reviews/PIR-2041.md" for f in _findings(team, "."))
    alone = policy("check", "incidents/INC-2041.md", "--format", "json", cwd=team)
    report = json.loads(alone.stdout)
    assert {f["path"] for f in report["findings"]} <= {"incidents/INC-2041.md"}
    assert report["summary"]["documents"] == 1 and report["summary"]["context"] == 1


def test_an_unused_waiver_is_not_judged_on_a_partial_run(team):
    (team / ".policy.yaml").write_text(CONFIG + "waivers:\n  - {rules: [PIR001], documents: [PIR-2041], "
                                       "justification: known, approved_by: ops-lead, expires: 2026-12-31}\n",
                                       encoding="utf-8")
    assert "WVR002" in {f["rule"] for f in _findings(team, ".")}
    assert "WVR002" not in {f["rule"] for f in _findings(team, "incidents/INC-2041.md")}


def test_context_obeys_the_root(team, tmp_path):
    """A link out of the root is not read as context, as it would not be read as a document."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (team / "reviews" / "PIR-2041.md").rename(outside / "PIR-2041.md")
    (team / "reviews" / "PIR-2041.md").symlink_to(outside / "PIR-2041.md")
    alone = policy("check", "incidents/INC-2041.md", cwd=team)
    assert NO_REVIEW in alone.stdout
    assert alone.stdout.splitlines()[-1].endswith("in 1 document")


def test_sarif_paths_are_relative_to_the_root_from_a_subfolder(team):
    """Code scanning reads SARIF paths from the repository's root: without git, the run's root."""
    (team / ".policy.yaml").write_text(CONFIG + "waivers:\n  - {rules: [PIR001], documents: [PIR-2041], "
                                       "justification: known, approved_by: ops-lead, expires: 2026-12-31}\n",
                                       encoding="utf-8")
    result = policy("check", "..", "--format", "sarif", cwd=team / "incidents")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(result.stdout)["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {".policy.yaml"}


def _findings(root: Path, *paths: str) -> list:
    result = policy("check", *paths, "--format", "json", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("fmt, shown", [
    ("text", "../.policy.yaml:5:5: warning WVR002"),
    ("json", '"path": "../.policy.yaml"'),
    ("github", "::warning file=.policy.yaml,line=5"),  # GitHub places it from the root, as SARIF
    ("junit", '<testcase name="../.policy.yaml" classname="hotfix-policy.config">'),
])
def test_paths_are_relative_to_the_working_directory_in_every_format(team, fmt, shown):
    """From a subfolder, the configuration's findings name it as the documents are named (SARIF's
    and the annotations' paths are relative to the checkout's root instead, as GitHub reads them)."""
    (team / ".policy.yaml").write_text(CONFIG + "waivers:\n  - {rules: [PIR001], documents: [PIR-2041], "
                                       "justification: known, approved_by: ops-lead, expires: 2026-12-31}\n",
                                       encoding="utf-8")
    result = policy("check", "..", "--format", fmt, cwd=team / "incidents")
    assert shown in result.stdout
    assert str(team) not in result.stdout
