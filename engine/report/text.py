"""The human format: `path:line:col: severity RULE message`, the source line, a caret underline.

Like ruff and eslint, one block per finding in path/line order, then one summary line. The
excerpt is built in display columns, not code points: tabs expand to a fixed tab stop, wide
characters (CJK, the emoji of the incident templates) take two cells and combining marks none,
so the carets sit under the span on a terminal. Control characters (including ANSI escapes
and bidi overrides) in paths, messages and sources are shown escaped, never sent raw to the
terminal.
"""

from __future__ import annotations

import unicodedata

from ..findings import Finding, Severity
from ..span import Span
from .model import Report, encodable, severity_of, sorted_findings, summary_line

TAB_WIDTH = 4
MAX_WIDTH = 120   # display cells of source shown on one excerpt line
CONTEXT = 24      # cells kept before the span when a long line is cut
ELLIPSIS = "…"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m",
                    Severity.INFO: "\x1b[1;36m"}
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")


def render(report: Report, *, color: bool = False) -> str:
    blocks = [format_finding(f, report.sources.get(f.path), color=color)
              for f in sorted_findings(report)]
    blocks.append(summary_line(report))
    return "\n\n".join(blocks) + "\n"


def format_finding(finding: Finding, source: str | None, *, color: bool = False) -> str:
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
    excerpt = caret_excerpt(source, span) if source is not None and span is not None else None
    if excerpt is None:
        return header
    number, shown, offset, width = excerpt
    gutter = " " * len(number)
    carets = paint("^" * width, _SEVERITY_COLOUR[severity])
    return f"{header}\n {number} | {shown}\n {gutter} | {' ' * offset}{carets}"


def caret_excerpt(source: str, span: Span) -> tuple[str, str, int, int] | None:
    """(line number, shown line, caret offset, caret width) in display cells, or None when the
    span's line is not in source. A multi-line span is underlined to the end of its first line;
    an empty span, or one at the end of a line, gets one caret."""
    lines = source.split("\n")
    if not 0 < span.line <= len(lines):
        return None
    line = lines[span.line - 1].removesuffix("\r")
    cells, pos = _cells(line)
    start = min(max(span.column - 1, 0), len(line))
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = min(max(end, start), len(line))
    caret_start = pos[start]
    caret_end = max(pos[end], caret_start + 1)
    first, last = 0, len(line)
    if pos[-1] > MAX_WIDTH:
        left = max(0, caret_start - CONTEXT)
        right = min(left + MAX_WIDTH, pos[-1])
        left = max(0, right - MAX_WIDTH)
        first = next(i for i in range(len(line) + 1) if pos[i] >= left)
        last = max(j for j in range(first, len(line) + 1) if pos[j] <= right)
    lead = ELLIPSIS if first > 0 else ""
    tail = ELLIPSIS if last < len(line) else ""
    if last < len(line):
        caret_end = min(caret_end, pos[last])
    shown = lead + "".join(cells[first:last]) + tail
    offset = len(lead) + caret_start - pos[first]
    return str(span.line), shown, offset, max(caret_end - caret_start, 1)


def _cells(line: str) -> tuple[list[str], list[int]]:
    """What each code point of line shows as, and the display column before each (plus end)."""
    cells: list[str] = []
    pos = [0]
    column = 0
    for char in line:
        if char == "\t":
            shown = " " * (TAB_WIDTH - column % TAB_WIDTH)
            width = len(shown)
        else:
            shown = visible(char)
            width = _width(shown) if shown == char else len(shown)
        cells.append(shown)
        column += width
        pos.append(column)
    return cells, pos


def _width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def visible(text: str, keep: str = "") -> str:
    """text with control characters escaped (`\\x1b`, `\\u202e`) and lone surrogates replaced;
    the characters in `keep` (e.g. a tab) are left as they are."""
    text = encodable(text)
    if all(_printable(c, keep) for c in text):
        return text
    return "".join(c if _printable(c, keep) else _escape(c) for c in text)


def _printable(char: str, keep: str = "") -> bool:
    code = ord(char)
    if char in keep:
        return True
    return not (code < 0x20 or 0x7f <= code < 0xa0 or char in _BIDI_CONTROLS)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _painter(color: bool):
    if not color:
        return lambda text, _code: text
    return lambda text, code: f"{code}{text}{_RESET}"
