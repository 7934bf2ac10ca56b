"""Loaded policies: rules with their compiled expressions and where each is written.

Everything here is immutable after loading and shared by the CLI and the language server:
`Rule.span` points at the rule's `id` in its YAML file (go to definition, EVAL001 messages),
and each compiled expression keeps the YAML scalar it came from.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..cel import Program
from ..errors import UsageError
from ..findings import Severity
from ..span import Span


_COMPILING = threading.RLock()
"""One expression compiled at a time: the language server checks in several threads, and a
rule's compilation compiles the variables it reads first."""


class Expression:
    """An expression of a policy, compiled, and the place of its text in the policy file.

    Compiled when made, or, read from the policy cache (which holds only files that compiled
    without a mistake), when a run first asks for its program: a run that replays its outcome
    evaluates none of the pack's 267 expressions and one partly judged again about a fifth, and
    type-checking and building the rest took some 40 ms of each."""

    __slots__ = ("source", "span", "_program", "_compile")

    def __init__(self, source: str, span: Span, program: Optional[Program] = None,
                 compile: Optional[Callable[[], Program]] = None):
        self.source, self.span = source, span
        self._program, self._compile = program, compile

    @property
    def program(self) -> Program:
        program = self._program
        if program is None:
            with _COMPILING:
                if self._program is None:
                    self._program = self._compile()
                program = self._program
        return program

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    expression: Expression
    span: Span                                  # the rule's `id` value in its file
    for_each: Optional[Expression] = None
    target: Optional[Expression] = None
    message: str = ""
    message_expression: Optional[Expression] = None
    docs: dict = field(default_factory=dict)    # summary, rationale, seed, examples
    examples_at: tuple = ()                     # the Span of each `docs.examples` entry (a test's place)

    @property
    def summary(self) -> str:
        return str(self.docs.get("summary") or self.message or self.id)


@dataclass(frozen=True)
class Variable:
    name: str
    expression: Expression


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    applies_to: str                             # one of kinds.APPLIES_TO: a kind, "workspace" or "any"
    path: str
    rules: tuple
    variables: tuple = ()
    match: Optional[Expression] = None
    pack: str = ""                              # "builtin:hotfix" for the built-in pack, else ""


@dataclass(frozen=True)
class PolicySet:
    """Every policy of a run, with the rules by id (ids are unique across a run)."""

    policies: tuple
    data: dict                                   # the effective `data`: pack defaults, then config
    complete: bool = True                        # False when a pack or policy file failed to load:
                                                 # its rule ids are unknown, not wrong

    def rules(self) -> dict:
        return {rule.id: (policy, rule) for policy in self.policies for rule in policy.rules}


class PolicyError(UsageError):
    """Mistakes in policy or config files: every one of them, each `path:line:col: message`."""

    located = True

    def __init__(self, errors: list):
        super().__init__(*(str(error) for error in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class LocatedError:
    """A mistake in a policy, policy test or configuration file, at its place."""

    path: str
    span: Optional[Span]
    message: str
    code: str = ""                     # what kind of mistake (`file_errors.py`, or WVR003): its reference entry
    suggestion: Optional[str] = None   # what the text at span most likely should be (the "did you mean")

    def __str__(self) -> str:
        where = f":{self.span.line}:{self.span.column}" if self.span is not None else ""
        return f"{self.path}{where}: {self.message}"


def in_file_order(errors: list) -> list:
    """Each mistake once (a policy's mistake is found in its file and again through the
    configuration that loads it), by file and position."""
    unique = {str(error): error for error in errors}
    return sorted(unique.values(), key=lambda e: (e.path, e.span.start if e.span is not None else -1, e.message))


def describe(value: Any) -> str:
    """A short human rendering of a runtime value for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
