"""Git: commits of a range, tags and repository facts, on throwaway repositories."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from hotfix_policy.engine.documents import commits, repository_facts, tags
from hotfix_policy.engine.documents.git import GitError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HOTFIX_COMMIT = """hotfix(payments): default a null currency

EMERGENCY FIX: card payments fail
Root Cause: null currency
Impact: all card payments
Solution: default it
Restores: checkout
Urgency: all payments fail

Incident: #2041"""


class Repo:
    def __init__(self, path):
        self.path = path
        self.env = dict(os.environ, GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com",
                        GIT_COMMITTER_NAME="Dana", GIT_COMMITTER_EMAIL="dana@example.com",
                        GIT_AUTHOR_DATE="2026-11-20T10:00:00Z", GIT_COMMITTER_DATE="2026-11-20T10:00:00Z",
                        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        self("init", "-q", "-b", "main")

    def __call__(self, *args) -> str:
        return subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, name: str, message: str) -> str:
        (self.path / name).write_text(message)
        self("add", name)
        self("commit", "-q", "-m", message)
        return self("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path):
    repo = Repo(tmp_path)
    repo.commit("a.txt", "initial")
    repo("tag", "-a", "v1.2.0", "-m", "Release v1.2.0")
    repo("checkout", "-q", "-b", "develop")
    repo.commit("d.txt", "feat: develop work")
    repo("checkout", "-q", "main")
    repo("checkout", "-q", "-b", "hotfix/v1.2.1-null-currency")
    repo.commit("fix.py", HOTFIX_COMMIT)
    repo("checkout", "-q", "main")
    repo("merge", "-q", "--no-ff", "hotfix/v1.2.1-null-currency", "-m", "Merge branch 'hotfix/v1.2.1-null-currency'")
    repo("tag", "-a", "v1.2.1", "-m", "Hotfix v1.2.1: default a null currency\n\nEmergency fix for: card payments\n"
         "Impact: checkout restored\nDeployed: Thu Nov 20 10:40:00 UTC 2026\nIncident: #2041")
    repo("checkout", "-q", "-b", "hotfix/v1.2.2-bad-cut", "develop")
    repo.commit("bad.py", "hotfix(api): cut from develop")
    repo("checkout", "-q", "main")
    return repo


def test_commits_of_a_range(repo):
    [document] = commits("v1.2.0..main", cwd=repo.path)
    assert document.kind == "commit" and document.id.startswith("commit:")
    data = document.data
    assert data["type"] == "hotfix" and data["scope"] == "payments"
    assert data["incident"]["number"] == 2041 and data["author"] == {"name": "Dana", "email": "dana@example.com"}
    assert data["date"].year == 2026 and len(data["parents"]) == 1
    assert document.path == f"commit:{data['sha']}"
    assert document.spans[("root_cause",)].line == 4
    assert [f.rule for f in document.findings] == []


@pytest.mark.parametrize("argument", ["--output=written.txt", "-p", "--exec-path=/tmp"])
def test_a_range_that_starts_with_a_dash_is_refused_not_given_to_git_as_an_option(repo, argument):
    with pytest.raises(GitError, match="cannot start with '-'"):
        commits(argument, cwd=repo.path)
    assert not (repo.path / "written.txt").exists()


def test_tags(repo):
    documents = {d.data["name"]: d for d in tags(cwd=repo.path)}
    assert set(documents) == {"v1.2.0", "v1.2.1"}
    tag = documents["v1.2.1"]
    assert tag.id == "tag:v1.2.1" and tag.data["annotated"] is True
    assert tag.data["previous"] == "v1.2.0" and tag.data["previous_version"]["patch"] == 0
    assert tag.data["merge_branch"] == "hotfix/v1.2.1-null-currency"
    assert tag.data["header_version"]["patch"] == 1 and tag.data["deployed"].hour == 10
    assert tag.data["incident"]["number"] == 2041
    assert "previous" not in documents["v1.2.0"].data


def test_repository_facts(repo):
    document = repository_facts(cwd=repo.path)
    assert document.kind == "repository" and document.id == "repository" and document.findings == []
    data = document.data
    assert data["main"] == "main" and data["develop"] == "develop"
    [merge] = data["merges"]
    assert merge["merge_commit"] is True and merge["branch"] == "hotfix/v1.2.1-null-currency"
    assert merge["tags"] == ["v1.2.1"] and merge["version"]["patch"] == 1
    assert "main" in merge["contained_in"] and "develop" not in merge["contained_in"]
    assert merge["contains_develop_commits"] is False
    branches = {b["name"]: b for b in data["branches"]}
    assert branches["hotfix/v1.2.2-bad-cut"]["contains_develop_commits"] is True
    assert branches["hotfix/v1.2.1-null-currency"]["contains_develop_commits"] is False
    assert branches["hotfix/v1.2.1-null-currency"]["merged"] is True
    assert [t["name"] for t in data["tags"]] == ["v1.2.0", "v1.2.1"] and data["tags"][1]["previous"] == "v1.2.0"


def test_fast_forward_hotfix_is_a_merge_without_merge_commit(tmp_path):
    repo = Repo(tmp_path)
    repo.commit("a.txt", "initial")
    repo.commit("b.txt", "hotfix(api): squashed fix")
    [merge] = repository_facts(cwd=repo.path).data["merges"]
    assert merge["merge_commit"] is False and "branch" not in merge


def test_outside_a_work_tree(tmp_path):
    assert repository_facts(cwd=tmp_path) is None


def test_every_list_the_repository_schema_declares_has_a_collector():
    from hotfix_policy.engine.documents.git import REPOSITORY_FACTS
    from hotfix_policy.engine.documents.schemas import load_schema

    properties = load_schema("repository")["properties"]
    lists = {name for name, prop in properties.items() if prop.get("type") == "array" and "x-source" not in prop}
    assert set(REPOSITORY_FACTS) == lists == {"merges", "branches", "tags"}


def hotfix_history(repo: Repo, hotfixes: int, develop: bool = False) -> None:
    """Main with `hotfixes` merged hotfix branches, each kept, and a feature merged after each:
    the shape of a repository whose history and live branches grow together; with `develop`,
    a develop branch of its own work that every third hotfix branch is cut from (the third
    brings develop's work into main, the later ones nothing main lacks)."""
    repo.commit("a.txt", "initial")
    if develop:
        repo("checkout", "-q", "-b", "develop")
        repo.commit("d.txt", "feat: develop work")
        repo("checkout", "-q", "main")
    for number in range(1, hotfixes + 1):
        repo("checkout", "-q", "-b", f"hotfix/v1.{number}.1", "develop" if develop and number % 3 == 0 else "main")
        repo.commit(f"fix{number}.py", f"hotfix(api): fix {number}")
        repo("checkout", "-q", "main")
        repo("merge", "-q", "--no-ff", f"hotfix/v1.{number}.1", "-m", f"Merge branch 'hotfix/v1.{number}.1'")
        repo("checkout", "-q", "-b", f"feature/{number}", "main")
        repo.commit(f"feature{number}.py", f"feat: feature {number}")
        repo("checkout", "-q", "main")
        repo("merge", "-q", "--no-ff", f"feature/{number}", "-m", f"Merge pull request #{number} from org/feature")
        repo("branch", "-q", "-D", f"feature/{number}")


def test_a_feature_merged_before_a_hotfix_branch_was_cut_is_not_that_hotfix(tmp_path):
    """The feature's commit is reachable from every later hotfix branch, through main's merge
    (`hotfix/v1.2.1~1^2`): only a branch's own line makes its merge a hotfix."""
    repo = Repo(tmp_path)
    hotfix_history(repo, 3)
    merges = repository_facts(cwd=repo.path).data["merges"]
    assert [merge["branch"] for merge in merges] == ["hotfix/v1.1.1", "hotfix/v1.2.1", "hotfix/v1.3.1"]


def test_a_detached_checkout_lists_branches_only_as_containing_a_hotfix(tmp_path):
    """CI checks out a commit, not a branch: `git branch --contains` then lists
    "(HEAD detached at …)", which is no branch."""
    repo = Repo(tmp_path)
    hotfix_history(repo, 2)
    repo("checkout", "-q", "--detach", "HEAD~1")
    first, second = repository_facts(cwd=repo.path).data["merges"]
    assert first["contained_in"] == ["hotfix/v1.2.1", "main"] and second["contained_in"] == ["main"]


def test_git_is_asked_as_often_whatever_the_number_of_hotfixes(tmp_path, monkeypatch):
    """A repository's history only grows: its facts cost a few git processes, not some per
    hotfix merged or per branch kept."""
    from hotfix_policy.engine.documents import git

    started = []
    real_run = subprocess.run
    monkeypatch.setattr(git.subprocess, "run", lambda *a, **k: started.append(a) or real_run(*a, **k))
    counts = []
    for hotfixes in (3, 9):
        (tmp_path / str(hotfixes)).mkdir()
        repo = Repo(tmp_path / str(hotfixes))
        hotfix_history(repo, hotfixes, develop=True)
        repo("checkout", "-q", "develop")
        repo.commit("d2.txt", "feat: more develop work")
        repo("checkout", "-q", "-b", "hotfix/v9.0.1")
        repo.commit("cut.py", "hotfix(api): cut from develop, not merged")
        repo("checkout", "-q", "main")
        started.clear()
        facts = repository_facts(cwd=repo.path).data
        counts.append(len(started))
        assert [merge["contains_develop_commits"] for merge in facts["merges"]] == [n == 3 for n in range(1, hotfixes + 1)]
        assert {branch["name"] for branch in facts["branches"] if branch.get("contains_develop_commits")} == \
            {"hotfix/v9.0.1"}
    assert counts[0] == counts[1], counts
