"""RE2 for `matches()`, `findAll()` and `matchesGlob()`: linear time on any input, and bounded.

A pattern within the limits is `re2_patterns.py`'s to decide (length, repetitions, program size);
a refused one is a `RegexError` here (the checker places it on a literal pattern, evaluation on
one from data). On top, matching charges subject length x program size to the budget before
RE2 runs.
"""

from __future__ import annotations

from functools import lru_cache

from ..limits import REGEX_STEPS_PER_COST_UNIT
from ..re2_patterns import UNANCHORED, PatternError, checked_glob, checked_pattern, fast_program, searcher
from .cost import BUDGET_EXCEEDED, charge, element_units, text_units
from .errors import CelEvaluationError


class RegexError(CelEvaluationError):
    """A pattern RE2 refuses or that is beyond the limits: a mistake in the policy."""


class Regex:
    """A compiled pattern within the limits, and what matching it against a text costs.

    `search(text)` answers yes or no; `matches(budget, text)` first charges the budget (a one-item
    list, or None) for the pass: the compiled form of `text.matches(pattern)`."""

    __slots__ = ("pattern", "compiled", "program_size", "search", "matches")

    def __init__(self, pattern: str, compiled):
        self.pattern = pattern
        self.compiled = compiled
        self.program_size = compiled.programsize
        self.search, self.matches = _searches(compiled, self.program_size)

    def cost(self, text: str) -> int:
        """Cost units of one pass of RE2 over text: every character times every instruction."""
        return -(-len(text) * self.program_size // REGEX_STEPS_PER_COST_UNIT)


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> Regex:
    """A checked, compiled RE2 pattern, cached per process; RegexError when it cannot be used."""
    try:
        return Regex(pattern, checked_pattern(pattern))
    except PatternError as error:
        raise RegexError(str(error)) from None


def _searches(compiled, size: int):
    """(search, matches) for a compiled pattern; the charge is inlined in matches, a hot path."""
    search = searcher(compiled)
    program = fast_program(compiled)
    if program is not None:
        def matches(budget, text: str, _pattern=None) -> bool:
            if budget is not None:
                budget[0] -= -(-len(text) * size // REGEX_STEPS_PER_COST_UNIT)
                if budget[0] < 0:
                    raise CelEvaluationError(BUDGET_EXCEEDED)
            encoded = text.encode("utf-8")
            return program.Match(UNANCHORED, encoded, 0, len(encoded))[0][0] != -1

        return search, matches

    def matches(budget, text: str, _pattern=None) -> bool:
        charge(budget, -(-len(text) * size // REGEX_STEPS_PER_COST_UNIT))
        return search(text)

    return search, matches


def matches(budget, text: str, pattern: str) -> bool:
    """`text.matches(pattern)`, charged to the budget before RE2 runs."""
    return compile_regex(pattern).matches(budget, text)


def find_all(budget, text: str, pattern: str) -> list:
    """`text.findAll(pattern)`: every non-overlapping match of an RE2 pattern, left to right.
    The scan is charged first, then each match as it is found (a pattern that matches the empty
    text finds one at every position)."""
    regex = compile_regex(pattern)
    charge(budget, regex.cost(text))
    found = []
    for match in regex.compiled.finditer(text):
        value = match.group(0)
        charge(budget, element_units(1) + text_units(len(value)))
        found.append(value)
    return found


@lru_cache(maxsize=512)
def glob_regex(glob: str) -> Regex:
    """The RE2 pattern of a `matchesGlob` pattern (`re2_patterns.checked_glob`), within the same limits."""
    try:
        return Regex(glob, checked_glob(glob))
    except PatternError as error:
        raise RegexError(str(error)) from None


def matches_glob(budget, path: str, glob: str) -> bool:
    """`path.matchesGlob('tests/**')`: `*` within a folder, `**/` any folders (or none), `?` one character."""
    return glob_regex(glob).matches(budget, path)
