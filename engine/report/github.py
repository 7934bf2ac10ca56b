"""GitHub Actions workflow commands: each finding becomes an annotation on the PR's diff.

`::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::message`; warnings as
`::warning`, info and waived findings as `::notice` (a waived finding is reported, never
failing). Values are escaped as the runner expects: `%`, CR and LF everywhere, and `:` and `,`
inside properties, so no message can end a command early or start a new one. Documents that
are not files of the checkout (a commit, a tag, the PR body read from the event, whose file is
in the runner's temp folder) get an annotation without a file, named in the message with the
line; GitHub shows those on the run's summary. A plain summary line follows.
"""

from __future__ import annotations

from ..diagnostics import visible
from ..findings import Finding, Severity
from .model import DocumentInfo, Report, is_file_path, severity_of, sorted_findings, summary_line

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report) -> str:
    lines = [command(f, report.docs.get(f.path)) for f in sorted_findings(report)]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def command(finding: Finding, info: DocumentInfo | None = None) -> str:
    """The finding's workflow command; `info` (the run's knowledge of its document) tells a file
    of the checkout from the event's PR body."""
    name = "notice" if finding.waived else COMMAND[severity_of(finding)]
    properties: list[tuple[str, object]] = []
    message = finding.message
    if info is not None and info.kind == "pull_request" and info.file is None and is_file_path(finding.path):
        line = f", line {finding.span.line}" if finding.span is not None else ""
        message = f"{info.id} (the pull request's description{line}): {message}"
    elif is_file_path(finding.path):
        # GitHub places an annotation by its path from the checkout's root, whatever folder
        # the command ran in; a file outside the checkout keeps the path as given.
        properties.append(("file", info.file if info is not None and info.file else finding.path))
        span = finding.span
        if span is not None:
            properties += [("line", span.line), ("endLine", span.end_line)]
            if span.end_line == span.line:
                # GitHub honours columns only on one line.
                properties += [("col", span.column), ("endColumn", span.end_column)]
    else:
        message = f"{finding.path}: {message}"
    properties.append(("title", finding.rule))
    if finding.waived:
        message += " (waived)"
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"


def mistake_command(path: str, line: int, column: int, message: str) -> str:
    """A mistake that stopped the run (a policy or the configuration: exit 2) as an error
    annotation at its place, so `--format github` shows it on the file like a finding."""
    where = f"file={escape_property(path)},line={line},col={column}," if path else ""
    return f"::error {where}title=hotfix-policy::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Text for a workflow command: control characters a document may carry (an escape
    sequence that would repaint the log) shown escaped, line ends and `%` encoded as GitHub reads them."""
    return visible(text, "\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
