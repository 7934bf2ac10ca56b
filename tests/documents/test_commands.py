"""`policy new`, `policy schema` and `policy parse`, in process and as a subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from hotfix_policy.cli.main import main
from tests.conftest import POLICY_COMMAND, REPO

from .test_incident import DESIGN_EXAMPLE


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_new_prints_templates(capsys):
    code, out, _ = run(["new", "incident"], capsys)
    assert code == 0 and out.startswith("---\nkind: incident") and "Criterion:" in out and "Declared:" in out
    code, out, _ = run(["new", "pull_request"], capsys)
    assert "**Skipped Checks:**" in out and "EMERGENCY BYPASS JUSTIFICATION" in out
    code, out, _ = run(["new", "post_incident_review"], capsys)
    assert "**Incident:**" in out and "**Review date:**" in out
    code, out, _ = run(["new", "status_update", "--variant", "in_progress"], capsys)
    assert out.startswith("🚨 HOTFIX IN PROGRESS")


def test_new_user_mistakes_are_one_line_exit_2(capsys):
    for argv in (["new", "repository"], ["new", "nope"], ["new", "incident", "--variant", "x"]):
        code, out, err = run(argv, capsys)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, argv


def test_schema_prints_json(capsys):
    code, out, _ = run(["schema", "incident"], capsys)
    assert code == 0 and json.loads(out)["title"] == "Incident record"
    code, _, err = run(["schema", "memo"], capsys)
    assert code == 2 and "unknown kind 'memo'" in err


def test_parse_file_and_stdin(tmp_path, capsys, monkeypatch):
    path = tmp_path / "INC-2041.md"
    path.write_text(DESIGN_EXAMPLE)
    code, out, _ = run(["parse", str(path)], capsys)
    result = json.loads(out)
    assert code == 0 and result["kind"] == "incident" and result["id"] == "INC-2041"
    assert result["data"]["declared"] == "2026-11-20T09:10:00Z" and result["data"]["resolution"]["duration"] == "6720s"
    assert result["ranges"]["severity"] == {"line": 7, "column": 11, "end_line": 7, "end_column": 19}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"hotfix(x): y\n\nIncident: #5\n")))
    code, out, _ = run(["parse", "-", "--kind", "commit"], capsys)
    assert json.loads(out)["data"]["incident"] == {"text": "#5", "number": 5}


def test_parse_mistakes(tmp_path, capsys):
    assert run(["parse", str(tmp_path / "missing.md")], capsys)[0] == 2
    assert run(["parse", str(tmp_path)], capsys)[0] == 2
    assert run(["parse", "x.md", "--kind", "repository"], capsys)[0] == 2


def test_a_time_past_the_last_instant_is_a_finding_not_a_crash(tmp_path, capsys):
    """`9999-12-31T23:59-05:00` is in the year 10000 in UTC: written out, compared or judged, it
    overflowed; it is a value that is not a time, as any other."""
    path = tmp_path / "INC-2041.md"
    path.write_text(DESIGN_EXAMPLE.replace("Declared: 2026-11-20T09:10Z", "Declared: 9999-12-31T23:59-05:00"))
    code, out, _ = run(["parse", str(path)], capsys)
    result = json.loads(out)
    assert code == 0 and "declared" not in result["data"]
    assert "Declared must be a time such as 2026-11-20T11:00Z; found '9999-12-31T23:59-05:00'" in \
        [f["message"] for f in result["findings"]]
    code, out, _ = run(["check", str(path), "--now", "2026-11-20T16:00Z", "--format", "json"], capsys)
    assert code == 1 and "SCHEMA001" in {f["rule"] for f in json.loads(out)["findings"]}


def test_parse_never_prints_a_secret(tmp_path, capsys):
    secret = "ghp_" + "Z" * 36
    path = tmp_path / "leak.md"
    path.write_text(f"# INC-1: x\n\n🚨 PRODUCTION INCIDENT DECLARED\nIssue: token {secret}\n\n"
                    "🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\nStatus: FIXING\n")
    code, out, _ = run(["parse", str(path)], capsys)
    assert code == 0 and secret not in out and json.loads(out)["secrets"][0]["kind"] == "github_token"


def test_subprocess_round_trip(tmp_path):
    new = subprocess.run([POLICY_COMMAND, "new", "pull_request"], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert new.returncode == 0
    parsed = subprocess.run([POLICY_COMMAND, "parse", "-"], cwd=REPO, input=new.stdout,
                            capture_output=True, text=True, timeout=60)
    assert parsed.returncode == 0, parsed.stderr
    result = json.loads(parsed.stdout)
    assert result["kind"] == "pull_request" and {f["rule"] for f in result["findings"]} == {"DOC004"}
    bad = subprocess.run([POLICY_COMMAND, "schema", "nope"], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("command", ["new", "schema", "parse"])
def test_commands_import_lazily(command):
    code = ("import sys; import hotfix_policy.cli.main as c; c.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'markdown_it', 'jsonschema', 'ruamel'} "
            "or m.startswith('hotfix_policy.engine.documents')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
