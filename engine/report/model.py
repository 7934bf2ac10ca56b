"""The data every output format reads, and the few facts they must agree on.

Formats differ in shape, not in substance: the same order of findings, the same counts and
the same idea of which paths name files. Keeping those here means `text`, `json`, `sarif`,
`github` and `junit` can never disagree about what a run found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..findings import Finding, Severity


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is, for help text and SARIF rule metadata (pack rules and engine checks)."""

    id: str
    severity: Severity
    summary: str
    rationale: str = ""
    workflow: str = ""                  # the workflow section the rule enforces
    policy: str = ""
    help_uri: str = ""


@dataclass(frozen=True)
class Report:
    """One run's result. `sources` holds already-redacted document text, keyed by path;
    `context` counts the documents read for rules' `docs` only (not judged: not in `documents`)."""

    findings: Sequence[Finding]
    documents: int
    sources: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    tool_version: str = ""
    context: int = 0
    excluded: int = 0                # files the configuration's `exclude` left out of the run


TOOL_NAME = "hotfix-policy"

_NON_FILE = re.compile(r"(?:commit|tag|pr):.+\Z", re.DOTALL)


def severity_of(finding: Finding) -> Severity:
    """The finding's severity as the enum, also when a caller passed the plain string."""
    return Severity(finding.severity)


def sort_key(finding: Finding) -> tuple:
    """Order of findings in every format: path, line, column, rule; spanless first per path."""
    span = finding.span
    line, column = (span.line, span.column) if span is not None else (0, 0)
    end = (span.end_line, span.end_column) if span is not None else (0, 0)
    return (finding.path, line, column, finding.rule, end, finding.message)


def sorted_findings(report: Report) -> list[Finding]:
    return sorted(report.findings, key=sort_key)


def summary_counts(report: Report) -> dict[str, int]:
    """Counts for summaries: a waived finding counts only toward `waived`."""
    counts = {"documents": report.documents, "context": report.context, "errors": 0, "warnings": 0, "infos": 0,
              "waived": 0, "excluded": report.excluded}
    for finding in report.findings:
        if finding.waived:
            counts["waived"] += 1
        else:
            counts[_COUNT_KEY[severity_of(finding)]] += 1
    return counts


_COUNT_KEY = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}


def is_file_path(path: str) -> bool:
    """False for documents that are not files: `commit:<sha>`, `tag:<name>`, `pr:<n>`, `repository`."""
    return not (path == "repository" or _NON_FILE.match(path))


def summary_line(report: Report) -> str:
    """`3 errors, 1 warning, 0 info in 12 documents (1 waived)`, or `No findings in 12 documents`;
    `in 1 document, 14 others as context` when the run read documents it did not judge, then
    `; 2 files excluded` when the configuration excluded some."""
    counts = summary_counts(report)
    documents = _plural(counts["documents"], "document")
    if counts["context"]:
        documents += f", {counts['context']} other{'s' if counts['context'] != 1 else ''} as context"
    excluded = f"; {_plural(counts['excluded'], 'file')} excluded" if counts["excluded"] else ""
    if not report.findings:
        return f"No findings in {documents}{excluded}"
    line = (f"{_plural(counts['errors'], 'error')}, {_plural(counts['warnings'], 'warning')}, "
            f"{counts['infos']} info in {documents}")
    if counts["waived"]:
        line += f" ({counts['waived']} waived)"
    return line + excluded


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
