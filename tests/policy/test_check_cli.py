"""`policy check` end to end, as CI runs it: the installed command on fixture repositories built
in a temp dir (hotfix branch, merge, tag, commits, an event file, a reviews file)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND

POLICIES = {
    "incident.yaml": """\
apiVersion: policy/v1
kind: Policy
metadata: {name: fixture-incident}
spec:
  appliesTo: incident
  rules:
    - id: FIX001
      severity: error
      expression: "has(doc.severity) && doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      messageExpression: "'Severity must be CRITICAL, HIGH or MEDIUM; found ' + (has(doc.severity) ? doc.severity : 'nothing')"
      docs: {summary: Severity is valid}
    - id: FIX002
      severity: warning
      forEach: doc.updates
      expression: "has(item.eta)"
      message: "Update without ETA"
      docs: {summary: Updates carry an ETA}
""",
    "pull_request.yaml": """\
apiVersion: policy/v1
kind: Policy
metadata: {name: fixture-pr}
spec:
  appliesTo: pull_request
  match: "ctx.branch.startsWith('hotfix/') || 'hotfix' in ctx.labels"
  rules:
    - id: FIX010
      severity: error
      expression: "has(ctx.approvals) && ctx.approvals.exists(a, a.login != doc.author.login)"
      message: "No approval by someone other than the author"
      docs: {summary: Reviewed}
""",
    "commit.yaml": """\
apiVersion: policy/v1
kind: Policy
metadata: {name: fixture-commit}
spec:
  appliesTo: commit
  rules:
    - id: FIX020
      severity: error
      expression: "doc.header.startsWith('hotfix(')"
      messageExpression: "'Header must start with hotfix(scope): ' + doc.header"
      docs: {summary: Hotfix commit header}
""",
}

INCIDENT = """\
# INC-7: Checkout down

🚨 PRODUCTION INCIDENT DECLARED
Severity: critical
Issue: Checkout fails
Impact: All users
Status: INVESTIGATING
ETA: 2026-11-20T11:00Z
Commander: @dana-k
Declared: 2026-11-20T09:10Z

### 🔄 INCIDENT UPDATE - 2026-11-20T09:35Z
Status: FIXING
Progress: Found it
Next: Patch
Issues: None
"""


def run(*args, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update(env or {})
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, input=stdin,
                          timeout=120, env=environment)


def git(*args, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Dana K", "GIT_AUTHOR_EMAIL": "dana-k@example.com",
           "GIT_COMMITTER_NAME": "Dana K", "GIT_COMMITTER_EMAIL": "dana-k@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    for name, text in POLICIES.items():
        (tmp_path / "policies" / name).write_text(text, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [policies]\nclock: 2026-11-26T12:00:00Z\n"
                                           "data: {admins: [ops-lead]}\n", encoding="utf-8")
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-7.md").write_text(INCIDENT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# Not a document of ours\n", encoding="utf-8")
    return tmp_path


def test_findings_exit_1_with_exact_json(workspace):
    result = run("check", ".", "--format", "json", cwd=workspace)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = [(f["rule"], f["path"], f["line"], f["column"], f["severity"]) for f in report["findings"]]
    assert found == [("FIX001", "incidents/INC-7.md", 4, 11, "error"),
                     ("FIX002", "incidents/INC-7.md", 12, 5, "warning")]
    assert report["findings"][0]["message"] == "Severity must be CRITICAL, HIGH or MEDIUM; found critical"
    assert report["summary"] == {"documents": 1, "context": 0, "errors": 1, "warnings": 1, "infos": 0, "waived": 0,
                                 "excluded": 0}


def test_text_output_and_fail_on(workspace):
    result = run("check", "incidents", cwd=workspace)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "incidents/INC-7.md:4:11: error FIX001 Severity must be CRITICAL, HIGH or MEDIUM; found critical"
    assert lines[-1] == "1 error, 1 warning, 0 info in 1 document"
    assert "\x1b[" not in result.stdout  # no colour when not a terminal
    assert run("check", ".", "--fail-on", "never", cwd=workspace).returncode == 0
    (workspace / "incidents" / "INC-7.md").write_text(INCIDENT.replace("critical", "CRITICAL"), encoding="utf-8")
    assert run("check", ".", cwd=workspace).returncode == 0          # only a warning left
    assert run("check", ".", "--fail-on", "warning", cwd=workspace).returncode == 1


def check_with_waiver(workspace: Path, rules: str, justification: str, approver: str):
    """`policy check --format json` with one waiver of INC-7 added to the configuration."""
    config = workspace / ".policy.yaml"
    config.write_text(config.read_text() + f"waivers:\n  - rules: {rules}\n    documents: [INC-7]\n"
                      f"    justification: {justification}\n    approved_by: {approver}\n    expires: 2027-01-31\n")
    return run("check", ".", "--format", "json", cwd=workspace)


def test_waiver_marks_and_does_not_fail(workspace):
    result = check_with_waiver(workspace, "[FIX001, FIX002]", "migration", "ops-lead")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert {f["rule"]: f["waived"] for f in report["findings"]} == {"FIX001": True, "FIX002": True}
    assert report["summary"]["waived"] == 2


def test_an_invalid_waiver_is_one_error_per_problem_at_its_key_as_validate_places_it(workspace):
    result = check_with_waiver(workspace, "[FIX001]", "x", "dana")
    assert result.returncode == 1, result.stdout
    about = [(f["rule"], f["severity"], f["line"], f["column"], f["message"])
             for f in json.loads(result.stdout)["findings"] if f["path"] == ".policy.yaml"]
    assert [entry[:4] for entry in about] == [("WVR003", "error", 8, 20), ("WVR003", "error", 9, 18)]
    assert "justification 'x' says nothing" in about[0][4]
    assert about[1][4] == "invalid waiver, not honoured: approved_by 'dana' is not in data.admins"
    validated = run("validate", ".policy.yaml", cwd=workspace).stdout.splitlines()
    assert [line.split(": ")[0] for line in validated[:2]] == [".policy.yaml:8:20", ".policy.yaml:9:18"]


def test_policy_mistakes_exit_2_with_every_error(workspace):
    (workspace / "policies" / "incident.yaml").write_text(
        POLICIES["incident.yaml"].replace("doc.severity in", "doc.severty in").replace("severity: warning",
                                                                                       "severty: warning"))
    result = run("check", ".", cwd=workspace)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert any(e.startswith("policies/incident.yaml:") and "did you mean `severity`" in e for e in errors), errors
    assert any("unknown key 'severty'" in e for e in errors), errors
    assert "Traceback" not in result.stderr


def test_unknown_rule_override_and_bad_event_are_usage_errors(workspace):
    config = workspace / ".policy.yaml"
    config.write_text(config.read_text() + "rules: {FIX01: off}\n")
    assert run("check", ".", cwd=workspace).returncode == 2
    config.write_text(config.read_text().replace("rules: {FIX01: off}\n", "rules: {FIX002: off}\n"))
    result = run("check", ".", "--format", "json", cwd=workspace)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["FIX001"]
    missing = run("check", ".", "--github-event", "nope.json", cwd=workspace)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def test_pull_request_event_reviews_and_commits(workspace):
    clean = INCIDENT.replace("critical", "CRITICAL").replace("Issues: None", "ETA: 2026-11-20T10:30Z\nIssues: None")
    (workspace / "incidents" / "INC-7.md").write_text(clean, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=workspace)
    git("add", "-A", cwd=workspace)
    git("commit", "-q", "-m", "initial", cwd=workspace)
    git("checkout", "-q", "-b", "hotfix/v1.2.1-checkout", cwd=workspace)
    (workspace / "fix.txt").write_text("fix\n")
    git("add", "fix.txt", cwd=workspace)
    git("commit", "-q", "-m", "fix checkout", cwd=workspace)
    event = {"pull_request": {"number": 318, "body": "## 🚨 HOTFIX - EMERGENCY DEPLOYMENT\n\n**Severity:** CRITICAL\n",
                              "head": {"ref": "hotfix/v1.2.1-checkout"}, "base": {"ref": "main"},
                              "user": {"login": "dana-k"}, "labels": [{"name": "hotfix"}],
                              "created_at": "2026-11-20T10:00:00Z"}}
    (workspace / "event.json").write_text(json.dumps(event))
    reviews = [{"user": {"login": "dana-k"}, "state": "APPROVED", "submitted_at": "2026-11-20T10:30:00Z"}]
    (workspace / "reviews.json").write_text(json.dumps(reviews))
    result = run("check", "--github-event", "event.json", "--reviews", "reviews.json", "--commits", "main..HEAD",
                 "--format", "json", "--fail-on", "never", cwd=workspace)
    assert result.returncode == 0, result.stderr
    rules = sorted((f["rule"], f["path"].split(":")[0]) for f in json.loads(result.stdout)["findings"])
    assert rules == [("FIX010", "event.json"), ("FIX020", "commit")]
    reviews.append({"user": {"login": "lee"}, "state": "APPROVED", "submitted_at": "2026-11-20T10:40:00Z"})
    (workspace / "reviews.json").write_text(json.dumps(reviews))
    # In GitHub Actions the event comes from the environment.
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(workspace / "event.json")}
    result = run("check", "--reviews", "reviews.json", "--format", "json", cwd=workspace, env=env)
    assert json.loads(result.stdout)["findings"] == [], result.stdout


def test_commit_message_from_stdin_with_kind(workspace):
    result = run("check", "-", "--kind", "commit", "--format", "json", cwd=workspace, stdin="fix things\n\nbody\n")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["path"]) == ("FIX020", "-")


def test_sarif_validates_against_the_official_schema(workspace, shared_dir):
    from tests.report.consumers import check_sarif

    result = run("check", ".", "--format", "sarif", "--output", "out.sarif", cwd=workspace)
    assert result.returncode == 1 and result.stdout == ""
    sarif = check_sarif((workspace / "out.sarif").read_text(), workspace)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["FIX001", "FIX002"]


def test_github_and_junit_formats(workspace):
    github = run("check", ".", "--format", "github", cwd=workspace).stdout.splitlines()
    assert github[0].startswith("::error file=incidents/INC-7.md,line=4,")
    assert ",col=11," in github[0] and github[0].endswith("::Severity must be CRITICAL, HIGH or MEDIUM; found critical")
    from tests.report.consumers import check_junit

    junit = check_junit(run("check", ".", "--format", "junit", cwd=workspace).stdout)
    assert junit.find(".//failure") is not None


def test_explain_flag_explains_each_rule_finding(workspace):
    result = run("check", ".", "--explain", cwd=workspace)
    assert result.returncode == 1
    assert 'read doc.severity = "critical" (line 4)' in result.stdout
    assert "FIX002 [warning] Updates carry an ETA" in result.stdout
    assert "forEach doc.updates: 1 item(s)" in result.stdout
