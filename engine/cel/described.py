"""What a function or macro of the rule language does, with an example: written once, next to its
declaration (`functions.py`, `ast.py`), and read by hover, completion, `policy functions` and
`docs/functions.md`; `tests/cel/test_function_docs.py` evaluates every example.
"""

from __future__ import annotations

from typing import NamedTuple


class Described(NamedTuple):
    """description: one or two sentences; example: an expression using it; result: the
    example's value, written as an expression (`'abc'`, `[1, 2]`); shape: how a macro is
    written (a function shows its signatures instead)."""

    description: str
    example: str
    result: str
    shape: str = ""
