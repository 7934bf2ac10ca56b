"""RE2 patterns within the limits, for the rule language's `matches()` and for globs in the
configuration: one place that knows what a pattern may cost.

RE2 never backtracks, but it is not free: when its DFA gives up (counted repetitions such as
`[a-z]{1,1000}[a-z]{1,1000}!x`) it walks every instruction of its program for every byte of the
subject, and a 100 KB pattern against a 100 KB subject ran for minutes. So a pattern is refused
when it is longer, repeats more or compiles to a larger program than `limits.py` allows
(`PatternError`). The rule language (`cel/regex.py`) adds its budget on top; document discovery
needs only this module, not the rule language.

google-re2's Python layer builds match objects and offset maps that a yes/no test does not
need; when its compiled program is reachable we ask it directly (about 5x faster), else we use
the public API.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import re2

from .limits import MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM_SIZE, MAX_REGEX_REPEAT

try:  # the binding's own compiled program: private, so guarded by the fallback below
    from re2 import _re2

    UNANCHORED = _re2.RE2.Anchor.UNANCHORED
except (ImportError, AttributeError):  # pragma: no cover - depends on the installed binding
    UNANCHORED = None

# Escapes and character classes (whose braces are literal), or a counted repetition.
_REPETITION = re.compile(r"\\.|\[\^?\]?(?:\[:\^?[a-z]+:\]|\\.|[^\]\\])*\]|\{(\d+)(?:,(\d*))?\}", re.DOTALL)


class PatternError(ValueError):
    """A pattern RE2 refuses or that is beyond the limits: a mistake of whoever wrote it."""


def checked_pattern(pattern: str):
    """RE2's compiled pattern; PatternError when it cannot be used."""
    if len(pattern) > MAX_REGEX_LENGTH:
        raise PatternError(f"regular expression longer than {MAX_REGEX_LENGTH:,} characters ({len(pattern):,})")
    _check_repetitions(pattern)
    return _compiled(pattern, pattern, "regular expression")


def checked_glob(glob: str):
    """RE2's compiled pattern of a glob (`matchesGlob`, the configuration's globs): `*` within a
    folder, `**/` any folders (or none), `**` anything, `?` one character; PatternError beyond
    the limits (the glob's length)."""
    if len(glob) > MAX_REGEX_LENGTH:
        raise PatternError(f"glob pattern longer than {MAX_REGEX_LENGTH:,} characters ({len(glob):,})")
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


@lru_cache(maxsize=512)
def glob_search(glob: str) -> Callable[[str], bool]:
    """Whether a path matches the glob (`checked_glob`), cached per process."""
    return searcher(checked_glob(glob))


def searcher(compiled) -> Callable[[str], bool]:
    """A yes/no search of the compiled pattern, by its program when that is reachable."""
    program = fast_program(compiled)
    if program is None:
        return lambda text: compiled.search(text) is not None

    def search(text: str) -> bool:
        encoded = text.encode("utf-8")
        return program.Match(UNANCHORED, encoded, 0, len(encoded))[0][0] != -1

    return search


def fast_program(compiled):
    """The binding's own program of a compiled pattern (`Match(UNANCHORED, bytes, start, end)`),
    or None when this binding does not expose it."""
    program = getattr(compiled, "_regexp", None)
    if UNANCHORED is None or program is None or not hasattr(program, "Match"):
        return None
    return program


def _compiled(source: str, written: str, what: str):
    """RE2's program for source (what the author wrote: written), refused beyond the size limit."""
    try:
        compiled = re2.compile(source, _OPTIONS)
    except re2.error as error:
        raise PatternError(f"invalid {what} {_shown(written)}: {_reason(error)}") from None
    if compiled.programsize > MAX_REGEX_PROGRAM_SIZE:
        raise PatternError(f"{what} {_shown(written)} too complex: RE2 makes {compiled.programsize:,} "
                           f"instructions of it, more than {MAX_REGEX_PROGRAM_SIZE:,}")
    return compiled


def _quiet_options():
    """RE2's default options, except that it does not log a pattern it refuses to stderr (the
    refusal is a PatternError, reported once, where it belongs)."""
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
            raise PatternError(f"regular expression repeats {count:,} times ({match.group(0)}): at most "
                               f"{MAX_REGEX_REPEAT} are allowed")


def _shown(pattern: str) -> str:
    return repr(pattern) if len(pattern) <= 80 else repr(pattern[:80]) + "..."
