"""What the editor shows for findings and for mistakes in policy files, and the fixes it offers
for the mistakes it knows how to fix.

The engine's messages are written for a terminal and for Markdown reports (`name` in code
ticks); an editor shows a diagnostic's message as plain text, so the ticks go here, for the
editor only. A finding of a rule that judges what only a CI run knows (`docs.where: ci`, such
as PR017 "approvals unknown") is not shown: the person editing cannot act on it, and a new file
with nothing written yet (empty or whitespace only: DOC003 "document is empty" to
`policy check`) shows nothing: it is about to be filled in. A mistake in a
policy or configuration file keeps the code of its kind (`policy.file_errors`) and its "did you
mean" suggestion, which `suggestion_fixes` turns into a quick fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Optional

from ..policy.engine_rules import ENGINE_RULES
from ..policy.rule_reference import CI_ONLY, where
from ..span import Span
from . import text as texts
from .model import TextEdit, replacement

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_QUOTES = "\"'"


def plain_text(message: str) -> str:
    """A message as an editor shows it: Markdown code spans without their ticks."""
    return _CODE_SPAN.sub(lambda match: match.group(2).strip(), message).replace("`", "")


def shown_findings(findings: Iterable, rules: dict, text: str) -> list:
    """The findings an editor shows of a document's `text`: those of CI-only rules left out,
    none while nothing is written."""
    if not text.strip():
        return []
    ci_only = {rule_id for rule_id, (_, rule) in rules.items() if where(rule) == CI_ONLY}
    return [finding for finding in findings if finding.rule not in ci_only]


@dataclass(frozen=True)
class FileProblem:
    """A mistake in the open policy, policy test or configuration file, as the editor shows it."""

    span: Optional[Span]
    message: str
    severity: str                   # error | warning
    code: str = ""
    suggestion: Optional[str] = None


def file_problems(problems, path: str) -> list:
    """The `validation.FileProblems` of the file at `path`, in file order: each error at its
    place in this file; the mistakes found in other files it loads (a policy a configuration
    names) as one problem per file, on the configuration's entry that loads it (else at the
    start), since their places are not in this text."""
    here = os.path.abspath(path)
    shown: list = []
    elsewhere: dict = {}
    for severity, errors in (("error", problems.errors), ("warning", problems.waivers + problems.warnings)):
        for error in errors:
            if os.path.abspath(error.path) == here:
                shown.append(FileProblem(error.span, plain_text(error.message), _severity(error.code, severity),
                                         error.code, error.suggestion))
            else:
                elsewhere.setdefault(error.path, []).append(error)
    loaded_by = getattr(problems, "loaded_by", {})
    for other, errors in elsewhere.items():
        first = errors[0]
        where_ = f":{first.span.line}:{first.span.column}" if first.span is not None else ""
        count = f"{len(errors)} mistakes" if len(errors) > 1 else "a mistake"
        shown.append(FileProblem(loaded_by.get(other), plain_text(
            f"{other} does not load ({count}; open it to fix): the first, at {other}{where_}: {first.message}"),
            "error", first.code))
    return shown


def _severity(code: str, otherwise: str) -> str:
    """An engine rule's own severity for a problem of its code (WVR003, an invalid waiver: an
    error, as `policy check` reports it), else the severity of the problem's list."""
    rule = ENGINE_RULES.get(code)
    return rule[0].value if rule is not None else otherwise


def suggestion_fixes(text: str, problems: Iterable, start: tuple, end: tuple) -> list:
    """"Change 'x' to 'y'" for each problem in the range (1-based (line, column) pairs) that has
    a suggestion: a key, a value, a field or a rule id most likely misspelt."""
    text = text.replace("\r\n", "\n")  # the engine's spans count lines over `\n` ends
    first = texts.offset_of(text, *start)
    last = texts.offset_of(text, *end)
    actions = []
    for problem in problems:
        span = problem.span
        if problem.suggestion is None or span is None:
            continue
        begin = texts.offset_of(text, span.line, span.column)
        finish = texts.offset_of(text, span.end_line, span.end_column)
        if not (begin <= last and first <= finish):
            continue
        written = text[begin:finish]
        if len(written) >= 2 and written[0] in _QUOTES and written[-1] == written[0]:
            begin, finish, written = begin + 1, finish - 1, written[1:-1]
        if written == problem.suggestion:
            continue
        actions.append(replacement(written, problem.suggestion, TextEdit(texts.span(text, begin, finish),
                                                                         problem.suggestion), problem.code, span))
    return actions
