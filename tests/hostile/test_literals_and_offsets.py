"""Two values Python refuses with its own ValueError, which once escaped as a traceback (exit 1,
the code for "findings"): an integer literal of more than 4,300 digits (Python's conversion
limit) and a time-zone offset of a day or more (`timezone` allows strictly less). The literal is
a syntax error at its span (exit 2); an offset out of range, or with 60 minutes or more, is an
evaluation error: EVAL001 for the one rule that met it, and the run goes on."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, CelSyntaxError, compile
from tests.conftest import POLICY_COMMAND

HUGE = "9" * 5_000
DECLARED = "# INC-7: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nDeclared: 2026-11-20T10:00Z\n"


def _policy(expression: str) -> str:
    return ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: hostile}\nspec:\n  appliesTo: incident\n"
            "  rules:\n    - id: HOS001\n      severity: error\n"
            f'      expression: "{expression}"\n      message: hostile\n      docs: {{summary: hostile}}\n'
            "    - id: HOS002\n      severity: error\n      expression: \"doc.severity == 'HIGH'\"\n"
            "      message: other\n      docs: {summary: other}\n")


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=folder, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("literal, message", [
    (HUGE, "integer literal out of range"), (HUGE + "u", "unsigned integer literal out of range"),
    ("0x" + "f" * 5_000, "integer literal out of range"), ("-" + HUGE, "integer literal out of range"),
])
def test_a_literal_of_thousands_of_digits_is_a_syntax_error_at_its_span(literal, message):
    with pytest.raises(CelSyntaxError, match=message) as caught:
        compile(f"1 + {literal}")
    assert (caught.value.line, caught.value.column) == (1, 5 + literal.startswith("-"))


@pytest.mark.parametrize("literal, value", [
    ("9223372036854775807", 2 ** 63 - 1), ("-9223372036854775808", -2 ** 63), ("0x7fffffffffffffff", 2 ** 63 - 1),
    ("000000000000000000000000042", 42), ("18446744073709551615u", 2 ** 64 - 1), ("0xffffffffffffffffu", 2 ** 64 - 1),
])
def test_literals_at_the_limits_still_convert(literal, value):
    assert compile(literal).evaluate({}) == value


def test_eval_reports_the_literal_on_one_line_and_exits_2(tmp_path: Path):
    done = _run(tmp_path, "eval", HUGE)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("<expr>:1:1: integer literal out of range")


@pytest.mark.parametrize("command, status, stream", [(["check", "."], 2, "stderr"), (["validate"], 1, "stdout")])
def test_a_policy_with_the_literal_is_one_located_line(tmp_path: Path, command, status, stream):
    """`check` stops with exit 2; `validate` reports it among the files' mistakes (exit 1)."""
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "p.yaml").write_text(_policy(f"size(doc.updates) < {HUGE}"), encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("policies: [pol]\n", encoding="utf-8")
    (tmp_path / "INC-7.md").write_text(DECLARED, encoding="utf-8")
    done = _run(tmp_path, *command)
    assert done.returncode == status and "Traceback" not in done.stderr, done.stderr
    assert getattr(done, stream).startswith("pol/p.yaml:9:40: integer literal out of range\n")


@pytest.mark.parametrize("offset", ["+99:99", "-24:00", "+24:00", "+00:99", "-00:60"])
def test_an_offset_out_of_range_is_an_evaluation_error(offset):
    program = compile("timestamp('2026-01-01T00:00:00Z').getHours(zone)")
    for _ in range(3):  # closures, then the generated code
        with pytest.raises(CelEvaluationError, match="invalid time-zone offset"):
            program.evaluate({"zone": offset})
    with pytest.raises(CelEvaluationError, match="invalid time-zone offset"):
        compile(f"timestamp('2026-01-01T00:00:00{offset}')").evaluate({})


@pytest.mark.parametrize("offset, hours", [("+23:59", 23), ("-23:59", 0), ("-05:30", 18), ("05:00", 5)])
def test_offsets_within_a_day_still_work(offset, hours):
    assert compile(f"timestamp('2026-01-01T00:00:00Z').getHours('{offset}')").evaluate({}) == hours


def test_an_offset_from_data_is_eval001_for_that_rule_and_the_run_goes_on(tmp_path: Path):
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "p.yaml").write_text(_policy("doc.declared.getHours(data.tz) > 0"), encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [pol]\ndata: {tz: '+99:99'}\n", encoding="utf-8")
    (tmp_path / "INC-7.md").write_text(DECLARED.replace("HIGH", "LOW"), encoding="utf-8")
    done = _run(tmp_path, "check", ".", "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert {f["rule"] for f in findings} == {"EVAL001", "HOS002"}
    assert "HOS001" in findings[0]["message"] and "invalid time-zone offset in '+99:99'" in findings[0]["message"]


@pytest.mark.parametrize("offset", ["+24:00", "+00:60", "-0099"])
def test_a_documents_offset_out_of_range_is_an_unknown_zone(offset):
    """The record's own `timezone:` is read by the document layer: the same bounds, so a time
    written in it is SCHEMA001 on the record, never a shifted time."""
    from hotfix_policy.engine.documents.values import UnknownTimeZone, zone

    with pytest.raises(UnknownTimeZone):
        zone(offset)
