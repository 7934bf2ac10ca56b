"""The human format: `path:line:col: severity RULE message`, the source line, a caret underline.

Like ruff and eslint, one block per finding in path/line order, then one summary line. The
excerpt is `engine.diagnostics.caret_excerpt` (display columns, so the carets sit under the
span on a terminal). Control characters (including ANSI escapes and bidi overrides) in paths,
messages and sources are shown escaped, never sent raw to the terminal.
"""

from __future__ import annotations

from ..diagnostics import SourceLines, visible
from ..findings import Finding, Severity
from .model import Report, severity_of, sorted_findings, summary_line

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m",
                    Severity.INFO: "\x1b[1;36m"}


def render(report: Report, *, color: bool = False) -> str:
    lines = source_lines(report)
    blocks = [format_finding(f, lines.get(f.path), color=color) for f in sorted_findings(report)]
    blocks.append(summary_line(report))
    return "\n\n".join(blocks) + "\n"


def source_lines(report: Report) -> dict:
    """Each source of the report ready for excerpts, read once however many findings it has."""
    return {path: SourceLines(source) for path, source in report.sources.items() if source is not None}


def format_finding(finding: Finding, source: SourceLines | str | None, *, color: bool = False) -> str:
    """One finding: its header line and, when it has a span inside `source`, the excerpt."""
    severity = severity_of(finding)
    paint = _painter(color)
    span = finding.span
    where = visible(finding.path)
    if span is not None:
        where += f":{span.line}:{span.column}"
    message = "\n    ".join(visible(line, "\t") for line in finding.message.splitlines() or [""])
    header = (f"{where}: {paint(severity.value, _SEVERITY_COLOUR[severity])} "
              f"{paint(visible(finding.rule), _BOLD)} {message}")
    if finding.waived:
        header += " " + paint("(waived)", _DIM)
    if isinstance(source, str):
        source = SourceLines(source)
    excerpt = source.excerpt(span) if source is not None and span is not None else None
    if excerpt is None:
        return header
    gutter = " " * len(excerpt.number)
    underline = excerpt.underline(lambda carets: paint(carets, _SEVERITY_COLOUR[severity]))
    return f"{header}\n {excerpt.number} | {excerpt.shown}\n {gutter} | {underline}"


def _painter(color: bool):
    if not color:
        return lambda text, _code: text
    return lambda text, code: f"{code}{text}{_RESET}"
