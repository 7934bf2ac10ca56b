"""Documents under the old 10 MB limit took minutes and gigabytes: 1.8 million `## x` headings
(3 GB), a million checkboxes, 600,000 `Status:` labels with a finding each, 9 MB of `\\r`. Linear,
but at about 300 bytes of memory per byte. Now a document over MAX_DOCUMENT_BYTES or
MAX_DOCUMENT_LINES is DOC003, found before the Markdown parser runs, and judged by no rule; one
over them keeps the kind its start shows, so a padded record is never skipped; and a rule reports
at most MAX_FINDINGS_PER_RULE findings on a document, then "and N more like this"."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import markdown, parse_document
from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LINES, MAX_FINDINGS_PER_RULE
from hotfix_policy.engine.policy.check import capped
from tests.conftest import POLICY_COMMAND

RECORD = ("# INC-4001: Checkout down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nStatus: INVESTIGATING\n"
          "Declared: 2026-10-27T13:05Z\nCommander: @x\n\n")
HEADER_LINES = RECORD.count("\n")
SHAPES = {
    "headings": lambda n: RECORD + "## x\n" * n,
    "checkboxes": lambda n: RECORD + "- [ ] x\n" * n,
    "labels": lambda n: RECORD + "Status: FIXING\n" * n,
    "table rows": lambda n: RECORD + "| a | b |\n|---|---|\n" + "| x | y |\n" * (n - 2),
    "blank lines": lambda n: RECORD + "\n" * n,
    "carriage returns": lambda n: RECORD + "\r" * n,
}


@pytest.fixture
def parses(monkeypatch) -> list:
    """Each call of the Markdown outline (the parser's only caller)."""
    calls: list = []
    original = markdown.outline

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    monkeypatch.setattr(markdown, "outline", counting)
    return calls


@pytest.mark.parametrize("shape", SHAPES)
def test_one_line_too_many_is_doc003_before_the_parser_runs(shape, parses):
    document = parse_document(SHAPES[shape](MAX_DOCUMENT_LINES - HEADER_LINES + 1), path="INC-4001.md")
    assert parses == [1]  # the start only, read to tell the kind
    assert document.kind == "incident" and not document.read and document.data == {"secrets": []}
    [finding] = document.findings
    assert finding.rule == "DOC003" and finding.message.startswith(
        f"too many lines to judge: {MAX_DOCUMENT_LINES + 1:,}, over the limit of {MAX_DOCUMENT_LINES:,}")


@pytest.mark.parametrize("shape", ["headings", "labels", "table rows"])
def test_a_document_at_the_line_limit_is_read(shape):
    document = parse_document(SHAPES[shape](MAX_DOCUMENT_LINES - HEADER_LINES), path="INC-4001.md")
    assert document.read and document.id == "INC-4001"
    assert all(f.rule != "DOC003" for f in document.findings)


def test_the_start_of_an_oversized_text_is_all_that_is_read_to_tell_its_kind(parses):
    readme = parse_document("# Changelog\n\n" + "- fixed a bug\n" * (MAX_DOCUMENT_LINES + 1), path="CHANGELOG.md")
    assert readme.kind is None and not readme.read and parses == [1]


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=folder, capture_output=True, text=True, timeout=300)


def test_an_oversized_record_under_a_folder_fails_the_run_and_no_rule_judges_it(tmp_path: Path):
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-4001.md").write_text(RECORD + "Issue: " + "a" * MAX_DOCUMENT_BYTES + "\n",
                                                        encoding="utf-8")
    (tmp_path / "incidents" / "INC-4002.md").write_text(SHAPES["headings"](MAX_DOCUMENT_LINES), encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n" + "- x\n" * MAX_DOCUMENT_LINES, encoding="utf-8")
    done = _run(tmp_path, "check", ".", "--format", "json", "--now", "2026-10-27T14:00:00Z")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert sorted((f["path"], f["rule"]) for f in report["findings"]) == [
        ("incidents/INC-4001.md", "DOC003"), ("incidents/INC-4002.md", "DOC003")]
    assert "over the size limit of 1,048,576 bytes" in report["findings"][0]["message"]


@pytest.mark.parametrize("padded", [
    "---\nkind: incident\n" + "".join(f"k{n}: 1\n" for n in range(MAX_DOCUMENT_LINES + 5_000)) + "---\n" + RECORD,
    "\n" * (3 * MAX_DOCUMENT_LINES) + RECORD,
], ids=["front matter that ends past the start", "blank lines before the title"])
def test_an_oversized_file_whose_start_shows_no_title_fails_closed(tmp_path: Path, padded: str):
    """The start of a file over the line limit tells its kind when it shows a title; padding that
    pushes the title (or the end of the front matter that names the kind) out of it would
    otherwise have the record passed over as not ours, and the run pass."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-4003.md").write_text(padded, encoding="utf-8")
    done = _run(tmp_path, "check", ".", "--format", "json", "--now", "2026-10-27T14:00:00Z")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["path"], finding["rule"]) == ("incidents/INC-4003.md", "DOC003")
    assert "too many lines to judge" in finding["message"]


def test_a_rule_reports_the_first_findings_then_how_many_more(tmp_path: Path):
    (tmp_path / "INC-4001.md").write_text(RECORD + "AKIAQZXRTYUIOPASDFGH\n" * 1_000, encoding="utf-8")
    done = _run(tmp_path, "check", "INC-4001.md", "--format", "json", "--now", "2026-10-27T14:00:00Z")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    secrets = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "SEC001"]
    assert len(secrets) == MAX_FINDINGS_PER_RULE + 1
    assert [f["line"] for f in secrets] == list(range(HEADER_LINES + 1, HEADER_LINES + MAX_FINDINGS_PER_RULE + 2))
    assert secrets[-1]["message"] == (f"and {1_000 - MAX_FINDINGS_PER_RULE:,} more like this (a rule reports at most "
                                      f"{MAX_FINDINGS_PER_RULE} findings on one document)")


def test_capping_counts_each_rule_and_document_and_keeps_the_order():
    def finding(rule, path, waived=False):
        return Finding(rule=rule, severity=Severity.ERROR, message="m", path=path, document=path, waived=waived)
    findings = [finding("A001", "a.md")] * 5 + [finding("B001", "a.md")] * 2 + [finding("A001", "b.md")] * 3 \
        + [finding("A001", "a.md", waived=True)] * 4
    kept = capped(findings, limit=2)
    assert [(f.rule, f.path, f.waived, f.message) for f in kept] == [
        ("A001", "a.md", False, "m"), ("A001", "a.md", False, "m"),
        ("A001", "a.md", False, "and 3 more like this (a rule reports at most 2 findings on one document)"),
        ("B001", "a.md", False, "m"), ("B001", "a.md", False, "m"),
        ("A001", "b.md", False, "m"), ("A001", "b.md", False, "m"),
        ("A001", "b.md", False, "and 1 more like this (a rule reports at most 2 findings on one document)"),
        ("A001", "a.md", True, "m"), ("A001", "a.md", True, "m"),
        ("A001", "a.md", True, "and 2 more like this (a rule reports at most 2 findings on one document)")]
