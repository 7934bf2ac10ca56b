"""The rule language's errors. Every one carries a 1-based line and column when it has a place."""

from __future__ import annotations

from typing import Optional

from ..errors import closest, did_you_mean, meant  # noqa: F401  (the rule language's checker and its callers use them from here)
from ..span import Span


class CelError(Exception):
    """Base of every error the rule language raises on purpose."""

    def __init__(self, message: str, span: Optional[Span] = None, suggestion: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.suggestion = suggestion  # what the text at span most likely should be (a "did you mean")

    @property
    def line(self) -> Optional[int]:
        return self.span.line if self.span else None

    @property
    def column(self) -> Optional[int]:
        return self.span.column if self.span else None

    def __str__(self) -> str:
        if self.span is None:
            return self.message
        return f"{self.span.line}:{self.span.column}: {self.message}"


class CelSyntaxError(CelError):
    """The text is not an expression (or nests deeper than the limit)."""


class CelTypeError(CelError):
    """The expression is well formed but cannot type-check: unknown names, wrong argument types.
    `more`: the expression's other type errors, each at its own place (the checker goes on past
    a wrong node, taking it as `dyn`), for callers that report them all."""

    more: tuple = ()


def unknown_name(message: str, name: str, candidates, span: Optional[Span]) -> "CelTypeError":
    """A type error about a name that is not declared, with the closest candidate both in the
    message ("did you mean") and as the error's suggestion (the editor's quick fix)."""
    suggestion = closest(name, candidates)
    return CelTypeError(message + meant(suggestion), span, suggestion)


class CelEvaluationError(CelError):
    """Evaluation failed: no such key, overflow, division by zero, cost budget exceeded."""


def located(error: CelError, span: Optional[Span]) -> CelError:
    """The error with a position, when it has none yet (the innermost place wins)."""
    if error.span is None:
        error.span = span
    return error
