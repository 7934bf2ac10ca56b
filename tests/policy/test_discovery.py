"""Finding the documents a team has: the configuration's `documents` globs reach into hidden
folders they name (the README's `.github/hotfix/*.md`), `exclude` leaves files out and the run
says how many, and a run that finds nothing says so and never passes. `policy check`, `policy
report`, `policy explain` and the editor's index agree on which files are documents."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.documents.discovery import DocumentGlobs
from hotfix_policy.engine.policy.config import find_config, load_config
from hotfix_policy.engine.policy.inputs import RunInputs, collect_documents
from hotfix_policy.engine.workspace import Workspace
from tests.conftest import POLICY_COMMAND

CONFIG = """\
documents: {incident: ["incidents/**/*.md"], pull_request: [".github/hotfix/*.md"]}
exclude: ["drafts/", "docs/runbook.md"]
data: {admins: [ops-lead]}
clock: 2026-11-26T12:00:00Z
"""
RECORD = "# INC-{n}: Checkout down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
PR_BODY = "**Incident Reference:** #7\n**Severity:** HIGH\n"  # no heading: only the glob makes it a PR
PR_TEMPLATE = "## 🚨 HOTFIX - EMERGENCY DEPLOYMENT\n\n**Incident Reference:** #[incident-number]\n"
CLOCK_NOTE = ("policy check: the clock is pinned to 2026-11-26T12:00:00Z by `clock` in .policy.yaml: every time is "
              "judged as of then, not now")


def _policy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _write(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team's repository as the README's configuration describes it (not a git work tree, so
    the run's documents are the files alone)."""
    root = tmp_path / "team"
    _write(root, {
        ".policy.yaml": CONFIG,
        "incidents/INC-7.md": RECORD.format(n=7),
        "incidents/2026/INC-8.md": RECORD.format(n=8),
        ".github/hotfix/pr-318.md": PR_BODY,
        ".github/PULL_REQUEST_TEMPLATE.md": PR_TEMPLATE,        # a template, not a PR: not walked
        ".github/ISSUE_TEMPLATE/incident.md": RECORD.format(n=1),
        ".git/INC-3.md": RECORD.format(n=3),                    # git's folder: never walked
        "node_modules/pkg/INC-4.md": RECORD.format(n=4),        # a tool's folder: not named, not walked
        ".venv/INC-5.md": RECORD.format(n=5),
        "drafts/INC-9.md": RECORD.format(n=9),                  # excluded, with its folder
        "drafts/deep/INC-10.md": RECORD.format(n=10),
        "docs/runbook.md": RECORD.format(n=11),                 # excluded by name
        "docs/README.md": "# Docs\n",                           # Markdown of no known kind: skipped
    })
    return root


def _paths(result: subprocess.CompletedProcess) -> dict:
    report = json.loads(result.stdout)
    return {"paths": sorted({f["path"] for f in report["findings"]}), "summary": report["summary"]}


def test_the_readme_configuration_finds_pr_bodies_under_github_and_nothing_it_does_not_name(team):
    result = _policy(team, "check", ".", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["documents"] == 3 and report["summary"]["excluded"] == 3, result.stdout
    assert {f["path"] for f in report["findings"]} <= {".github/hotfix/pr-318.md", "incidents/INC-7.md",
                                                       "incidents/2026/INC-8.md"}


def test_check_reads_exactly_the_named_documents(team, monkeypatch):
    monkeypatch.chdir(team)
    config = load_config(find_config(team))
    documents = collect_documents(RunInputs(paths=["."]), config, workers=1)
    assert sorted(d.path for d in documents) == [".github/hotfix/pr-318.md", "incidents/2026/INC-8.md",
                                                 "incidents/INC-7.md"]
    assert {d.path: d.kind for d in documents}[".github/hotfix/pr-318.md"] == "pull_request"


def test_the_editor_index_finds_the_same_documents_as_check(team, monkeypatch):
    monkeypatch.chdir(team)
    checked = {str((team / d.path).resolve()) for d in
               collect_documents(RunInputs(paths=["."]), load_config(find_config(team)), workers=1)}
    workspace = Workspace(team)
    assert workspace.reload_configuration() == []
    workspace.index()
    assert {d.path for d in workspace.documents()} == checked


def test_the_editor_shows_nothing_for_an_excluded_document_and_keeps_it_out_of_the_index(team):
    workspace = Workspace(team)
    workspace.reload_configuration()
    workspace.index()
    runbook = str(team / "docs" / "runbook.md")
    broken = "# INC-11: Checkout down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: LOUD\n"
    assert workspace.check_text(runbook, broken).findings == []
    workspace.refresh_file(runbook)
    workspace.refresh_file(str(team / ".github" / "PULL_REQUEST_TEMPLATE.md"))
    assert runbook not in {d.path for d in workspace.documents()}
    assert len(workspace.documents()) == 3
    kept = str(team / "incidents" / "INC-7.md")
    assert any(f.rule == "INC001" for f in workspace.check_text(kept, broken.replace("11", "7")).findings)


def test_the_summary_counts_excluded_files_in_text_and_json(team):
    text = _policy(team, "check", ".", "--fail-on", "never")
    assert text.stdout.splitlines()[-1].endswith("in 3 documents; 3 files excluded"), text.stdout
    as_json = _policy(team, "check", ".", "--format", "json", "--fail-on", "never")
    assert json.loads(as_json.stdout)["summary"]["excluded"] == 3


def test_an_excluded_file_named_on_the_command_line_is_not_checked_and_the_run_says_why(team):
    result = _policy(team, "check", "docs/runbook.md", "incidents/INC-7.md", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "policy check: docs/runbook.md is excluded by .policy.yaml ('docs/runbook.md'): not checked; "
        "remove it from 'exclude' to include it", CLOCK_NOTE]
    assert result.stdout.splitlines()[-1].endswith("in 1 document, 2 others as context; 1 file excluded")


def test_explain_refuses_an_excluded_file_as_check_does_not_judge_it(team):
    result = _policy(team, "explain", "INC001", "drafts/INC-9.md")
    assert result.returncode == 2
    assert result.stderr.strip() == ("policy explain: drafts/INC-9.md is excluded by .policy.yaml ('drafts/'): "
                                     "policy check does not judge it")


def test_report_counts_what_check_counts(team):
    result = _policy(team, "report", ".", "--format", "json")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert (metrics["documents"], metrics["excluded"]) == (3, 3)


def test_a_folder_without_documents_is_said_and_a_run_that_judged_nothing_exits_2(team):
    result = _policy(team, "check", "docs")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "policy check: no documents of a known kind under docs (1 file read, 1 excluded by .policy.yaml); "
        "name files explicitly, add front matter 'kind:', or set 'documents' in .policy.yaml",
        "policy check: no document to check: exit 2, as a run that judges nothing never passes"]
    assert result.stdout == ""
    report = _policy(team, "report", "drafts")
    assert report.returncode == 2
    assert report.stderr.splitlines()[0].startswith("policy report: no documents of a known kind under drafts "
                                                    "(0 files read, 2 excluded by .policy.yaml)")


def test_a_folder_without_documents_in_a_run_that_judged_others_is_a_warning(team):
    result = _policy(team, "check", "docs", "incidents")
    assert result.returncode == 1, result.stderr   # the records' own findings
    assert result.stderr.splitlines() == [
        "policy check: no documents of a known kind under docs (1 file read, 1 excluded by .policy.yaml); "
        "name files explicitly, add front matter 'kind:', or set 'documents' in .policy.yaml", CLOCK_NOTE]


def test_a_glob_that_cannot_be_used_is_a_located_configuration_error(tmp_path):
    _write(tmp_path, {".policy.yaml": "exclude: ['" + "a" * 1001 + "']\n", "INC-1.md": RECORD.format(n=1)})
    result = _policy(tmp_path, "check", ".")
    assert result.returncode == 2
    assert result.stderr.startswith(".policy.yaml:1:11: exclude.0: glob pattern longer than 1,000 characters"), \
        result.stderr


@pytest.mark.parametrize("glob, path, found", [
    (".github/hotfix/*.md", ".github/hotfix/pr.md", True),
    (".github/*/*.md", ".github/ISSUE_TEMPLATE/a.md", True),   # a wildcard below a named folder is fine
    (".g*/hotfix/*.md", ".github/hotfix/pr.md", True),         # written with its leading dot: named
    ("*/hotfix/*.md", ".github/hotfix/pr.md", False),          # a wildcard names no hidden folder
    ("**/*.md", ".github/pr.md", False),
    ("*/INC-*.md", ".venv/INC-1.md", False),
    ("**/.github/hotfix/*.md", "service/.github/hotfix/pr.md", True),
    ("docs/node_modules/x/*.md", "docs/node_modules/x/a.md", True),
    ("INC-*.md", "node_modules/INC-1.md", False),              # a name glob reaches no tool folder
    (".git/*.md", ".git/a.md", False),                         # .git is never walked
])
def test_a_hidden_or_tool_folder_is_walked_only_for_a_glob_that_names_it(tmp_path, glob, path, found):
    globs = DocumentGlobs.of({"incident": [glob]}, root=tmp_path)
    assert globs.finds(tmp_path / path, tmp_path) is found


def test_git_is_never_walked_even_when_a_glob_names_it(tmp_path):
    _write(tmp_path, {".git/INC-3.md": RECORD.format(n=3), ".github/hotfix/INC-4.md": RECORD.format(n=4)})
    globs = DocumentGlobs.of({"incident": [".git/*.md", ".github/hotfix/*.md"]}, root=tmp_path)
    assert [Path(p).relative_to(tmp_path).as_posix() for p, _ in globs.files(str(tmp_path))] == \
        [".github/hotfix/INC-4.md"]


@pytest.mark.parametrize("glob, path, matched", [
    ("incidents/*.md", "incidents/INC-1.md", True),
    ("incidents/*.md", "incidents/2026/INC-1.md", False),  # `*` stays within a folder, as in matchesGlob
    ("incidents/**/*.md", "incidents/INC-1.md", True),
    ("incidents/**/*.md", "incidents/2026/11/INC-1.md", True),
    ("INC-*.md", "deep/in/INC-1.md", True),                # no `/`: the file's name at any depth
    ("INC-*.md", "deep/in/PIR-1.md", False),
])
def test_document_globs_read_like_matches_glob(tmp_path, glob, path, matched):
    globs = DocumentGlobs.of({"incident": [glob]}, root=tmp_path)
    assert (globs.kind_of(tmp_path / path) == "incident") is matched


@pytest.mark.parametrize("glob", ["drafts", "drafts/", "drafts/**", "**/drafts/**"])
def test_an_excluded_folder_excludes_everything_under_it(tmp_path, glob):
    globs = DocumentGlobs.of({}, [glob], root=tmp_path)
    assert globs.excluded_by(tmp_path / "drafts" / "deep" / "INC-1.md") == glob
    assert globs.excluded_by(tmp_path / "incidents" / "INC-1.md") is None


def test_globs_are_relative_to_the_configuration_wherever_the_run_starts(team):
    result = _policy(team / "incidents", "check", ".", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["documents"] == 2
    from_above = _policy(team.parent, "check", "team/.github/hotfix", "--format", "json", "--fail-on", "never")
    kinds = {f["kind"] for f in json.loads(from_above.stdout)["findings"]}
    assert json.loads(from_above.stdout)["summary"]["documents"] == 1 and kinds <= {"pull_request"}, from_above.stdout


def test_a_misspelled_front_matter_kind_is_an_error_under_a_folder_too(tmp_path):
    """`kind: incidnet` in front matter: the author meant it to be checked; it must not drop out."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-9.md").write_text("---\nkind: incidnet\n---\n# INC-9: Login down\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Our team\n", encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\n", encoding="utf-8")
    result = _policy(tmp_path, "check", ".")
    assert result.returncode == 1
    assert "incidents/INC-9.md:2:7: error DOC001 unknown kind 'incidnet' in front matter" in result.stdout
    assert "README.md" not in result.stdout  # Markdown that declares nothing is still passed over
