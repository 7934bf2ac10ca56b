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
from ..span import Span


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
class Place:
    """A file of the checkout (its path relative to the checkout's root, `/`-separated) and a
    span in it: where code scanning can show a finding. No span: the file's first line."""

    path: str
    span: Span | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What the formats know of one document of the run besides its findings, keyed by its path
    in `Report.docs`: how to name it whether or not it has findings (its kind and id), and where
    code scanning can show its findings. `file`: the document's own file relative to the
    checkout's root, None when the document is no file of the checkout whose lines it counts (a
    commit, a tag, the repository, a PR body read from an event file, a file outside the
    checkout). `record`: for a commit or tag that names an incident, that incident's record,
    where its findings are shown instead."""

    kind: str = ""
    id: str = ""
    file: str | None = None
    record: Place | None = None


@dataclass(frozen=True)
class Report:
    """One run's result. `sources` holds already-redacted document text, keyed by path;
    `context` counts the documents read for rules' `docs` only (not judged: not in `documents`);
    `docs` describes the run's documents (a caller that leaves it empty gets placements guessed
    from the paths: `place_of`)."""

    findings: Sequence[Finding]
    documents: int
    sources: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    tool_version: str = ""
    context: int = 0
    excluded: int = 0                # files the configuration's `exclude` left out of the run
    docs: Mapping[str, DocumentInfo] = field(default_factory=dict)


TOOL_NAME = "hotfix-policy"

_NON_FILE = re.compile(r"(?:commit|tag|pr):.+\Z", re.DOTALL)


def severity_of(finding: Finding) -> Severity:
    """The finding's severity as the enum, also when a caller passed the plain string."""
    severity = finding.severity
    return severity if type(severity) is Severity else Severity(severity)  # the enum's call: 1 µs a finding


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


def is_relative_file(path: str) -> bool:
    """Whether a path names a file below the folder it is relative to: not a document that is no
    file, not absolute, not `-` (stdin), no `..` step out."""
    if not path or not is_file_path(path) or path == "-" or path.startswith(("/", "\\")) or _DRIVE.match(path):
        return False
    return ".." not in re.split(r"[/\\]", path)


_DRIVE = re.compile(r"[A-Za-z]:[/\\]")


def place_of(report: Report, finding: Finding) -> Place | None:
    """Where code scanning can show the finding: its document's file and its own span, or the
    incident record a commit or tag names; None when there is no such file (the PR body read
    from an event, a commit or tag without a record, the repository, a file outside the
    checkout). Without `report.docs`, a relative file path is taken as a file of the checkout."""
    info = report.docs.get(finding.path)
    if info is None:
        return Place(finding.path, finding.span) if is_relative_file(finding.path) else None
    if info.record is not None:
        return info.record
    return Place(info.file, finding.span) if info.file is not None else None


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
