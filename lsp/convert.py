"""Engine places and findings -> lsprotocol types, at the edge of the server.

The engine counts 1-based lines and columns in Unicode code points over text whose line ends
were normalized to `\\n` (and a leading BOM dropped); an LSP position is a 0-based line (`\\n`,
`\\r\\n` and `\\r` all end one) and a column in the client's code units: UTF-16 by default, UTF-8
or UTF-32 when the client offered them and pygls chose them. `TextLines` indexes the client's
text once and converts both ways; lines and columns beyond the text are clamped, never raised.
"""

from __future__ import annotations

import re
from typing import Optional

from lsprotocol import types

from ..engine.documents.secrets import mask_message, mask_text
from ..engine.editor.problems import plain_text
from ..engine.findings import Severity
from ..engine.policy.help_links import rule_help_url

SOURCE = "hotfix-policy"
_BREAK = re.compile(r"\r\n|\r|\n")


def code_units(text: str, encoding: str) -> int:
    """How many code units of `encoding` (utf-8, utf-16, utf-32) the text takes."""
    if encoding == types.PositionEncodingKind.Utf32 or text.isascii():
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _code_points(line: str, units: int, encoding: str) -> int:
    """The code-point index in `line` where `units` code units end (never inside a character)."""
    if encoding == types.PositionEncodingKind.Utf32 or line.isascii():
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += code_units(char, encoding)
    return len(line)


class TextLines:
    """One version of a document's text, indexed by line for position conversions."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16):
        self.text = text
        self.encoding = str(encoding or types.PositionEncodingKind.Utf16)
        self._bom = 1 if text.startswith("\ufeff") else 0
        self._starts: Optional[list] = None
        self._ends: Optional[list] = None

    def _index(self) -> None:
        starts, ends = [0], []
        for match in _BREAK.finditer(self.text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(self.text))
        self._starts, self._ends = starts, ends

    @property
    def count(self) -> int:
        if self._starts is None:
            self._index()
        return len(self._starts)

    def line(self, index: int) -> str:
        """Line `index` (0-based) without its line break; '' beyond the text."""
        if self._starts is None:
            self._index()
        if not 0 <= index < len(self._starts):
            return ""
        return self.text[self._starts[index]:self._ends[index]]

    # -- engine -> client ---------------------------------------------------------------------
    def position(self, line: int, column: int) -> types.Position:
        """The client position of a 1-based engine line and code-point column."""
        if line > self.count:
            last = self.count - 1
            return types.Position(last, code_units(self.line(last), self.encoding))
        index = max(line, 1) - 1
        text = self.line(index)
        points = max(column, 1) - 1 + (self._bom if index == 0 else 0)
        return types.Position(index, code_units(text[:points], self.encoding))

    def range(self, span) -> types.Range:
        """The client range of an engine `Span` (None: the start of the first line)."""
        if span is None:
            return types.Range(types.Position(0, 0), types.Position(0, 0))
        start = self.position(span.line, span.column)
        end = self.position(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start, end)

    # -- client -> engine ---------------------------------------------------------------------
    def offset(self, position: types.Position) -> int:
        """The code-point offset in the text of a client position (clamped to the text)."""
        if self._starts is None:
            self._index()
        if position.line >= len(self._starts):
            return len(self.text)
        index = max(position.line, 0)
        text = self.line(index)
        return self._starts[index] + _code_points(text, max(position.character, 0), self.encoding)

    def engine_position(self, position: types.Position) -> tuple:
        """(1-based line, 1-based code-point column) in the engine's terms of a client position."""
        index = min(max(position.line, 0), self.count - 1)
        points = _code_points(self.line(index), max(position.character, 0), self.encoding)
        if index == 0:
            points = max(points - self._bom, 0)
        return index + 1, points + 1


_ROOT_PREFIX: Optional[str] = None


def show_paths_from(root) -> None:
    """The workspace's root: the engine keeps absolute paths in the server (`files.show_absolute_
    paths`), and what the user reads names the workspace's files from its root, as `policy check`
    run there does (`policies/incident.yaml:12`); files elsewhere stay absolute."""
    global _ROOT_PREFIX
    _ROOT_PREFIX = str(root).rstrip("/\\") + "/" if root else None


def shown(text: str) -> str:
    """Text for the user: the workspace's absolute paths in it relative to its root, and any
    secret in it masked (a file's name in a hover, a policy's path in a log message)."""
    return mask_text(text.replace(_ROOT_PREFIX, "") if _ROOT_PREFIX and _ROOT_PREFIX in text else text)


SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def finding_diagnostic(finding, lines: TextLines, rule_link=None) -> types.Diagnostic:
    """A finding as a diagnostic: `code` the rule id, waived findings as hints marked "(waived)".

    `rule_link(rule_id)` gives (href, Location, summary) of the rule's definition, or None.
    The message is the engine's own, which never repeats a detected secret.
    """
    link = rule_link(finding.rule) if rule_link is not None else None
    message = shown(plain_text(finding.message or finding.rule))
    severity = SEVERITIES.get(Severity(finding.severity), types.DiagnosticSeverity.Error)
    if finding.waived:
        message, severity = f"{message} (waived)", types.DiagnosticSeverity.Hint
    diagnostic = types.Diagnostic(
        range=lines.range(finding.span), message=message, severity=severity, code=finding.rule,
        source=SOURCE,
        data={"rule": finding.rule, "policy": finding.policy, "kind": finding.kind,
              "document": finding.document, "waived": finding.waived},
    )
    if link is not None:
        href, location, summary = link
        diagnostic.code_description = types.CodeDescription(href=href)
        if location is not None:
            diagnostic.related_information = [types.DiagnosticRelatedInformation(
                location=location, message=shown(f"{finding.rule}: {summary}"))]
    return diagnostic


PROBLEM_SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


def problem_diagnostic(problem, lines: TextLines, quoted: tuple = ()) -> types.Diagnostic:
    """A policy or config file mistake (`engine.editor.problems.FileProblem`) as a diagnostic at
    its place, with its code, the code's reference and its suggestion (`data.suggestion`, what
    the quick fix writes); its message may quote the file, so secrets in it and `quoted` (the
    file's, `secret_values`) are masked."""
    diagnostic = types.Diagnostic(range=lines.range(problem.span), message=shown(mask_message(problem.message, quoted)),
                                  severity=PROBLEM_SEVERITIES[problem.severity], source=SOURCE,
                                  code=problem.code or None)
    if problem.code and rule_help_url(problem.code):
        diagnostic.code_description = types.CodeDescription(href=rule_help_url(problem.code))
    if problem.suggestion is not None:
        diagnostic.data = {"suggestion": mask_message(problem.suggestion, quoted)}
    return diagnostic
