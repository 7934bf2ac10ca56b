"""Template text as an editor snippet whose tab stops are its placeholders.

The templates write their blanks as placeholders (`[Brief description]`, `@[name]`: the pattern
is `documents.values.PLACEHOLDER`). Inserted as a snippet, the editor selects the first blank
and Tab moves to the next; a blank left alone keeps its placeholder text, so DOC002 still says
it is unfilled. This is the one conversion the quick fixes, the template completion and
`policy new --snippet` (the VS Code "New incident record" command) use.
"""

from __future__ import annotations

import re

from ..documents.values import PLACEHOLDER
from .model import TextEdit

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
"""An HTML comment (the PR template's optional bypass section): its placeholders are no stops."""
_SPECIAL = re.compile(r"[\\$}]")


def escape(text: str) -> str:
    """Literal text in snippet syntax: `\\`, `$` and `}` escaped."""
    return _SPECIAL.sub(lambda match: "\\" + match.group(), text)


def as_snippet(text: str, first: int = 1) -> str:
    """The text with each placeholder a tab stop `${n:[placeholder]}`, numbered from `first`;
    a leading `@` or `#` stays outside the stop, so typing a name keeps the sign."""
    return numbered_snippet(text, first)[0]


def numbered_snippet(text: str, first: int = 1) -> tuple:
    """(snippet, the next free tab stop number): several edits of one action number on."""
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(text)]
    parts = []
    number, position = first, 0
    for match in PLACEHOLDER.finditer(text):
        start = match.start()
        if any(begin <= start < end for begin, end in comments):
            continue
        if text[start] in "@#":
            start += 1
        parts.append(escape(text[position:start]))
        parts.append(f"${{{number}:{escape(text[start:match.end()])}}}")
        number, position = number + 1, match.end()
    parts.append(escape(text[position:]))
    return "".join(parts), number


def placeholder_edits(pairs) -> tuple:
    """A TextEdit inserting each (span, text), its snippet beside it; the tab stops number on
    from one edit to the next, so an action of several edits is one snippet session."""
    edits, number = [], 1
    for span, text in pairs:
        snippet, number = numbered_snippet(text, number)
        edits.append(TextEdit(span, text, snippet=snippet))
    return tuple(edits)
