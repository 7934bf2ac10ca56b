"""PR descriptions kept in the repository (`.github/hotfix/*.md`) are judged against the run's
branch only when this branch changes them: after the merge, on main or on the next hotfix's
branch, they describe an earlier PR whose branch is gone (pull_request_scope.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND, REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONFIG = """packs: [builtin:hotfix]
documents:
  pull_request: [".github/hotfix/*.md"]
data: {admins: [ops-lead]}
clock: 2026-11-26T12:00:00Z
"""
BRANCH_RULES = {"PR001", "PR015"}


def git(root: Path, *args: str) -> str:
    environment = dict(os.environ, GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com",
                       GIT_COMMITTER_NAME="Dana", GIT_COMMITTER_EMAIL="dana@example.com",
                       GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=root, env=environment, check=True, capture_output=True,
                          text=True).stdout


def check(root: Path, *args: str) -> list:
    """(path, rule) of every finding of `policy check . ARGS` in `root`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json", *args], cwd=root,
                            capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"]]


def branch_findings(root: Path, *args: str) -> list:
    return sorted(finding for finding in check(root, *args) if finding[1] in BRANCH_RULES)


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    """A team repository on main after the hotfix of INC-2042 merged, its PR description kept."""
    root = tmp_path / "team"
    (root / "incidents").mkdir(parents=True)
    (root / ".github" / "hotfix").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "incidents" / "INC-2042.md", root / "incidents" / "INC-2042.md")
    event = json.loads((REPO / "examples" / "github" / "event.json").read_text(encoding="utf-8"))
    (root / ".github" / "hotfix" / "2042.md").write_text(event["pull_request"]["body"], encoding="utf-8")
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "INC-2042: record and PR description")
    return root


def test_on_main_after_the_merge_the_kept_description_is_not_judged_against_main(merged):
    assert branch_findings(merged) == []


def test_on_the_next_hotfix_branch_the_old_description_is_not_its_pull_request(merged):
    git(merged, "checkout", "-q", "-b", "hotfix/v3.13.3-other-fix")
    assert branch_findings(merged) == []


def test_the_description_this_branch_writes_is_judged_against_it(merged):
    git(merged, "checkout", "-q", "-b", "hotfix/fix-search")
    new = merged / ".github" / "hotfix" / "2043.md"
    new.write_text((merged / ".github" / "hotfix" / "2042.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert branch_findings(merged) == [(".github/hotfix/2043.md", "PR001"), (".github/hotfix/2043.md", "PR015")]
    git(merged, "add", "-A")
    git(merged, "commit", "-q", "-m", "PR description")  # committed on the branch: still this branch's change
    assert branch_findings(merged) == [(".github/hotfix/2043.md", "PR001"), (".github/hotfix/2043.md", "PR015")]


def test_the_changed_files_of_the_pull_request_decide_when_known(merged, tmp_path):
    git(merged, "checkout", "-q", "-b", "hotfix/fix-search")
    changed = tmp_path / "changed.txt"
    changed.write_text("src/search.py\n", encoding="utf-8")
    assert branch_findings(merged, "--changed-files", str(changed)) == []
    changed.write_text("src/search.py\n.github/hotfix/2042.md\n", encoding="utf-8")
    assert branch_findings(merged, "--changed-files", str(changed)) == [
        (".github/hotfix/2042.md", "PR001"), (".github/hotfix/2042.md", "PR015")]


def test_a_description_named_on_the_command_line_is_the_run_s(merged):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run([POLICY_COMMAND, "check", ".github/hotfix/2042.md", "--branch", "hotfix/fix-search"],
                            cwd=merged, capture_output=True, text=True, timeout=120, env=environment)
    assert "PR001 Head branch 'hotfix/fix-search'" in result.stdout


def test_the_main_branch_is_the_team_s(merged):
    (merged / ".policy.yaml").write_text(CONFIG.replace("admins: [ops-lead]", "admins: [ops-lead], main_branch: trunk"),
                                         encoding="utf-8")
    git(merged, "branch", "-m", "main", "trunk")
    git(merged, "checkout", "-q", "-b", "hotfix/v3.13.2-search-index-alias")
    new = merged / ".github" / "hotfix" / "2043.md"
    new.write_text((merged / ".github" / "hotfix" / "2042.md").read_text(encoding="utf-8"), encoding="utf-8")
    git(merged, "add", "-A")
    git(merged, "commit", "-q", "-m", "PR description")
    assert branch_findings(merged, "--base", "trunk") == []
    findings = branch_findings(merged, "--base", "main")
    assert findings == [(".github/hotfix/2043.md", "PR001")]
