"""The pre-commit hooks (.pre-commit-hooks.yaml) run by pre-commit itself on a fixture repository.

`pre-commit try-repo` installs the hook repository with pip as a user's pre-commit would. The
hook repository is a snapshot of this working tree (the files a pip install needs, committed to
a temp git repository), so uncommitted and untracked changes are what gets tested. The fixture
repository uses the built-in pack with a `.policy.yaml` that pins the clock. The hooks run the
`policy` console script, which never imports the checked repository's code: the first test adds
the hostile modules of `tests/launchers/hostile.py` to it. pre-commit itself is run through its
console script for the same reason (the git hook `pre-commit install` writes, though, runs
`python -mpre_commit` in the repository, which would import them: pre-commit's own launcher).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.launchers.hostile import markers_written, plant

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit, in the [test] extra)")

EXAMPLES = REPO / "examples"
GIT_IDENTITY = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "-c", "init.defaultBranch=main",
                "-c", "commit.gpgsign=false"]

HOOKS = ("policy-check", "policy-validate", "policy-test", "policy-commit-msg")
PRE_COMMIT = shutil.which("pre-commit", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                              os.environ.get("PATH", "")]))

TEAM_POLICY = """apiVersion: policy/v1
kind: Policy
metadata: {name: team-incident, description: The team's own incident rule.}
spec:
  appliesTo: incident
  rules:
    - id: TEAM001
      severity: error
      expression: "has(doc.commander)"
      message: "The incident names no Commander"
"""

TEAM_POLICY_TEST = """apiVersion: policy/v1
kind: PolicyTest
cases:
  - name: a commander
    documents:
      INC-7.md: |
        # INC-7: Checkout down
        Severity: HIGH
        Commander: @dana-k
        Declared: 2026-11-20T09:10Z
    expect: {INC-7.md: []}
"""

# The example commit, naming the project's incident: the hook reads the repository's records as
# context, and CMT003 holds a commit to name one of them.
GOOD_HOTFIX_MESSAGE = (EXAMPLES / "commits" / "hotfix-2042.txt").read_text(encoding="utf-8").replace("#2042", "#2041")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=_git_env())
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _git_env() -> dict:
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This working tree (tracked and untracked files, not ignored ones), committed in a temp repository."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in git(REPO, "ls-files", "--cached", "--others", "--exclude-standard").splitlines():
        if (REPO / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / name, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-qm", "hooks")
    return snapshot


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path, hook_repo) -> Path:
    """A team's repository: a good incident record and its review, the pack's defaults, a
    policy of its own with its test, and a .pre-commit-config.yaml naming every hook."""
    root = tmp_path / "project"
    (root / "incidents").mkdir(parents=True)
    (root / "reviews").mkdir()
    shutil.copy(EXAMPLES / "incidents" / "INC-2041.md", root / "incidents")
    shutil.copy(EXAMPLES / "reviews" / "PIR-2041.md", root / "reviews")
    (root / "README.md").write_text("# Operations\n\nIncident records live in incidents/.\n", encoding="utf-8")
    (root / ".policy.yaml").write_text("# The built-in pack; the clock pinned for the test.\n"
                                       "clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    (root / "policies" / "tests").mkdir(parents=True)
    (root / "policies" / "team.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    (root / "policies" / "tests" / "team.yaml").write_text(TEAM_POLICY_TEST, encoding="utf-8")
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOKS)
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {git(hook_repo, 'rev-parse', 'HEAD')}\n    hooks:\n{hooks}",
        encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "records")
    return root


def pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(_git_env(), PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    assert PRE_COMMIT, "pre-commit is installed as a module but its command is not"
    return subprocess.run([PRE_COMMIT, *args], cwd=project, capture_output=True, text=True, timeout=600, env=env)


def run_hook(project: Path, home: Path, hook: str, *args: str) -> subprocess.CompletedProcess:
    """`pre-commit run HOOK` with the project's config: installed once per PRE_COMMIT_HOME."""
    return pre_commit(project, home, "run", hook, *args)


def try_repo(project: Path, home: Path, hook_repo: Path, hook: str, *args: str) -> subprocess.CompletedProcess:
    return pre_commit(project, home, "try-repo", str(hook_repo), hook, *args)


def test_policy_check_passes_a_good_record_and_fails_a_bad_one(project, pre_commit_home, hook_repo):
    plant(project, project.parent / "markers")     # untracked: the hook checks the folder anyway
    good = try_repo(project, pre_commit_home, hook_repo, "policy-check", "--all-files")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "hotfix policy check" in good.stdout and "Passed" in good.stdout

    record = project / "incidents" / "INC-2041.md"
    record.write_text(record.read_text(encoding="utf-8").replace("Severity: CRITICAL", "Severity: SEVERE"),
                      encoding="utf-8")
    git(project, "add", "incidents/INC-2041.md")
    bad = try_repo(project, pre_commit_home, hook_repo, "policy-check")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "incidents/INC-2041.md:7:11: error INC001 Severity 'SEVERE' is not a level" in bad.stdout
    assert markers_written(project.parent / "markers") == []


def test_every_hook_runs_the_policy_console_script():
    """Never `python -m`/`-c`, which would put the repository being checked first on sys.path."""
    hooks = load_hooks()
    assert [hook["id"] for hook in hooks] == list(HOOKS)
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "policy", hook


def load_hooks() -> list:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_policy_check_sees_the_review_of_a_changed_record(project, pre_commit_home, hook_repo):
    """Only the record is staged and judged; its review (unchanged) is read as context: no INC015."""
    record = project / "incidents" / "INC-2041.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(project, "add", "incidents/INC-2041.md")
    result = run_hook(project, pre_commit_home, "policy-check", "--verbose")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INC015" not in result.stdout and "No findings in 1 document, 1 other as context" in result.stdout


def test_policy_validate_on_changed_config(project, pre_commit_home, hook_repo):
    config = project / ".policy.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rules: {INC999: off}\n", encoding="utf-8")
    git(project, "add", ".policy.yaml")
    bad = run_hook(project, pre_commit_home, "policy-validate")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "INC999" in bad.stdout

    config.write_text(config.read_text(encoding="utf-8").replace("INC999", "INC006"), encoding="utf-8")
    git(project, "add", ".policy.yaml")
    good = run_hook(project, pre_commit_home, "policy-validate")
    assert good.returncode == 0, good.stdout + good.stderr


def _write_message(project: Path, text: str) -> str:
    message = project / ".git" / "COMMIT_EDITMSG"
    message.write_text(text + "\n# Please enter the commit message for your changes. Lines starting\n"
                              "# with '#' will be ignored.\n", encoding="utf-8")
    return ".git/COMMIT_EDITMSG"


def test_commit_msg_hook_judges_hotfix_branches_only(project, pre_commit_home, hook_repo):
    def commit_msg(text: str) -> subprocess.CompletedProcess:
        path = _write_message(project, text)
        return try_repo(project, pre_commit_home, hook_repo, "policy-commit-msg",
                        "--hook-stage", "commit-msg", "--commit-msg-filename", path)

    git(project, "checkout", "-q", "-b", "hotfix/v3.14.2-currency-rounding")
    rejected = commit_msg("Fix rounding")
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert "CMT001 Commit header \"Fix rounding\" does not follow" in rejected.stdout
    assert "CMT002 The commit body lacks" in rejected.stdout

    git(project, "checkout", "-q", "-b", "feature/rounding-docs", "main")
    anything = commit_msg("wip")
    assert anything.returncode == 0, anything.stdout + anything.stderr


def test_installed_commit_msg_hook_blocks_git_commit(project, pre_commit_home, hook_repo):
    """The hook as a team installs it (`pre-commit install --hook-type commit-msg`), then git
    commit: a bad hotfix message leaves no commit, the template's message is committed."""
    installed = pre_commit(project, pre_commit_home, "install", "--hook-type", "commit-msg")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    env = dict(_git_env(), PRE_COMMIT_HOME=str(pre_commit_home), PRE_COMMIT_COLOR="never")
    git(project, "checkout", "-q", "-b", "hotfix/v3.14.2-currency-rounding")
    (project / "fix.txt").write_text("fix\n", encoding="utf-8")
    git(project, "add", "fix.txt")

    def commit(message: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *GIT_IDENTITY, "commit", "-q", "-m", message], cwd=project,
                              capture_output=True, text=True, timeout=600, env=env)

    blocked = commit("Fix rounding")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "CMT001" in blocked.stdout + blocked.stderr
    assert git(project, "log", "-1", "--format=%s") == "records"
    allowed = commit(GOOD_HOTFIX_MESSAGE)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert git(project, "log", "-1", "--format=%s") == "hotfix(search): repoint the products index alias"


def test_policy_test_runs_the_team_policies_tests(project, pre_commit_home):
    test_file = project / "policies" / "tests" / "team.yaml"
    passing = run_hook(project, pre_commit_home, "policy-test", "--files", "policies/tests/team.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "hotfix policy test" in passing.stdout and "Passed" in passing.stdout

    test_file.write_text(test_file.read_text(encoding="utf-8").replace("Commander: @dana-k", "Issue: x"),
                         encoding="utf-8")
    failing = run_hook(project, pre_commit_home, "policy-test", "--files", "policies/tests/team.yaml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "INC-7.md: expected [], got ['TEAM001']" in failing.stdout and "0 passed, 1 failed" in failing.stdout

    skipped = run_hook(project, pre_commit_home, "policy-test", "--files", "incidents/INC-2041.md")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout
