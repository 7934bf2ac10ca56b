"""RE2 for `matches()`: linear time on any input, so a hostile pattern cannot hang a CI run.

google-re2's Python layer builds match objects and offset maps that a yes/no test does not
need; when its compiled program is reachable we ask it directly (about 5x faster), else we use
the public API.
"""

from __future__ import annotations

from functools import lru_cache

import re2

from .errors import CelEvaluationError

try:  # the binding's own compiled program: private, so guarded by the fallback below
    from re2 import _re2

    _UNANCHORED = _re2.RE2.Anchor.UNANCHORED
except (ImportError, AttributeError):  # pragma: no cover - depends on the installed binding
    _UNANCHORED = None


@lru_cache(maxsize=512)
def compile_regex(pattern: str):
    """A yes/no search function for an RE2 pattern, cached per process."""
    try:
        compiled = re2.compile(pattern)
    except re2.error as error:
        raise CelEvaluationError(f"invalid regular expression {pattern!r}: {error}") from None
    program = getattr(compiled, "_regexp", None)
    if _UNANCHORED is None or program is None or not hasattr(program, "Match"):
        return lambda text: compiled.search(text) is not None

    def search(text: str) -> bool:
        encoded = text.encode("utf-8")
        return program.Match(_UNANCHORED, encoded, 0, len(encoded))[0][0] != -1

    return search


def matches(text: str, pattern: str) -> bool:
    return compile_regex(pattern)(text)


@lru_cache(maxsize=512)
def _glob_search(glob: str):
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
    return compile_regex("".join(parts) + "$")


def matches_glob(path: str, glob: str) -> bool:
    """`path.matchesGlob('tests/**')`: `*` within a folder, `**/` any folders (or none), `?` one character."""
    return _glob_search(glob)(path)


def find_all(text: str, pattern: str) -> list:
    """`text.findAll(pattern)`: every non-overlapping match of an RE2 pattern, left to right."""
    compiled = _compiled(pattern)
    return [match.group(0) for match in compiled.finditer(text)]


@lru_cache(maxsize=512)
def _compiled(pattern: str):
    try:
        return re2.compile(pattern)
    except re2.error as error:
        raise CelEvaluationError(f"invalid regular expression {pattern!r}: {error}") from None
