"""RE2 for `matches()`, `findAll()` and `matchesGlob()`: linear time on any input, and bounded.

RE2 never backtracks, but it is not free: when its DFA gives up (counted repetitions such as
`[a-z]{1,1000}[a-z]{1,1000}!x`) it walks every instruction of its program for every byte of the
subject, and a 100 KB pattern against a 100 KB subject ran for minutes. So a pattern is refused
when it is longer, repeats more or compiles to a larger program than `engine/limits.py` allows
(`RegexError`: the checker places it on a literal pattern, evaluation on one from data), and
matching charges subject length x program size to the budget before RE2 runs.

google-re2's Python layer builds match objects and offset maps that a yes/no test does not
need; when its compiled program is reachable we ask it directly (about 5x faster), else we use
the public API.
"""

from __future__ import annotations

import re
from functools import lru_cache

import re2

from ..limits import MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM_SIZE, MAX_REGEX_REPEAT, REGEX_STEPS_PER_COST_UNIT
from .cost import BUDGET_EXCEEDED, charge, element_units, text_units
from .errors import CelEvaluationError

try:  # the binding's own compiled program: private, so guarded by the fallback below
    from re2 import _re2

    _UNANCHORED = _re2.RE2.Anchor.UNANCHORED
except (ImportError, AttributeError):  # pragma: no cover - depends on the installed binding
    _UNANCHORED = None

# Escapes and character classes (whose braces are literal), or a counted repetition.
_REPETITION = re.compile(r"\\.|\[\^?\]?(?:\[:\^?[a-z]+:\]|\\.|[^\]\\])*\]|\{(\d+)(?:,(\d*))?\}", re.DOTALL)


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
    if len(pattern) > MAX_REGEX_LENGTH:
        raise RegexError(f"regular expression longer than {MAX_REGEX_LENGTH:,} characters ({len(pattern):,})")
    _check_repetitions(pattern)
    return _compiled(pattern, pattern, "regular expression")


def _compiled(source: str, written: str, what: str) -> Regex:
    """RE2's program for source (what the author wrote: written), refused beyond the size limit."""
    try:
        compiled = re2.compile(source, _OPTIONS)
    except re2.error as error:
        raise RegexError(f"invalid {what} {_shown(written)}: {_reason(error)}") from None
    if compiled.programsize > MAX_REGEX_PROGRAM_SIZE:
        raise RegexError(f"{what} {_shown(written)} too complex: RE2 makes {compiled.programsize:,} "
                         f"instructions of it, more than {MAX_REGEX_PROGRAM_SIZE:,}")
    return Regex(written, compiled)


def _quiet_options():
    """RE2's default options, except that it does not log a pattern it refuses to stderr (the
    refusal is a RegexError, reported once, where it belongs)."""
    options = re2.Options()
    options.log_errors = False
    return options


_OPTIONS = _quiet_options()


def _reason(error: Exception) -> str:
    """RE2's words for a refused pattern (the binding gives them as bytes)."""
    reason = error.args[0] if error.args else str(error)
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _check_repetitions(pattern: str) -> None:
    for match in _REPETITION.finditer(pattern):
        low, high = match.group(1), match.group(2)
        if low is None:
            continue
        count = max(int(low), int(high) if high else 0)
        if count > MAX_REGEX_REPEAT:
            raise RegexError(f"regular expression repeats {count:,} times ({match.group(0)}): at most {MAX_REGEX_REPEAT} "
                             "are allowed")


def _shown(pattern: str) -> str:
    return repr(pattern) if len(pattern) <= 80 else repr(pattern[:80]) + "..."


def _searches(compiled, size: int):
    """(search, matches) for a compiled pattern; the charge is inlined in matches, a hot path."""
    program = getattr(compiled, "_regexp", None)
    if _UNANCHORED is None or program is None or not hasattr(program, "Match"):
        def search(text: str) -> bool:
            return compiled.search(text) is not None
    else:
        def search(text: str) -> bool:
            encoded = text.encode("utf-8")
            return program.Match(_UNANCHORED, encoded, 0, len(encoded))[0][0] != -1

        def matches(budget, text: str, _pattern=None) -> bool:
            if budget is not None:
                budget[0] -= -(-len(text) * size // REGEX_STEPS_PER_COST_UNIT)
                if budget[0] < 0:
                    raise CelEvaluationError(BUDGET_EXCEEDED)
            encoded = text.encode("utf-8")
            return program.Match(_UNANCHORED, encoded, 0, len(encoded))[0][0] != -1

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
    """The RE2 pattern of a `matchesGlob` pattern, within the same limits (the glob's length)."""
    if len(glob) > MAX_REGEX_LENGTH:
        raise RegexError(f"glob pattern longer than {MAX_REGEX_LENGTH:,} characters ({len(glob):,})")
    parts, index = ["^"], 0
    while index < len(glob):
        if glob.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            parts.append(".*")
            index += 2
        elif glob[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re2.escape(glob[index]))
            index += 1
    return _compiled("".join(parts) + "$", glob, "glob pattern")


def matches_glob(budget, path: str, glob: str) -> bool:
    """`path.matchesGlob('tests/**')`: `*` within a folder, `**/` any folders (or none), `?` one character."""
    return glob_regex(glob).matches(budget, path)
