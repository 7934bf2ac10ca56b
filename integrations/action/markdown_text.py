"""Untrusted text made inert for GitHub Markdown: the job summary and the PR comment.

A finding's message quotes the pull request (a Bypass Reason, a title, a file name), so it may
hold Markdown meant to escape its place: an image that loads a tracking URL, a link, a heading,
a `|` that ends a table cell, a fence that ends a code block, HTML, an `@mention` that pings.
Each function here returns text that renders as exactly those characters and nothing more:

- `inline`: one line for a table cell or a sentence. HTML's `& < >` become entities, every other
  character Markdown gives a meaning to is backslash-escaped (so `![x](u)`, `[x](u)`, `#`, `|`,
  `*`, `$` (math), a backtick are literal; an escaped `:` or `.` keeps GitHub from autolinking
  `https://...` and `www.`), and a word joiner after `@` keeps a handle from becoming a mention.
- `code_block`: lines in a fence longer than any run of backticks inside them, so no line can
  close it (CommonMark: a closing fence is at least as long as the opening one).

Standard library only, like the other scripts beside it.
"""

from __future__ import annotations

import re

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPED = frozenset("\\`*_{}[]()#+-.!|~:^$")
WORD_JOINER = "\u2060"


def inline(text: object) -> str:
    """`text` on one line (whitespace collapsed), rendering as itself in a sentence or a cell."""
    out = []
    for char in " ".join(str(text).split()):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _ESCAPED:
            out.append("\\" + char)
        elif char == "@":
            out.append("@" + WORD_JOINER)
        else:
            out.append(char)
    return "".join(out)


def code_block(text: str) -> str:
    """`text` as a fenced block no line of it can close (and no info string it can choose)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{fence}text\n{body}{fence}\n"
