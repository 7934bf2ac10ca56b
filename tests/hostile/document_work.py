"""A clock-free measure of the work a piece of the engine does on one input.

Two counts, both deterministic:

* `calls`: Python and C function calls (`sys.setprofile`), so a loop that calls something for
  each line, heading or finding is counted once per turn;
* `regex`: the steps every regular expression of the documents package takes, counted by
  re-running each match on `regex_steps.Steps` (a backtracking matcher that behaves like `re`),
  so a pattern that backtracks over a run of spaces is seen even though `re` does it in one call.

A pass is linear when both counts roughly double with the input: `assert_linear` says so.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

from hotfix_policy.engine.documents import (detect, extract, loader, markdown, reader, scopes, secrets, validate,
                                            value_kinds, values)

from hotfix_policy.engine.documents.schema_patterns import SchemaPattern

from .regex_steps import Steps

MODULES = (detect, extract, loader, markdown, reader, scopes, secrets, validate, value_kinds, values)
"""The documents package's modules whose patterns read document text."""
RE_CALLERS = (reader, values)
"""Those that also call `re.match(pattern, text)` and the like inline (and cache no pattern)."""


@dataclass
class Work:
    calls: int = 0
    regex: int = 0
    by_pattern: dict = field(default_factory=dict)   # pattern text -> its steps, for messages


class _CountedPattern:
    """A compiled pattern that answers as itself and adds its steps to a Work."""

    def __init__(self, real: re.Pattern, work: Work):
        self.real, self.work, self.steps = real, work, Steps(real)
        self.pattern, self.groupindex, self.flags = real.pattern, real.groupindex, real.flags

    def _count(self, run):
        previous, limit = sys.getprofile(), sys.getrecursionlimit()
        sys.setprofile(None)
        sys.setrecursionlimit(max(limit, 100_000))  # the matcher recurses once per repeated group
        try:
            before = self.steps.count
            run()
            spent = self.steps.count - before
            self.work.regex += spent
            self.work.by_pattern[self.pattern] = self.work.by_pattern.get(self.pattern, 0) + spent
        finally:
            sys.setrecursionlimit(limit)
            sys.setprofile(previous)

    def match(self, text, pos=0, endpos=sys.maxsize):
        self._count(lambda: self.steps.match(text, pos, endpos))
        return self.real.match(text, pos, endpos)

    def fullmatch(self, text, pos=0, endpos=sys.maxsize):
        self._count(lambda: self.steps.match(text, pos, endpos, whole=True))
        return self.real.fullmatch(text, pos, endpos)

    def search(self, text, pos=0, endpos=sys.maxsize):
        self._count(lambda: self.steps.search(text, pos, endpos))
        return self.real.search(text, pos, endpos)

    def finditer(self, text, pos=0, endpos=sys.maxsize):
        self._count(lambda: self.steps.finditer(text, pos, endpos))
        return self.real.finditer(text, pos, endpos)

    def sub(self, replacement, text, count=0):
        self._count(lambda: self.steps.finditer(text))
        return self.real.sub(replacement, text, count)


class _CountedSchemaPattern:
    """A schema pattern (RE2: linear in what it is given) that counts the characters it is given."""

    def __init__(self, real: SchemaPattern, work: Work):
        self.real, self.work = real, work

    def value_span(self, text, start, end):
        self.work.regex += max(0, end - start) + 1
        return self.real.value_span(text, start, end)


class _Counting:
    """Wraps compiled patterns once each, so their Steps (a parse) are built once."""

    def __init__(self, work: Work):
        self.work = work
        self.wrapped: dict = {}

    def wrap(self, pattern):
        if isinstance(pattern, SchemaPattern):
            return _CountedSchemaPattern(pattern, self.work)
        if not isinstance(pattern, re.Pattern) or isinstance(pattern.pattern, bytes):
            return pattern
        counted = self.wrapped.get(id(pattern))
        if counted is None:
            counted = self.wrapped[id(pattern)] = _CountedPattern(pattern, self.work)
            self.wrapped[id(counted)] = counted
        return counted

    def re_module(self):
        """A stand-in for the `re` module of a module that calls `re.match(...)` and the like."""
        wrap = self.wrap
        shim = SimpleNamespace(**{name: getattr(re, name) for name in dir(re) if not name.startswith("__")})
        shim.compile = lambda p, flags=0: wrap(re.compile(p, flags))
        for name in ("match", "search", "fullmatch"):
            setattr(shim, name, lambda p, text, flags=0, _n=name: getattr(wrap(re.compile(p, flags)), _n)(text))
        shim.sub = lambda p, r, text, count=0, flags=0: wrap(re.compile(p, flags)).sub(r, text, count)
        return shim


@contextmanager
def counting(monkeypatch):
    """Within the block, every pattern of the documents package counts into the Work yielded,
    and so does every function call."""
    work = Work()
    counting = _Counting(work)
    with monkeypatch.context() as patch:
        for module in MODULES:
            for name, value in list(vars(module).items()):
                if isinstance(value, re.Pattern):
                    patch.setattr(module, name, counting.wrap(value))
        for module in RE_CALLERS:
            patch.setattr(module, "re", counting.re_module())
        original_compile = scopes._compile

        def compile_scopes(definitions):
            marker_rx, marker_groups, heading_rx, heading_groups = original_compile(definitions)
            return counting.wrap(marker_rx), marker_groups, counting.wrap(heading_rx), heading_groups
        patch.setattr(scopes, "_compile", compile_scopes)
        for module, name in ((detect, "_rx"), (extract, "_inline_label_rx"), (extract, "schema_pattern")):
            original = getattr(module, name)
            patch.setattr(module, name, lambda *args, _f=original: counting.wrap(_f(*args)))

        def profile(_frame, event, _arg):
            if event == "call" or event == "c_call":
                work.calls += 1
        sys.setprofile(profile)
        try:
            yield work
        finally:
            sys.setprofile(None)


def measure(monkeypatch, run) -> Work:
    """The work of `run()`."""
    with counting(monkeypatch) as work:
        run()
    return work


def assert_linear(small: Work, large: Work, what: str, factor: float = 2.2) -> None:
    """`large` (the input doubled) is at most `factor` times `small` in each count."""
    assert small.calls > 0, what
    assert large.calls <= factor * small.calls, (
        f"{what}: calls {small.calls:,} -> {large.calls:,} ({large.calls / small.calls:.2f}x) when the input doubles")
    growth = sorted(large.by_pattern, key=lambda p: small.by_pattern.get(p, 0) - large.by_pattern[p])[:3]
    assert large.regex <= factor * max(small.regex, 1), (
        f"{what}: regex steps {small.regex:,} -> {large.regex:,} ({large.regex / max(small.regex, 1):.2f}x) "
        f"when the input doubles; most steps: {[p[:80] for p in growth]}")
