"""The one caret excerpt, as `policy eval` shows a syntax error (the text format's cases are in
tests/report/test_text.py)."""

from __future__ import annotations

from hotfix_policy.engine.cel import CelSyntaxError, compile
from hotfix_policy.engine.diagnostics import Excerpt, caret_excerpt, visible
from hotfix_policy.engine.span import Span


def shown(source: str, span: Span) -> list:
    excerpt = caret_excerpt(source, span)
    return [excerpt.shown, excerpt.underline()]


def syntax_error_span(expression: str) -> Span:
    try:
        compile(expression)
    except CelSyntaxError as error:
        return error.span
    raise AssertionError(f"{expression!r} compiled")


def test_an_error_at_the_end_of_an_expression_gets_one_caret_after_it():
    expression = "doc.severity in ['HIGH',"
    assert shown(expression, syntax_error_span(expression)) == [expression, " " * 24 + "^"]


def test_an_error_on_the_second_line_of_an_expression_shows_that_line():
    expression = "doc.severity == 'HIGH' &&\n  doc.eta >"
    assert shown(expression, syntax_error_span(expression)) == ["  doc.eta >", " " * 11 + "^"]


def test_a_span_across_lines_is_underlined_to_the_end_of_its_first_line():
    source = "a ||\nb"
    assert shown(source, Span.from_offsets(source, 2, 6)) == ["a ||", "  ^^"]


def test_tabs_and_wide_characters_in_an_expression_keep_the_caret_under_the_span():
    source = "\t'事件' == x +"
    start = source.index("x")
    assert shown(source, Span.from_offsets(source, start, start + 1)) == ["    '事件' == x +", " " * 14 + "^"]


def test_a_span_past_the_end_of_its_line_gets_one_caret_after_the_line():
    source = "abc\nd"
    assert shown(source, Span(10, 12, 1, 9, 1, 11)) == ["abc", "   ^"]


def test_a_span_on_a_line_the_source_does_not_have_gets_no_excerpt():
    assert caret_excerpt("abc", Span(10, 11, 3, 1, 3, 2)) is None


def test_the_underline_can_be_painted():
    assert Excerpt("1", "abc", 1, 2).underline(lambda carets: f"<{carets}>") == " <^^>"


def test_control_characters_and_lone_surrogates_are_never_shown_raw():
    assert visible("a\x1b[31mb\u202ec\udcff") == "a\\x1b[31mb\\u202ec\ufffd"
    assert visible("a\tb", keep="\t") == "a\tb"
    source = "\x1b[2Jx"
    assert shown(source, Span.from_offsets(source, 4, 5)) == ["\\x1b[2Jx", " " * 7 + "^"]
