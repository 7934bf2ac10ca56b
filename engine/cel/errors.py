"""The rule language's errors. Every one carries a 1-based line and column when it has a place."""

from __future__ import annotations

from typing import Optional

from ..errors import did_you_mean  # noqa: F401  (the rule language's checker and its callers use it from here)
from ..span import Span


class CelError(Exception):
    """Base of every error the rule language raises on purpose."""

    def __init__(self, message: str, span: Optional[Span] = None):
        super().__init__(message)
        self.message = message
        self.span = span

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
    """The expression is well formed but cannot type-check: unknown names, wrong argument types."""


class CelEvaluationError(CelError):
    """Evaluation failed: no such key, overflow, division by zero, cost budget exceeded."""


def located(error: CelError, span: Optional[Span]) -> CelError:
    """The error with a position, when it has none yet (the innermost place wins)."""
    if error.span is None:
        error.span = span
    return error
