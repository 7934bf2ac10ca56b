"""`policy check --format sarif|junit|json` on a repository with a hotfix merge and an annotated
tag, as CI runs it: findings about commits and tags have no Markdown file, yet code scanning
places them at the incident record they name; what it cannot place stays out of SARIF and in
the other formats; and every output passes its consumer's schema."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND, REPO
from tests.documents.test_git import HOTFIX_COMMIT, Repo

from .consumers import check_json, check_junit, check_sarif

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EXAMPLES = REPO / "examples"
CONFIG = "packs: [builtin:hotfix]\ndata: {admins: [ops-lead]}\nclock: 2026-11-26T12:00:00Z\n"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A team's repository: incident records, a hotfix branch merged into main with `--no-ff`,
    an annotated tag on the merge (a bare one: TAG001), a second hotfix commit naming an
    incident with no record, and the PR's event file beside the checkout, as on a runner."""
    root = tmp_path_factory.mktemp("runner")
    (root / "shop").mkdir()
    repo = Repo(root / "shop")
    path = repo.path
    (path / "incidents").mkdir()
    for name in ("INC-2041.md", "INC-2042.md"):
        shutil.copy(EXAMPLES / "incidents" / name, path / "incidents" / name)
    (path / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    repo("add", "-A")
    repo("commit", "-q", "-m", "initial")
    repo("tag", "-a", "v1.2.0", "-m", "Release v1.2.0")
    repo("checkout", "-q", "-b", "hotfix/v1.2.1-null-currency")
    repo.commit("fix.py", HOTFIX_COMMIT.replace("Solution: default it\n", ""))
    repo.commit("fix2.py", "hotfix(api): retry the card call\n\nIncident: #9999")
    repo("checkout", "-q", "main")
    repo("merge", "-q", "--no-ff", "hotfix/v1.2.1-null-currency", "-m", "Merge branch 'hotfix/v1.2.1-null-currency'")
    repo("tag", "-a", "v1.2.1", "-m", "Hotfix v1.2.1: default a null currency\n\nIncident: #2041")
    shutil.copy(EXAMPLES / "github" / "event.json", root / "event.json")
    return path


def check(checkout: Path, fmt: str, *more: str, cwd: Path | None = None) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run([POLICY_COMMAND, "check", "--commits", "v1.2.0..main", "--tags", "v*",
                             "--github-event", str(checkout.parent / "event.json"), "--format", fmt, *more],
                            cwd=cwd or checkout, capture_output=True, text=True, timeout=300, env=environment)
    assert result.returncode == 1, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def findings(checkout) -> list:
    return check_json(check(checkout, "json"))["findings"]


def test_the_run_has_findings_without_a_markdown_file(findings):
    kinds = {f["kind"] for f in findings}
    assert {"commit", "tag", "pull_request", "repository", "incident"} <= kinds
    assert {f["rule"] for f in findings if f["kind"] == "tag"} == {"TAG001"}


def commit_named(checkout: Path, subject: str) -> str:
    log = subprocess.run(["git", "log", "--all", "--format=%H %s"], cwd=checkout, capture_output=True, text=True,
                         check=True).stdout
    return next(f"commit:{line.split()[0]}" for line in log.splitlines() if line.split(" ", 1)[1] == subject)


def test_sarif_places_commits_and_tags_at_their_incident_records(checkout, findings, standards):
    sarif = check_sarif(check(checkout, "sarif"), checkout)
    results = sarif["runs"][0]["results"]
    at_records = {location["logicalLocations"][0]["fullyQualifiedName"]: location["physicalLocation"]
                  for result in results for location in result["locations"] if "logicalLocations" in location}
    hotfix = commit_named(checkout, "hotfix(payments): default a null currency")      # Incident: #2041
    orphan = commit_named(checkout, "hotfix(api): retry the card call")               # Incident: #9999
    assert {f["path"] for f in findings if f["kind"] == "commit"} == {hotfix, orphan}
    assert set(at_records) == {hotfix, "tag:v1.2.1"}
    record = (checkout / "incidents" / "INC-2041.md").read_text(encoding="utf-8").splitlines()
    for physical in at_records.values():
        assert physical["artifactLocation"]["uri"] == "incidents/INC-2041.md"
        region = physical["region"]
        assert record[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1] == "2041"
    # What code scanning cannot place stays out: the commit naming no record, the repository and
    # the PR body read from the event file (the other formats carry them).
    placed = [f for f in findings if f["kind"] == "incident" or f["path"] in at_records]
    assert len(results) == len(placed) < len(findings)
    assert sorted(r["ruleId"] for r in results) == sorted(f["rule"] for f in placed)


def test_sarif_paths_are_relative_to_the_checkout_from_any_folder(checkout):
    from_root = check_sarif(check(checkout, "sarif"), checkout)
    from_below = check_sarif(check(checkout, "sarif", "..", cwd=checkout / "incidents"), checkout)
    assert from_below == from_root


def test_junit_names_every_document_whatever_its_findings(checkout, findings, standards):
    root = check_junit(check(checkout, "junit"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert {"pr:318", "repository", "tag:v1.2.0", "tag:v1.2.1", "incidents/INC-2042.md", ".policy.yaml"} <= set(cases)
    assert all(not name.startswith("/") and str(checkout) not in name for name in cases)
    commits = sorted(name for name in cases if name.startswith("commit:"))
    assert len(commits) == 2 and all(cases[name].get("classname") == "hotfix-policy.commit" for name in commits)
    pr = cases["pr:318"].find("failure")
    pr_findings = [f for f in findings if f["kind"] == "pull_request" and f["severity"] != "info" and not f["waived"]]
    assert pr.text.count("\n\n") == len(pr_findings) - 1
    assert all(f"{f['rule']} " in pr.text for f in pr_findings)
