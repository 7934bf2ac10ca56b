"""How much work a backtracking regular expression does, counted instead of timed.

Python's `re` backtracks: a pattern such as `a(.*?)[ \\t]*$` takes time quadratic in a run of
spaces, and nothing in `re` tells how many steps a match took. This module re-runs a compiled
pattern on its own small backtracking matcher, built from the parse tree `re` itself makes
(`re._parser`), that tries the alternatives in the order `re` does (greedy repeats longest
first, lazy ones shortest first, branches left to right) and counts each character or position
it examines. The count is not `re`'s exact step count (`re` skips some hopeless attempts), but
it grows the way `re`'s does: a pattern that is linear here is linear there, and one that
backtracks over a run here does so there. The tests use it to prove that every pattern the
documents package hands document text to does work linear in that text.

Only what the engine's patterns use is supported; anything else raises NotImplementedError, so
a new construct fails a test loudly instead of being counted as free.
"""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser

MAXREPEAT = sre.MAXREPEAT


class Steps:
    """The work of one compiled pattern: `match`, `search`, `fullmatch` and `finditer` count."""

    def __init__(self, compiled: re.Pattern):
        self.pattern = compiled
        self.count = 0
        self._text = ""
        self._end = 0
        tree = _parser.parse(compiled.pattern, compiled.flags)
        self._run = self._sequence(list(tree), compiled.flags)

    # -- the entry points, as re's ---------------------------------------------------------
    def match(self, text: str, pos: int = 0, endpos: int | None = None, whole: bool = False):
        self._text, self._end = text, len(text) if endpos is None else min(endpos, len(text))
        if whole:
            return self._run(pos, lambda end: end if end == self._end else None)
        return self._run(pos, lambda end: end)

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        for start in range(pos, end + 1):
            self.count += 1
            found = self.match(text, start, end)
            if found is not None:
                return start, found
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        spans = []
        while pos <= end:
            found = self.search(text, pos, end)
            if found is None:
                break
            spans.append(found)
            pos = found[1] if found[1] > found[0] else found[1] + 1
        return spans

    # -- the matcher: each node becomes a function (position, continuation) -> end or None --
    def _sequence(self, nodes: list, flags: int):
        if not nodes:
            return lambda pos, then: then(pos)
        first = self._node(nodes[0][0], nodes[0][1], flags)
        rest = self._sequence(nodes[1:], flags)
        return lambda pos, then: first(pos, lambda after: rest(after, then))

    def _node(self, op, arg, flags):
        one = self._one_char(op, arg, flags)
        if one is not None:
            def single(pos, then):
                self.count += 1
                return then(pos + 1) if pos < self._end and one(self._text[pos]) else None
            return single
        if op is sre.AT:
            return self._at(arg, flags)
        if op is sre.BRANCH:
            alternatives = [self._sequence(list(alt), flags) for alt in arg[1]]

            def branch(pos, then):
                for alternative in alternatives:
                    found = alternative(pos, then)
                    if found is not None:
                        return found
                return None
            return branch
        if op is sre.SUBPATTERN:
            _group, add, remove, body = arg
            return self._sequence(list(body), (flags | add) & ~remove)
        if op is sre.ATOMIC_GROUP:
            inner = self._sequence(list(arg), flags)
            return lambda pos, then: self._then_once(inner(pos, lambda end: end), then)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return self._assert(op is sre.ASSERT, arg, flags)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return self._repeat(op, arg, flags)
        raise NotImplementedError(f"regex_steps: {op} in {self.pattern.pattern!r}")

    @staticmethod
    def _then_once(end, then):
        return None if end is None else then(end)

    def _one_char(self, op, arg, flags):
        """A test of one character for the nodes that consume exactly one, else None."""
        fold = bool(flags & re.IGNORECASE)
        if op is sre.LITERAL:
            wanted = chr(arg)
            return (lambda c: c.lower() == wanted.lower()) if fold else (lambda c: c == wanted)
        if op is sre.NOT_LITERAL:
            wanted = chr(arg)
            return (lambda c: c.lower() != wanted.lower()) if fold else (lambda c: c != wanted)
        if op is sre.ANY:
            return (lambda c: True) if flags & re.DOTALL else (lambda c: c != "\n")
        if op is sre.IN:
            return self._charset(arg, fold)
        return None

    def _charset(self, items, fold):
        negate = False
        tests = []
        for op, arg in items:
            if op is sre.NEGATE:
                negate = True
            elif op is sre.LITERAL:
                tests.append(lambda c, w=chr(arg): c == w)
            elif op is sre.RANGE:
                tests.append(lambda c, lo=arg[0], hi=arg[1]: lo <= ord(c) <= hi)
            elif op is sre.CATEGORY:
                tests.append(_CATEGORIES[arg])
            else:
                raise NotImplementedError(f"regex_steps: {op} in a set of {self.pattern.pattern!r}")

        def member(c):
            candidates = {c, c.lower(), c.upper()} if fold else (c,)
            return any(test(x) for x in candidates for test in tests) != negate
        return member

    def _at(self, code, flags):
        def at(pos, then):
            self.count += 1
            text, end = self._text, self._end
            if code in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                ok = pos == 0 or (code is sre.AT_BEGINNING and flags & re.MULTILINE and text[pos - 1] == "\n")
            elif code is sre.AT_BEGINNING_LINE:
                ok = pos == 0 or text[pos - 1] == "\n"
            elif code is sre.AT_END:
                ok = pos == end or (pos == end - 1 and text[pos] == "\n") or (
                    bool(flags & re.MULTILINE) and pos < end and text[pos] == "\n")
            elif code is sre.AT_END_LINE:
                ok = pos == end or text[pos] == "\n"
            elif code is sre.AT_END_STRING:
                ok = pos == end
            elif code in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
                before = pos > 0 and _word(text[pos - 1])
                after = pos < end and _word(text[pos])
                ok = (before != after) == (code is sre.AT_BOUNDARY)
            else:
                raise NotImplementedError(f"regex_steps: {code} in {self.pattern.pattern!r}")
            return then(pos) if ok else None
        return at

    def _assert(self, positive, arg, flags):
        direction, body = arg
        inner = self._sequence(list(body), flags)
        if direction == 1:
            def ahead(pos, then):
                found = inner(pos, lambda end: end) is not None
                return then(pos) if found == positive else None
            return ahead
        width = _parser.SubPattern(_parser.State(), list(body)).getwidth()
        if width[0] != width[1]:
            raise NotImplementedError(f"regex_steps: variable lookbehind in {self.pattern.pattern!r}")

        def behind(pos, then):
            start = pos - width[0]
            found = start >= 0 and inner(start, lambda end: end if end == pos else None) is not None
            return then(pos) if found == positive else None
        return behind

    def _repeat(self, op, arg, flags):
        low, high, body = arg
        high = float("inf") if high == MAXREPEAT else high
        body = list(body)
        one = self._one_char(body[0][0], body[0][1], flags) if len(body) == 1 else None
        if one is not None:
            return self._repeat_one(op, low, high, one)
        item = self._sequence(body, flags)
        if op is sre.POSSESSIVE_REPEAT:
            def possessive(pos, then):
                count = 0
                while count < high:
                    end = item(pos, lambda e: e)
                    if end is None or end == pos:
                        break
                    pos, count = end, count + 1
                return then(pos) if count >= low else None
            return possessive
        greedy = op is sre.MAX_REPEAT

        def repeat(pos, then, count=0):
            self.count += 1
            def more(end):
                return None if end == pos else repeat(end, then, count + 1)
            if greedy and count < high:
                found = item(pos, more)
                if found is not None:
                    return found
            if count >= low:
                found = then(pos)
                if found is not None or greedy:
                    return found
            return item(pos, more) if not greedy and count < high else None
        return repeat

    def _repeat_one(self, op, low, high, one):
        """A repeat of one character, as re's REPEAT_ONE: count the run, then back off."""
        def run_length(pos):
            text, end, length = self._text, self._end, 0
            while pos + length < end and length < high and one(text[pos + length]):
                length += 1
            self.count += length + 1
            return length

        if op is sre.MIN_REPEAT:
            def lazy(pos, then):
                length = 0
                text, end = self._text, self._end
                while True:
                    self.count += 1
                    if length >= low:
                        found = then(pos + length)
                        if found is not None:
                            return found
                    if length >= high or pos + length >= end or not one(text[pos + length]):
                        return None
                    length += 1
            return lazy
        if op is sre.POSSESSIVE_REPEAT:
            def possessive(pos, then):
                length = run_length(pos)
                return then(pos + length) if length >= low else None
            return possessive

        def greedy(pos, then):
            length = run_length(pos)
            while length >= low:
                self.count += 1
                found = then(pos + length)
                if found is not None:
                    return found
                length -= 1
            return None
        return greedy


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


_CATEGORIES = {
    sre.CATEGORY_DIGIT: str.isdecimal, sre.CATEGORY_UNI_DIGIT: str.isdecimal,
    sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(), sre.CATEGORY_UNI_NOT_DIGIT: lambda c: not c.isdecimal(),
    sre.CATEGORY_SPACE: str.isspace, sre.CATEGORY_UNI_SPACE: str.isspace,
    sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(), sre.CATEGORY_UNI_NOT_SPACE: lambda c: not c.isspace(),
    sre.CATEGORY_WORD: _word, sre.CATEGORY_UNI_WORD: _word,
    sre.CATEGORY_NOT_WORD: lambda c: not _word(c), sre.CATEGORY_UNI_NOT_WORD: lambda c: not _word(c),
}
