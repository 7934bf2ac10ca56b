"""Showing a place in text to a person: the source line and a caret underline."""

from __future__ import annotations

from .span import Span


def caret_excerpt(text: str, span: Span, indent: str = "  ") -> str:
    """The line of text where span starts, and carets under the span's part of that line."""
    lines = text.split("\n")
    line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    width = max(end - start, 1)
    return f"{indent}{line}\n{indent}{' ' * start}{'^' * width}"
