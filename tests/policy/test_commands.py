"""`policy test`, `validate`, `rules` and `explain` as a policy author uses them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND

POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: demo-incident}
spec:
  appliesTo: incident
  rules:
    - id: DEM001
      severity: error
      expression: "has(doc.severity) && doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      message: Severity must be CRITICAL, HIGH or MEDIUM
      docs:
        summary: Severity is valid
        rationale: Triage depends on it.
        workflow: Initial Incident Declaration
        examples:
          - name: lower case
            documents: {INC-1.md: "# INC-1: Down\\n\\n🚨 PRODUCTION INCIDENT DECLARED\\nSeverity: high\\n"}
            expect: {INC-1.md: [DEM001]}
          - name: valid
            documents: {INC-1.md: "# INC-1: Down\\n\\n🚨 PRODUCTION INCIDENT DECLARED\\nSeverity: HIGH\\n"}
            expect: {INC-1.md: []}
    - id: DEM002
      severity: warning
      expression: "has(doc.commander)"
      message: Name a commander
      docs: {summary: Commander named}
"""

TESTS = """\
apiVersion: policy/v1
kind: PolicyTest
cases:
  - name: commander missing
    documents:
      INC-2.md: |
        # INC-2: Down

        🚨 PRODUCTION INCIDENT DECLARED
        Severity: HIGH
    expect: {INC-2.md: [DEM002]}
"""


def policy(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "pack" / "tests").mkdir(parents=True)
    (tmp_path / "pack" / "incident.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "pack" / "tests" / "incident.yaml").write_text(TESTS, encoding="utf-8")
    return tmp_path / "pack"


def test_policy_test_runs_cases_and_examples_with_coverage(pack):
    result = policy("test", str(pack), "--coverage", cwd=pack.parent)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 passed, 0 failed"
    assert "DEM001    yes    yes" in lines and "DEM002    yes    NO" in lines
    assert "coverage: 1/2 rules (50.0%)" in lines
    below = policy("test", str(pack), "--coverage-min", "100", cwd=pack.parent)
    assert below.returncode == 1 and below.stdout.splitlines()[-1] == "3 passed, 0 failed"


def test_policy_test_shows_expected_against_actual(pack):
    tests = pack / "tests" / "incident.yaml"
    tests.write_text(TESTS.replace("[DEM002]", "[DEM001]"), encoding="utf-8")
    result = policy("test", str(pack), cwd=pack.parent)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "commander missing" in result.stdout
    assert "INC-2.md: expected ['DEM001'], got ['DEM002'] (missing DEM001; unexpected DEM002)" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 passed, 1 failed"


def test_coverage_counts_what_happened_whether_or_not_the_case_expected_it(pack):
    """A case that fails its expectation still made its rules fire or pass."""
    (pack / "tests" / "incident.yaml").write_text(TESTS.replace("[DEM002]", "[]"), encoding="utf-8")
    result = policy("test", str(pack), "--coverage", cwd=pack.parent)
    assert result.returncode == 1
    assert "DEM002    yes    NO" in result.stdout.splitlines()
    plain = policy("test", str(pack), cwd=pack.parent)
    assert "untested" not in plain.stdout and plain.stdout.splitlines()[-1] == "2 passed, 1 failed"


def test_an_expected_rule_id_no_policy_defines_is_a_mistake_with_a_suggestion(pack):
    tests = pack / "tests" / "incident.yaml"
    tests.write_text(TESTS.replace("[DEM002]", "[DME002]"), encoding="utf-8")
    (pack / "incident.yaml").write_text(POLICY.replace("expect: {INC-1.md: [DEM001]}", "expect: {INC-1.md: [DEN001]}"),
                                        encoding="utf-8")
    result = policy("test", str(pack), cwd=pack.parent)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()) == [
        "pack/incident.yaml:18:33: expect: unknown rule id DEN001; did you mean `DEM001`?",
        "pack/tests/incident.yaml:11:25: expect: unknown rule id DME002; did you mean `DEM002`?"]
    tests.write_text(TESTS.replace("[DEM002]", "[DEM02]"), encoding="utf-8")  # malformed: a shape error
    result = policy("test", str(pack), cwd=pack.parent)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "pack/tests/incident.yaml:11:25: expect['INC-2.md'][0] must be a rule id: capital letters then three "
        "digits (e.g. PR009); found 'DEM02'; did you mean `DEM002`?")


def test_validate_lists_every_error_and_exits_1(pack):
    (pack / "incident.yaml").write_text(POLICY.replace("has(doc.commander)", "has(doc.comander)")
                                        .replace("severity: warning", "severity: fatal"), encoding="utf-8")
    result = policy("validate", str(pack), cwd=pack.parent)
    assert result.returncode == 1
    assert "severity must be one of error, warning, info; found 'fatal'" in result.stdout
    assert "did you mean `commander`" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("2 errors")
    good = policy("validate", str(pack / "tests" / "incident.yaml"), cwd=pack.parent)
    assert good.returncode == 0 and good.stdout.strip() == "1 file checked, 0 errors"


def test_deprecated_seed_key_loads_and_validate_warns(pack, tmp_path):
    (pack / "incident.yaml").write_text(POLICY.replace("workflow:", "seed:"), encoding="utf-8")
    result = policy("validate", str(pack / "incident.yaml"), cwd=pack.parent)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "pack/incident.yaml:14:9: warning: `docs.seed` is deprecated: rename it to `workflow` "
        "(it is read as `workflow` until then)",
        "1 file checked, 0 errors, 1 warning"]
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [pack]\n", encoding="utf-8")
    shown = policy("rules", "DEM001", cwd=tmp_path)
    assert shown.returncode == 0 and "Workflow: Initial Incident Declaration" in shown.stdout


def test_rules_and_explain(pack, tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [pack]\n", encoding="utf-8")
    listing = policy("rules", cwd=tmp_path)
    assert listing.returncode == 0
    assert listing.stdout.splitlines()[0] == "DEM001    error    Severity is valid"
    shown = policy("rules", "dem001", cwd=tmp_path).stdout
    assert "Why: Triage depends on it." in shown and "Workflow: Initial Incident Declaration" in shown
    assert "Fails: lower case" in shown and "Severity: high" in shown and "Passes: valid" in shown
    assert "Documentation:" not in shown  # a team's rule has no page in docs/rules.md
    record = tmp_path / "INC-3.md"
    record.write_text("# INC-3: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: low\nCommander: @dana\n",
                      encoding="utf-8")
    explained = policy("explain", "DEM001", str(record), cwd=tmp_path)
    assert explained.returncode == 1, explained.stderr  # as `policy check` would report it
    assert 'read doc.severity = "low" (line 4)' in explained.stdout
    assert '`doc.severity` is not one of ["CRITICAL", "HIGH", "MEDIUM"]' in explained.stdout
    assert explained.stdout.splitlines()[-6:] == [
        "  result: FAILED", "", f"`policy check {record}` reports 1 DEM001 finding:",
        "  4:11: Severity must be CRITICAL, HIGH or MEDIUM", "",
        f"0 documents read as context (`docs`), as `policy check {record}` reads them"]
    assert policy("explain", "DEM01", str(record), cwd=tmp_path).returncode == 2
    record.write_text(record.read_text(encoding="utf-8").replace("low", "HIGH"), encoding="utf-8")
    assert policy("explain", "DEM001", str(record), cwd=tmp_path).returncode == 0


def test_explain_an_engine_rule_shows_its_reference_and_findings(tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\n", encoding="utf-8")
    record = tmp_path / "INC-1.md"
    record.write_text(policy("new", "incident", cwd=tmp_path).stdout, encoding="utf-8")
    explained = policy("explain", "doc002", "INC-1.md", cwd=tmp_path)
    assert explained.returncode == 1, explained.stderr
    assert explained.stdout.startswith("DOC002 [error] Template text where a value is needed")
    assert "`policy check INC-1.md` reports 3 DOC002 findings:" in explained.stdout
    assert "template placeholder [Brief description] left" in explained.stdout
    rule = policy("explain", "INC001", "INC-1.md", cwd=tmp_path)
    assert rule.returncode == 0 and "result: FAILED" in rule.stdout  # the unfilled block is DOC002's to report
    assert "reports no INC001 finding here (a rule that fails only for template text" in rule.stdout


def test_policy_test_without_a_folder_runs_the_builtin_pack(capsys):
    from hotfix_policy.cli.main import main

    assert main(["test", "--coverage-min", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith("coverage: ") and lines[-2].endswith("(100.0%)")
    assert lines[-1].endswith(" passed, 0 failed") and not lines[-1].startswith("0 ")


def test_validate_names_every_mistake_of_the_configuration_in_one_pass(pack):
    """Each mistake that would stop `policy check`, and each waiver it would never honour,
    at once; `policy check` names the same stopping mistakes and exits 2."""
    root = pack.parent
    (root / ".policy.yaml").write_text(
        "packs: []\npolicies: [pack]\ndata: {admins: [ops-lead]}\n"
        "rules: {DEM099: off, DEM002: critical, DEM01: warning}\n"
        "waivers:\n"
        "  - {rules: [DEM001], documents: [INC-1], approved_by: bob, expires: 2030-01-01, justification: ok}\n"
        "  - {rules: [DEM01, DEM003], documents: [INC-1], approved_by: ops-lead, justification: ok}\n",
        encoding="utf-8")
    result = policy("validate", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        ".policy.yaml:4:9: rules: unknown rule id DEM099; did you mean `DEM002`?",
        ".policy.yaml:4:30: DEM002 must be one of error, warning, info, off; found 'critical'",
        ".policy.yaml:4:40: 'DEM01' in rules is not a rule id (capital letters then three digits, e.g. PR009); "
        "did you mean `DEM001`?",
        ".policy.yaml:6:56: invalid waiver, not honoured: approved_by 'bob' is not in data.admins",
        ".policy.yaml:7:5: invalid waiver, not honoured: the waiver is missing 'expires'",
        ".policy.yaml:7:14: invalid waiver, not honoured: rules[0] must be a rule id: capital letters "
        "then three digits (e.g. PR009); found 'DEM01'",
        ".policy.yaml:7:21: waivers: unknown rule id DEM003; did you mean `DEM002`?",
        "3 files checked, 3 errors, 4 waiver problems"]
    checked = policy("check", cwd=root)
    assert checked.returncode == 2
    assert checked.stderr.splitlines() == result.stdout.splitlines()[:3]


def test_validate_of_a_policy_file_checks_the_configuration_that_loads_it(pack):
    """A team policy reusing a rule id of another policy in the run stops `policy check`: named
    alone, the policy file is checked with its configuration."""
    root = pack.parent
    (root / ".policy.yaml").write_text("packs: []\npolicies: [pack, team.yaml]\n", encoding="utf-8")
    (root / "team.yaml").write_text(POLICY.replace("demo-incident", "team").split("    - id: DEM002")[0],
                                    encoding="utf-8")
    result = policy("validate", "team.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"team.yaml:7:11: rule DEM001 is already defined in "
                                          f"{Path('pack', 'incident.yaml')}:7",
                                          "2 files checked, 1 error"]


def test_policy_test_says_when_there_are_no_tests(pack):
    (pack / "tests" / "incident.yaml").unlink()
    (pack / "incident.yaml").write_text(POLICY.split("      docs:\n        summary: Severity is valid")[0]
                                        + "\n    - id: DEM002\n      severity: warning\n"
                                          "      expression: \"has(doc.commander)\"\n      message: m\n",
                                        encoding="utf-8")
    result = policy("test", str(pack), cwd=pack.parent)
    assert result.returncode == 1
    assert result.stdout.startswith(f"no tests found in {pack}:")
    (pack.parent / "empty").mkdir()
    empty = policy("test", "empty", cwd=pack.parent)
    assert empty.returncode == 2 and "empty: no policy files" in empty.stderr


def test_an_unexpected_eval001_shows_its_reason(pack):
    (pack / "incident.yaml").write_text(POLICY.replace("has(doc.commander)", "doc.severity.matches(doc.issue)"),
                                        encoding="utf-8")
    (pack / "tests" / "incident.yaml").write_text(
        TESTS.replace("Severity: HIGH", "Severity: HIGH\n        Issue: (").replace("[DEM002]", "[]"), encoding="utf-8")
    result = policy("test", str(pack), cwd=pack.parent)
    assert result.returncode == 1
    assert "INC-2.md: expected [], got ['EVAL001'] (unexpected EVAL001)" in result.stdout
    assert ("EVAL001 INC-2.md: rule DEM002 could not be evaluated: invalid regular expression '(': "
            "missing ): (") in result.stdout


def test_validate_an_unknown_pack_is_one_error_not_one_per_rule_id(tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfx]\nrules:\n  INC001: warning\n  PR006: off\n",
                                           encoding="utf-8")
    validated = policy("validate", cwd=tmp_path)
    assert validated.returncode == 1
    assert validated.stdout.splitlines() == [
        ".policy.yaml:1:9: unknown built-in pack 'builtin:hotfx'; expected one of builtin:hotfix; "
        "did you mean `builtin:hotfix`?",
        "1 file checked, 1 error"]


def test_policy_test_without_a_folder_runs_what_the_configuration_names(pack, tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\npolicies: [pack]\n"
                                           "data: {max_hotfix_files: 1}\n", encoding="utf-8")
    tested = policy("test", "--coverage", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout  # the pack's examples keep the defaults they were written for
    assert "DEM001    yes    yes" in tested.stdout and "PR009     yes    yes" in tested.stdout


def test_rules_id_shows_the_value_the_configuration_sets(tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\ndata: {max_hotfix_files: 3}\n", encoding="utf-8")
    shown = policy("rules", "PR009", cwd=tmp_path)
    assert "    max_hotfix_files = 3 (set in .policy.yaml; default 10)  Most changed files" in shown.stdout
    default = policy("rules", "PR009", cwd=tmp_path / "..")
    assert "    max_hotfix_files = 10  Most changed files" in default.stdout


def test_a_rule_id_with_a_digit_missing_suggests_the_same_number(tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\nrules:\n  INC06: off\n  PR9: off\n",
                                           encoding="utf-8")
    validated = policy("validate", cwd=tmp_path).stdout
    assert "'INC06' in rules is not a rule id" in validated and "did you mean `INC006`?" in validated
    assert "did you mean `PR009`?" in validated
    assert "no rule inc6; did you mean `INC006`?" in policy("rules", "inc6", cwd=tmp_path / "..").stderr


def test_policy_test_names_the_rules_no_case_exercises(tmp_path):
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "ops.yaml").write_text(POLICY, encoding="utf-8")  # DEM002 has no example
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [team]\n", encoding="utf-8")
    tested = policy("test", cwd=tmp_path)
    assert "untested: DEM002 (no case or example makes it fire or pass" in tested.stdout, tested.stdout


WORKSPACE_POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: team-workspace}
spec:
  appliesTo: workspace
  variables:
    - name: by_branch
      expression: "docs.incident.groupBy(i)"
    - name: by_month
      expression: "docs.incident.groupby(i, i.branch)"
  rules:
    - id: TWS001
      severity: warning
      expression: "size(variables.by_branch) < 2"
      message: Too many branches
      docs: {summary: Few branches}
"""


def test_a_macro_called_wrongly_or_misspelt_is_one_error_each_in_source_order(tmp_path):
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "workspace.yaml").write_text(WORKSPACE_POLICY, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [team]\n", encoding="utf-8")
    expected = ["team/workspace.yaml:8:34: groupBy takes a variable and a key: groupBy(d, d.month); found 1 argument",
                "team/workspace.yaml:10:34: undeclared reference to function 'groupby'; did you mean `groupBy`?"]
    checked = policy("check", cwd=tmp_path)
    assert (checked.returncode, checked.stderr.splitlines()) == (2, expected)
    validated = policy("validate", cwd=tmp_path)
    assert validated.stdout.splitlines() == expected + ["2 files checked, 2 errors"]
