"""Reading and extracting a document is linear in its text, whatever shape the text has.

Each shape is a document an attacker (or a careless paste) would write: one very long line of
spaces, digits, `#`, `|`, `[`, `*` or backticks where a pattern expects a few characters, or
very many headings, blocks, labels, list items or nested quotes. The work of extracting it
(function calls and regular expression steps, `work.py`) is measured at two sizes and must
about double when the input doubles. No clock is read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hotfix_policy.engine.limits import MAX_FINDINGS_PER_RULE
from hotfix_policy.engine.documents import parse_document

from .document_work import assert_linear, measure

RECORD = ("# INC-1: Search is down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nIssue: i\nImpact: i\n"
          "Status: INVESTIGATING\nETA: 2026-10-27T16:00Z\nCommander: @sam\nDeclared: 2026-10-27T13:05Z\n\n"
          "## Updates\n\n")
REVIEW = ("# Post-Incident Review: INC-1\n\n## Incident Summary\n**Incident:** #1\n\n## Timeline\n"
          "- 2026-10-27T13:05Z - Issue first detected\n\n## Action Items\n- [ ] Add a check - Owner: @a - Due: 2026-11-01\n")
PR = "# 🚨 HOTFIX - EMERGENCY DEPLOYMENT\n\n## Incident Reference\nIncident: #1\nSeverity: HIGH\n\n"
COMMIT = "hotfix(api): fix the alias\n\nEMERGENCY FIX: x\nIncident: #1\n"


def _update(i: int) -> str:
    at = datetime(2026, 10, 27, 13, 5) + timedelta(minutes=45 * (i + 1))
    return (f"### 🔄 INCIDENT UPDATE - {at:%Y-%m-%dT%H:%M}Z\n"
            "Status: FIXING\nProgress: p\nNext: n\nETA: 2026-10-27T16:00Z\nIssues: None\n\n")


LONG_LINES = {
    # one line of n characters, in the place where a pattern reads it
    "heading ending in spaces then a word": lambda n: "# INC-1: x" + " " * n + "x\n",
    "heading of spaces then a closing #": lambda n: "# INC-1: x" + " " * n + "#x\n",
    "heading of # runs": lambda n: RECORD + "## a " + "#" * n + "\n",
    "heading of ' #' pairs": lambda n: RECORD + "## a" + " #" * n + "x\n",
    "heading of emoji shortcodes": lambda n: RECORD + "## " + ":a:" * (n // 3) + "\n",
    "marker with spaces before its end": lambda n: RECORD + "🔄 INCIDENT UPDATE - a" + " " * n + "b\n",
    "marker with underscores": lambda n: RECORD + "🔄 INCIDENT UPDATE - a" + "_ " * (n // 2) + "b\n",
    "label value of spaces": lambda n: RECORD + "Issues:" + " " * n + "x\n",
    "label-like words and spaces": lambda n: RECORD + "a" + " " * n + ":x\n",
    "digits after Incident: see": lambda n: REVIEW.replace("#1", "see " + "1" * n),
    "digits after #": lambda n: COMMIT.replace("#1", "#" + "1" * n + "x"),
    "digits and slashes": lambda n: PR.replace("#1", "see " + "1/" * (n // 2)),
    "list item time of digits and spaces": lambda n: REVIEW.replace("2026-10-27T13:05Z", "1" + " " * n + "x"),
    "action item with spaces before no label": lambda n: REVIEW + "- [ ] a" + " " * n + "x\n",
    "action item with spaces and dashes": lambda n: REVIEW + "- [ ] a" + " -" * (n // 2) + "x\n",
    "table row after spaces in a text fence": lambda n: RECORD + "```\n" + " " * n + "|x|\n```\n",
    "table row of pipes": lambda n: RECORD + "| a |" + " |" * (n // 2) + "\n|---|---|\n",
    "table of pipes in a text fence": lambda n: RECORD + "```\n" + "|" * n + "x\n```\n",
    "runs of [": lambda n: RECORD + "Issues: " + "[" * n + "\n",
    "placeholders side by side": lambda n: RECORD + "Issues: " + "[a]" * (n // 3) + "\n",
    "runs of *": lambda n: RECORD + "Issues: " + "*" * n + "x\n",
    "runs of **a": lambda n: RECORD + "Issues: " + "**a" * (n // 3) + "\n",
    "runs of backticks": lambda n: RECORD + "Issues: " + "`" * n + "x\n",
    "runs of _ and :": lambda n: RECORD + "Issues: " + "_:" * (n // 2) + "x\n",
    "duration of many parts": lambda n: RECORD.replace("Issue: i", "Duration: " + "1h " * (n // 3)),
    "handle of dashes": lambda n: RECORD.replace("@sam", "@" + "a-" * (n // 2)),
    "version of dots": lambda n: RECORD.replace("Issue: i", "Branch: hotfix/v" + "1." * (n // 2)),
    "quote markers": lambda n: RECORD + "> " * (n // 2) + "x\n",
    "front matter value of spaces": lambda n: "---\nkind: incident\nnote: a" + " " * n + "#x\n---\n" + RECORD,
    "front matter YAML value of spaces": lambda n: "---\nkind: incident\nnote: [a]\nother: a" + " " * n + "b\n---\n" + RECORD,
    "commit header of word characters": lambda n: "a" * n + "\n\nEMERGENCY FIX: x\n",
    "commit header of dashes and parentheses": lambda n: "hotfix(" + "-(" * (n // 2) + "\n\nbody\n",
    # found linear when hunting (markdown-it's block rules, our outline): kept as guards
    "a fence of backticks": lambda n: RECORD + "`" * n + "\nx\n",
    "lines opening a link label": lambda n: RECORD + "[a\n" * (n // 3),
    "list markers side by side": lambda n: RECORD + "- " * (n // 2) + "x\n",
    "HTML attributes": lambda n: RECORD + "<div" + " a='b'" * (n // 6) + "\n",
    "a wide table": lambda n: RECORD + "|a" * (n // 10) + "|\n" + "|-" * (n // 10) + "|\n" + "|b" * (n // 10) + "|\n",
    "a setext underline": lambda n: RECORD + "a\n" + "=" * n + "\n",
    "label-like words": lambda n: RECORD + "a:" * (n // 2) + "\n",
}

MANY = {
    # n headings, blocks, labels or items
    "status updates": lambda n: RECORD + "".join(_update(i) for i in range(n)),
    "empty named sections": lambda n: RECORD + "## Closed\n" * n,
    "empty review sections": lambda n: REVIEW + "## Timeline\n" * n,
    "headings": lambda n: RECORD + "".join(f"## Section {i}\ntext\n" for i in range(n)),
    "labels": lambda n: RECORD + "".join(f"Label {i}: v\n" for i in range(n)),
    "repeated labels": lambda n: RECORD + "Status: FIXING\n" * n,
    "list items": lambda n: REVIEW + "- [ ] item - Owner: @a - Due: 2026-11-01\n" * n,
    "timeline entries": lambda n: REVIEW.replace("## Action", "- 2026-10-27T13:05Z - declared\n" * n + "\n## Action"),
    "table rows": lambda n: REVIEW.replace("## Action", "| 13:05 | detected |\n|---|---|\n" + "| 13:05 | x |\n" * n + "\n## Action"),
    "nested list items": lambda n: RECORD + "".join("  " * (i % 40) + "- x\n" for i in range(n)),
    "nested quotes": lambda n: RECORD + "".join("> " * (i % 40) + "x\n" for i in range(n)),
    "placeholders": lambda n: RECORD + "Issues: [fill me in]\n" * n,
    "secrets": lambda n: RECORD + "".join(f"password: hunter{i:06d}x\n" for i in range(n)),
    "blocks without headings": lambda n: RECORD + "🔄 INCIDENT UPDATE - 2026-10-27T14:00Z\nStatus: FIXING\n" * n,
}


COMMITS = {"digits after #", "commit header of word characters", "commit header of dashes and parentheses"}
"""Shapes read as commit messages (`--kind commit`); the others are Markdown, their kind detected."""


def _extraction_work(monkeypatch, text: str, kind: str | None):
    parse_document(text, path="hostile.md", kind=kind)  # warm caches: schemas, compiled patterns
    return measure(monkeypatch, lambda: parse_document(text, path="hostile.md", kind=kind))


@pytest.mark.parametrize("shape", LONG_LINES)
def test_a_long_line_is_read_in_linear_work(shape, monkeypatch):
    kind = "commit" if shape in COMMITS else None
    small = _extraction_work(monkeypatch, LONG_LINES[shape](1_000), kind)
    large = _extraction_work(monkeypatch, LONG_LINES[shape](2_000), kind)
    assert_linear(small, large, shape)


@pytest.mark.parametrize("shape", MANY)
def test_many_parts_are_read_in_linear_work(shape, monkeypatch):
    small = _extraction_work(monkeypatch, MANY[shape](150), None)
    large = _extraction_work(monkeypatch, MANY[shape](300), None)
    assert_linear(small, large, shape)


def test_policy_check_of_a_record_with_many_updates_is_linear(monkeypatch, tmp_path, capsys):
    """The whole of `policy check` (reading, the built-in pack with a finding per update, the text
    report) on a record of n and 2n status updates: the attack that took minutes."""
    from hotfix_policy.cli.main import main

    def check(updates: int):
        path = tmp_path / f"INC-{updates}.md"
        path.write_text(MANY["status updates"](updates), encoding="utf-8")
        args = ["check", str(path), "--now", "2026-11-01T00:00:00Z", "--fail-on", "never"]
        main(args)  # warm: the policy cache, compiled patterns
        work = measure(monkeypatch, lambda: main(args))
        shown = capsys.readouterr().out  # a finding per update, each run: the first 100 shown, then "and N more"
        assert shown.count("INC006") == 2 * (MAX_FINDINGS_PER_RULE + 1)
        assert f"and {updates - MAX_FINDINGS_PER_RULE:,} more like this" in shown
        return work

    assert_linear(check(150), check(300), "policy check of a record with many status updates")
