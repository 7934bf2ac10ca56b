"""What a name inside a rule expression stands for: the static type of `doc.resolution`,
`variables.gaps` or a macro's loop variable, worked out from the text before the cursor.

Completion runs on expressions that do not parse yet (`doc.` is the moment to complete), so
this reads the dotted chain left of the cursor and walks the checker's types
(`engine.policy.environment`: the kind's record type, `ctx`, `data`, the policy's variables)
instead of parsing. Functions and macros come from `engine.cel.functions.FUNCTIONS` and
`engine.cel.ast.MACROS`, what they do from `engine.cel.function_reference`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..cel.ast import MACROS
from ..cel.function_reference import signature
from ..cel.functions import FUNCTIONS
from ..cel.types import DYN, ListType, MapType, RecordType, Type, iteration_type

ROOT_DOCS = {
    "doc": "the document the rule runs on, typed by its kind's schema",
    "docs": "every document of the run, by kind (`docs.incident`)",
    "ctx": "the run's context: branch, base, author, labels, changed_files, approvals, event, now",
    "data": "configuration values (`.policy.yaml` `data`, over the pack's defaults)",
    "variables": "this policy's variables",
    "item": "the current element of the rule's `forEach`",
}
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_CHAIN = re.compile(rf"({_IDENT}(?:\s*\.\s*{_IDENT}|\s*\[[^\[\]]*\])*)\s*\.\s*({_IDENT})?$")
_PARTIAL = re.compile(rf"({_IDENT})?$")


@dataclass
class Scope:
    """The names an expression may use, with their types."""

    roots: dict = field(default_factory=dict)        # name -> Type
    variables: dict = field(default_factory=dict)    # variable name -> (Type, expression text)


def _strip_strings(text: str) -> str:
    """The text with string literals blanked (same length), so `'a.b'` is not a chain."""
    return re.sub(r"'(?:[^'\\\n]|\\.)*'?|\"(?:[^\"\\\n]|\\.)*\"?", lambda m: " " * len(m.group(0)), text)


def member_type(owner: Type, name: str) -> Optional[Type]:
    if isinstance(owner, RecordType):
        return owner.fields.get(name)
    if isinstance(owner, MapType):
        return owner.value
    if owner == DYN:
        return DYN
    return None


def chain_type(chain: str, scope: Scope, before: str) -> Optional[Type]:
    """The type of a dotted chain such as `doc.resolution` or `u.status` (u a macro variable)."""
    parts = re.findall(rf"{_IDENT}|\[[^\[\]]*\]", chain)
    if not parts:
        return None
    root, rest = parts[0], parts[1:]
    current = scope.roots.get(root)
    if current is None:
        current = loop_variable_type(root, before, scope)
    for part in rest:
        if current is None:
            return None
        if part.startswith("["):
            current = iteration_type(current) if isinstance(current, ListType) else member_type(current, "")
        else:
            current = member_type(current, part)
    return current


def loop_variable_type(name: str, before: str, scope: Scope) -> Optional[Type]:
    """A macro's loop variable: `X.all(name, ...` open before the cursor binds name to X's elements."""
    text = _strip_strings(before)
    pattern = re.compile(rf"({_IDENT}(?:\s*\.\s*{_IDENT}|\s*\[[^\[\]]*\])*)\s*\.\s*(?:{'|'.join(MACROS)})\(\s*{name}\s*,")
    for match in reversed(list(pattern.finditer(text))):
        container = chain_type(match.group(1), scope, text[:match.start()])
        if container is not None:
            return iteration_type(container) or DYN
    return None


def functions(method: bool, receiver: Optional[Type] = None) -> dict:
    """Named functions (no operators): name -> signatures, methods applicable to `receiver`."""
    found: dict = {}
    for name, overloads in FUNCTIONS.items():
        if not name[:1].isalpha():
            continue
        for overload in overloads:
            if overload.method != method:
                continue
            if method and receiver is not None and receiver != DYN and not overload.accepts_static((receiver,)):
                continue
            found.setdefault(name, []).append(signature(overload))
    return found


@dataclass
class Completion:
    """Where the cursor is in an expression: after `chain.` (member) or in a bare name (root)."""

    member: bool
    receiver: Optional[Type]
    chain: str
    partial: str


def at_cursor(before: str, scope: Scope) -> Completion:
    text = _strip_strings(before)
    match = _CHAIN.search(text)
    if match:
        partial = match.group(2) or ""
        return Completion(True, chain_type(match.group(1), scope, before[:match.start()]), match.group(1), partial)
    partial = _PARTIAL.search(text).group(1) or ""
    return Completion(False, None, "", partial)


def loop_variables(before: str) -> list:
    """Loop variables of macros still open at the cursor (`x` in `doc.updates.all(x, x.`)."""
    text = _strip_strings(before)
    names = []
    for match in re.finditer(rf"\.\s*(?:{'|'.join(MACROS)})\(\s*({_IDENT})\s*,", text):
        depth = text[match.end():].count("(") - text[match.end():].count(")")
        if depth >= 0 and match.group(1) not in names:
            names.append(match.group(1))
    return names
