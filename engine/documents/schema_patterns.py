"""The `pattern` and `title` regexes of `x-source` directives, run in time linear in the text.

Schemas are data: a pattern written there is searched over a document's title, first line or a
front matter value, which an attacker may make 100,000 characters long. Python's `re`
backtracks, and a search such as `[\\w-]+\\([^)]*\\)!?:` restarts at every character of a long
word and reads to its end each time: quadratic. RE2 runs any pattern in linear time. Its
`\\d`, `\\w` and `\\s` are ASCII, so they are rewritten to the Unicode classes Python's `re`
uses (an Arabic-Indic digit is a digit, a no-break space a space), and the rest of the syntax
these patterns use is the same in both. These patterns run a few times per document, so RE2's
higher cost per call does not matter; the per-line patterns of `scopes.py` and `markdown.py`
stay on `re`, written so that they cannot backtrack over a run.
"""

from __future__ import annotations

from functools import cache

import re2

from ..re2_patterns import UNANCHORED, fast_program

_UNICODE = {
    "d": r"\p{Nd}",
    "w": r"\p{L}\p{N}_",
    "s": r"\t-\r\x{1c}-\x{20}\x{85}\p{Z}",   # str.isspace: the C0 separators, NEL and every Z
}


class SchemaPattern:
    """A schema's pattern with a `value` group; `value_span` searches a range of a text."""

    __slots__ = ("regex", "group", "program")

    def __init__(self, pattern: str):
        self.regex = re2.compile("(?i)" + re2_syntax(pattern))
        self.group = self.regex.groupindex["value"]  # google-re2 takes group numbers only
        self.program = fast_program(self.regex)

    def value_span(self, text: str, start: int, end: int):
        """(start, end) of the `value` group of the first match in text[start:end], or None.
        Asked of the compiled program when it is reachable: the binding's own `search` maps
        every offset between bytes and characters in Python, a tenth of extraction's regex time."""
        subject = text[start:end]
        if self.program is None:
            match = self.regex.search(subject)
            found = None if match is None else match.span(self.group)
        else:
            encoded = subject.encode("utf-8")
            spans = self.program.Match(UNANCHORED, encoded, 0, len(encoded))
            found = None if spans[0][0] == -1 else spans[self.group]
            if found is not None and found[0] != -1 and len(encoded) != len(subject):  # offsets in characters
                found = (len(encoded[:found[0]].decode("utf-8")), len(encoded[:found[1]].decode("utf-8")))
        if found is None or found[0] == -1:
            return None
        return start + found[0], start + found[1]


@cache
def schema_pattern(pattern: str) -> SchemaPattern:
    return SchemaPattern(pattern)


def re2_syntax(pattern: str) -> str:
    """A Python pattern in RE2's syntax, with Python's Unicode classes; ValueError for what RE2
    cannot do the same way (`\\b`, and `\\D`, `\\W`, `\\S` inside a set)."""
    out = []
    in_set = False
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\" and position + 1 < len(pattern):
            escaped = pattern[position + 1]
            position += 2
            if escaped in _UNICODE:
                out.append(_UNICODE[escaped] if in_set else f"[{_UNICODE[escaped]}]")
            elif escaped in "DWS" and not in_set:
                out.append(f"[^{_UNICODE[escaped.lower()]}]")
            elif escaped in "DWSbB":
                raise ValueError(f"pattern {pattern!r}: \\{escaped} has no RE2 equivalent here")
            elif escaped == "Z":
                out.append(r"\z")
            else:
                out.append("\\" + escaped)
            continue
        if in_set and char == "]" and not _set_start(pattern, position):
            in_set = False
        elif not in_set and char == "[":
            in_set = True
        out.append(char)
        position += 1
    return "".join(out)


def _set_start(pattern: str, position: int) -> bool:
    """Whether the `]` at position is the first character of its set (`[]` or `[^]`), a literal."""
    return pattern[position - 1] == "[" or (pattern[position - 1] == "^" and pattern[position - 2] == "[")
