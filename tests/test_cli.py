"""The `policy` command as a user runs it: help, version, eval and its error format."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import POLICY_COMMAND, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402


def policy(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], capture_output=True, text=True,
                          cwd=REPO, input=stdin, timeout=60)


def test_help_lists_commands():
    result = policy("--help")
    assert result.returncode == 0
    assert "eval" in result.stdout


def test_version():
    from hotfix_policy.engine import __version__

    result = policy("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_eval_prints_json():
    result = policy("eval", "{'a': [1, 2u, 2.5, timestamp('2026-11-20T09:10:00Z')]}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"a": [1, 2, 2.5, "2026-11-20T09:10:00Z"]}


def test_eval_names_a_map_s_keys_as_json_does():
    result = policy("eval", "[{true: [1], false: []}, {1: 'a', 2u: 'b'}]")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"true": [1], "false": []}, {"1": "a", "2": "b"}]


def test_eval_with_yaml_vars_reads_timestamps():
    result = policy("eval", "doc.updates[2].time - doc.updates[1].time", "--vars", "examples/eval-vars.yaml")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == "2700s"


def test_eval_syntax_error_shows_expression_and_caret():
    result = policy("eval", "doc.severity in ['HIGH',")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "<expr>:1:25: unexpected end of expression; expected an expression"
    assert lines[1] == "  doc.severity in ['HIGH',"
    assert lines[2] == "  " + " " * 24 + "^"
    assert "Traceback" not in result.stderr


def test_eval_type_error_exit_2():
    result = policy("eval", "'a' + 1")
    assert result.returncode == 2
    assert result.stderr.startswith("<expr>:1:5: no matching overload for '+' applied to (string, int)")


def test_eval_errors_have_a_place_and_a_caret_and_nothing_else():
    """Evaluation errors as syntax errors are shown: where, the expression, a caret; RE2 logs
    nothing of its own and its reason is text, not bytes."""
    for expression, first, caret in [
        ("1/0", "<expr>:1:2: division by zero", "   ^"),
        ("{'a': 1}['b']", "<expr>:1:1: no such key: 'b'", "  " + "^" * 13),
        ("[1][3]", "<expr>:1:1: index 3 out of range for a list of size 1", "  ^^^^^^"),
        ("'a'.matches('(')", "<expr>:1:13: invalid regular expression '(': missing ): (", "  " + " " * 12 + "^^^"),
    ]:
        result = policy("eval", expression)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [first, "  " + expression, caret], expression


def test_bad_vars_file_is_one_line(tmp_path):
    bad = tmp_path / "vars.json"
    bad.write_text('{"doc": [1,\n')
    result = policy("eval", "doc", "--vars", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == f"policy eval: {bad}:2:1: invalid JSON: Expecting value"
    missing = policy("eval", "doc", "--vars", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def test_no_command_prints_usage_exit_2():
    result = policy()
    assert result.returncode == 2
    assert "usage: policy" in result.stdout


def test_eval_on_a_document_checks_fields_against_its_kind(tmp_path):
    record = tmp_path / "INC-7.md"
    record.write_text("# INC-7: Checkout down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
                      "Status: INVESTIGATING\nDeclared: 2026-11-20T09:10Z\n", encoding="utf-8")
    result = policy("eval", "[doc.severity, string(doc.declared)]", "--doc", str(record))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["HIGH", "2026-11-20T09:10:00Z"]
    typo = policy("eval", "doc.severty", "--doc", str(record))
    assert typo.returncode == 2
    assert "did you mean `severity`" in typo.stderr.splitlines()[0]


def test_check_writes_several_formats_from_one_evaluation(tmp_path):
    """`--report FORMAT=FILE` (repeatable) beside `--format`: each file is what a run of its own
    with `--format FORMAT --output FILE` writes, and stdout is the `--format` report."""
    inputs = ["examples/incidents", "examples/reviews", "--github-event", "examples/github/event.json",
              "--reviews", "examples/github/reviews.json", "--changed-files", "examples/github/changed-files.txt"]
    formats = ("sarif", "json", "junit", "text")
    together = policy("check", *inputs, "--format", "github",
                      *(f"--report={fmt}={tmp_path / f'together.{fmt}'}" for fmt in formats))
    assert together.returncode == 1, together.stderr
    alone = policy("check", *inputs, "--format", "github")
    assert together.stdout == alone.stdout and "::error file=" in together.stdout
    for fmt in formats:
        single = policy("check", *inputs, "--format", fmt, "--output", str(tmp_path / f"alone.{fmt}"))
        assert single.returncode == 1, single.stderr
        written = (tmp_path / f"together.{fmt}").read_text(encoding="utf-8")
        assert written == (tmp_path / f"alone.{fmt}").read_text(encoding="utf-8") and "INC006" in written


def test_check_report_option_mistakes_are_one_line_exit_2(tmp_path):
    for argument, message in [("sarif", "expected FORMAT=FILE, such as sarif=policy.sarif; found 'sarif'"),
                              ("yaml=x.yaml", "unknown format 'yaml' in 'yaml=x.yaml'; expected one of: text, json")]:
        result = policy("check", "examples/incidents", "--report", argument)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith(f"policy check: argument --report: {message}") and result.stderr.count("\n") == 1
    same = tmp_path / "r.json"
    result = policy("check", "examples/incidents", "--output", str(same), "--report", f"json={tmp_path}/./r.json")
    assert result.returncode == 2 and not same.exists()
    assert result.stderr == "policy check: --output and --report name the same file twice; give each report its own file\n"


def test_format_github_shows_a_mistake_that_stops_the_run_as_an_annotation(tmp_path):
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfx]\n", encoding="utf-8")
    result = subprocess.run([POLICY_COMMAND, "check", "--format", "github", "."], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout.startswith("::error file=.policy.yaml,line=1,col=9,title=hotfix-policy::unknown built-in "
                                    "pack 'builtin:hotfx'")
    assert result.stderr.startswith(".policy.yaml:1:9: unknown built-in pack")


def test_format_github_places_annotations_from_the_checkouts_root(tmp_path):
    """Run in a subfolder of the checkout (a workflow's `working-directory`), annotations still
    name files as GitHub does, from the repository's root: findings and mistakes alike."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    team = tmp_path / "team"
    (team / "incidents").mkdir(parents=True)
    (team / "incidents" / "INC-2042.md").write_text((REPO / "examples" / "incidents" / "INC-2042.md").read_text(
        encoding="utf-8"), encoding="utf-8")
    run = [POLICY_COMMAND, "check", "--format", "github", "--now", "2026-10-28T00:00:00Z", "."]
    result = subprocess.run(run, cwd=team, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("::warning file=team/incidents/INC-2042.md,line=23,")
    (team / ".policy.yaml").write_text("packs: [builtin:hotfx]\n", encoding="utf-8")
    result = subprocess.run(run, cwd=team, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout.startswith("::error file=team/.policy.yaml,line=1,col=9,")


def test_a_mistyped_option_gets_a_suggestion_from_the_command_it_was_given_to(tmp_path):
    result = subprocess.run([POLICY_COMMAND, "check", "--formt", "json"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "policy check: unrecognized arguments: --formt; did you mean `--format`?"
    result = subprocess.run([POLICY_COMMAND, "--formt"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.strip() == "policy: unrecognized arguments: --formt"


def test_check_leaves_the_cycle_collector_as_it_found_it(tmp_path, monkeypatch, capsys):
    import gc

    from hotfix_policy.cli.main import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(REPO / "examples")
    before = gc.get_threshold(), gc.get_freeze_count()
    main(["check", "incidents", "--now", "2026-11-26T12:00:00Z", "--fail-on", "never"])
    capsys.readouterr()
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_the_command_leaves_without_teardown_yet_everything_it_wrote_is_there(tmp_path):
    """`policy` exits at once when a run is done (`cli.main.console`): the report on stdout, the
    notes on stderr and the files written are whole, and the exit code is the run's."""
    report = tmp_path / "report.sarif"
    result = policy("check", "examples", "--format", "json", f"--report=sarif={report}")
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"] and json.loads(report.read_text(encoding="utf-8"))["runs"]
    assert "the clock is pinned" in result.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`policy check . | head`: the report is larger than a pipe holds, and the reader leaves."""
    corpus.write_history(tmp_path, 60)
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    assert len(policy("check", str(tmp_path), "--format", "json", "--no-cache").stdout) > 1 << 17
    reader = subprocess.Popen(["head", "-c", "20"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run([POLICY_COMMAND, "check", str(tmp_path), "--format", "json", "--no-cache"],
                            stdout=reader.stdin, stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=120)
    reader.stdin.close()
    reader.wait(timeout=60)
    assert "Traceback" not in writer.stderr and "Exception" not in writer.stderr, writer.stderr
    assert writer.returncode in (0, 1)  # the run's findings, or none told: never a failure of its own
