"""What the editor services return: plain engine-level results the language server converts.

Every place is an `engine.span.Span` (1-based lines, code-point columns) over the text the
service was given; a path says which file when the place is in another one (a policy file,
`.policy.yaml`). Nothing here knows the protocol: `lsp/` turns these into lsprotocol types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..span import Span

# Completion item kinds, named as the protocol's kinds are (the LSP layer maps the names).
FIELD, ENUM, VALUE, SNIPPET, FUNCTION, VARIABLE, MODULE, KEYWORD, REFERENCE, TEXT, PROPERTY, EVENT = (
    "field", "enum_member", "value", "snippet", "function", "variable", "module", "keyword",
    "reference", "text", "property", "event")


@dataclass(frozen=True)
class TextEdit:
    """Replace `span` of the file at `path` (None: the file the request is about) with new_text;
    `snippet`, when set, is the same text in snippet syntax (its placeholders tab stops) for
    editors that take one."""

    span: Span
    new_text: str
    path: Optional[str] = None
    snippet: Optional[str] = None


@dataclass(frozen=True)
class CompletionItem:
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""            # Markdown
    edit: Optional[TextEdit] = None    # what accepting the item does (insert or replace a span)
    snippet: bool = False              # edit.new_text uses snippet syntax ($1, ${1:x})
    sort_text: str = ""
    filter_text: str = ""


@dataclass(frozen=True)
class Hover:
    markdown: str
    span: Span


@dataclass(frozen=True)
class Location:
    path: str
    span: Span


QUICKFIX, SOURCE = "quickfix", "source"   # the kinds of CodeAction


@dataclass(frozen=True)
class CodeAction:
    title: str
    kind: str                          # quickfix | refactor | source
    edits: tuple = ()                  # TextEdit, each with its path (None: this file)
    command: Optional[tuple] = None    # (command id, arguments) run instead of / after the edits
    diagnostic_rule: str = ""          # the finding's rule id (or mistake's code) the action answers, when one
    about: Optional[Span] = None       # the place of the finding or mistake it answers, when one
    preferred: bool = False            # the fix itself (editors apply it first, e.g. VS Code's auto fix)


def replacement(written: str, meant: str, edit: "TextEdit", rule: str = "", about: Optional[Span] = None) -> CodeAction:
    """The preferred quick fix that changes what was written into what was meant, its title plain
    text (a menu shows no Markdown, so no backticks): every "did you mean" becomes one."""
    return CodeAction(f"Change '{written}' to '{meant}'", QUICKFIX, (edit,), None, rule, about, preferred=True)


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str                          # section | block | field | list | rule | variable
    span: Span                         # the whole symbol
    selection: Span                    # its name
    detail: str = ""
    children: tuple = ()


@dataclass(frozen=True)
class Lens:
    span: Span
    title: str
    command: str
    arguments: tuple = ()


@dataclass
class RuleCounts:
    """Which workspace documents a rule passes and fails (by path)."""

    passed: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    waived: list = field(default_factory=list)  # failed, but every finding of it there is waived
