"""Reporting is linear in the findings and the source: a finding's excerpt reads its own line,
never the whole source again.

A record with thousands of status updates gets a finding per update; each one's excerpt used to
split the whole source into lines. Here the source is a `str` that counts the characters its
own methods scan (`find` up to what it finds, a slice its length, `split` the whole text), so
the test sees how much of the source each format reads, without a clock.
"""

from __future__ import annotations

import pytest

from hotfix_policy.engine import diagnostics
from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.report import FORMATS, Report, render
from hotfix_policy.engine.span import Span


class CountingText(str):
    """A source text that counts the characters scanned by its own methods."""

    scanned: int

    def __new__(cls, text):
        self = super().__new__(cls, text)
        self.scanned = 0
        return self

    def _window(self, start, end):
        size = len(self)
        start = 0 if start is None else (start + size if start < 0 else start)
        end = size if end is None else (end + size if end < 0 else end)
        return max(0, min(start, size)), max(0, min(end, size))

    def find(self, sub, start=None, end=None):
        found = super().find(sub, start, end)
        first, last = self._window(start, end)
        self.scanned += (found + len(sub) - first) if found >= 0 else last - first
        return found

    def rfind(self, sub, start=None, end=None):
        found = super().rfind(sub, start, end)
        first, last = self._window(start, end)
        self.scanned += (last - found) if found >= 0 else last - first
        return found

    def count(self, sub, start=None, end=None):
        first, last = self._window(start, end)
        self.scanned += last - first
        return super().count(sub, start, end)

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.scanned += len(value)
        return value

    def __iter__(self):
        self.scanned += len(self)
        return super().__iter__()


def _whole_text_method(name):
    def scan_all(self, *args, **kwargs):
        self.scanned += len(self)
        return getattr(str, name)(self, *args, **kwargs)
    return scan_all


for _name in ("split", "splitlines", "rsplit", "index", "rindex", "partition", "rpartition", "replace",
              "strip", "lstrip", "rstrip", "encode", "startswith", "endswith", "lower", "upper", "expandtabs",
              "translate", "isascii", "isprintable", "__contains__"):
    setattr(CountingText, _name, _whole_text_method(_name))


def _report(updates: int):
    """A record of `updates` status updates, with a finding on each update's heading."""
    lines = ["# INC-1: Search is down", ""] + [f"### 🔄 INCIDENT UPDATE - 2026-10-27T13:{i % 60:02d}Z"
                                                for i in range(updates)]
    source = CountingText("\n".join(lines) + "\n")
    findings = []
    position = 0
    for number, line in enumerate(lines, 1):
        if line.startswith("###"):
            end = position + len(line)
            findings.append(Finding("INC006", Severity.WARNING, "Status update gap of 45 minutes", "INC-1.md",
                                    Span(position + 4, end, number, 5, number, len(line) + 1)))
        position += len(line) + 1
    return source, Report(findings, 1, {"INC-1.md": source})


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_finding_reads_its_own_line(fmt):
    small_source, small = _report(500)
    render(small, fmt)
    large_source, large = _report(1_000)
    render(large, fmt)
    assert large_source.scanned <= 2.2 * max(small_source.scanned, 1), (
        f"{fmt}: {small_source.scanned:,} -> {large_source.scanned:,} characters scanned when the findings double")


@pytest.mark.parametrize("fmt", ("text", "junit"))
def test_many_findings_on_one_long_line_read_it_once(fmt):
    """Findings on one long line (a secret pasted a thousand times in a log line) each show a
    window of it: the line's display cells are worked out once, not once per finding."""
    def work(count):
        line = "token=abcd1234 " * count
        source = CountingText("# INC-1: x\n" + line + "\n")
        findings = [Finding("SEC001", Severity.ERROR, "secret", "INC-1.md",
                            Span(11 + 15 * i, 11 + 15 * i + 14, 2, 1 + 15 * i, 2, 15 + 15 * i)) for i in range(count)]
        calls = {"cells": 0}
        original = diagnostics.visible

        def counting_visible(text, keep=""):
            calls["cells"] += len(text)
            return original(text, keep)
        diagnostics.visible = counting_visible
        try:
            render(Report(findings, 1, {"INC-1.md": source}), fmt)
        finally:
            diagnostics.visible = original
        return source.scanned + calls["cells"]

    small, large = work(300), work(600)
    assert large <= 2.2 * small, f"{fmt}: {small:,} -> {large:,} characters worked on when the findings double"
