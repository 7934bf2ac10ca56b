"""Regular expressions: RE2 is linear, but not free. `[a-z]{1,1000}[a-z]{1,1000}!x` over 5 MB, or a
100 KB pattern against a 100 KB subject, ran for minutes. A pattern beyond the size, repetition
or program limits is now refused (at check time when it is written in the expression, at
evaluation when it comes from data), and matching is charged subject length x program size
before RE2 sees a character."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, CelTypeError, compile
from hotfix_policy.engine.cel import regex
from hotfix_policy.engine.limits import MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM_SIZE, MAX_REGEX_REPEAT

from .budget import charged_by_closures, charged_by_generated_code

TOO_MANY_REPEATS = "[a-z]{1,1000}[a-z]{1,1000}!x"
TOO_LARGE_A_PROGRAM = "[a-z]{1,100}" * 6  # 72 characters, 1,198 instructions


@pytest.fixture
def handed_to_re2(monkeypatch) -> list:
    """Counts the characters of every subject RE2 is asked to search, on every way there."""
    seen = [0]
    plain = regex._searches

    def counting(compiled, size):
        search, matches = plain(compiled, size)

        def counted_search(text):
            seen[0] += len(text)
            return search(text)

        def counted_matches(budget, text, _pattern=None):
            result = matches(budget, text)  # charges first, and raises before RE2 when over budget
            seen[0] += len(text)
            return result

        return counted_search, counted_matches

    monkeypatch.setattr(regex, "_searches", counting)
    regex.compile_regex.cache_clear()
    regex.glob_regex.cache_clear()
    yield seen
    regex.compile_regex.cache_clear()
    regex.glob_regex.cache_clear()


@pytest.mark.parametrize("pattern, words", [
    (TOO_MANY_REPEATS, f"repeats 1,000 times ({{1,1000}}): at most {MAX_REGEX_REPEAT}"),
    ("a" * (MAX_REGEX_LENGTH + 1), f"longer than {MAX_REGEX_LENGTH:,} characters"),
    (TOO_LARGE_A_PROGRAM, f"more than {MAX_REGEX_PROGRAM_SIZE:,}"),
])
@pytest.mark.parametrize("call", ["doc.text.matches", "matches(doc.text, ", "doc.text.findAll"])
def test_a_written_pattern_beyond_the_limits_is_an_error_at_the_pattern(pattern, words, call):
    opening = call if call.endswith(" ") else call + "("
    with pytest.raises(CelTypeError) as caught:
        compile(f"{opening}'{pattern}')")
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, len(opening) + 1)


def test_a_glob_beyond_the_limits_is_an_error_at_the_glob():
    with pytest.raises(CelTypeError, match="glob pattern longer than") as caught:
        compile("f.matchesGlob('" + "*" * (MAX_REGEX_LENGTH + 1) + "')")
    assert caught.value.column == len("f.matchesGlob(") + 1


@pytest.mark.parametrize("pattern, words", [
    (TOO_MANY_REPEATS, "repeats 1,000 times"),
    ("a" * 100_000, "longer than"),  # the 100 KB pattern of the issue
    (TOO_LARGE_A_PROGRAM, "too complex"),
    ("(unclosed", "invalid regular expression"),
])
def test_a_pattern_from_data_is_an_evaluation_error_at_the_call(pattern, words, handed_to_re2):
    program = compile("doc.text.matches(doc.pattern)")
    for _ in range(3):  # closures, then the generated code
        with pytest.raises(CelEvaluationError, match=words.replace("(", r"\(")) as caught:
            program.evaluate({"doc": {"text": "x" * 100_000, "pattern": pattern}})
        assert caught.value.column == len("doc.text.") + 1
    assert handed_to_re2[0] == 0


@pytest.mark.parametrize("expression", ["doc.text.matches('b')", "doc.text.matches(doc.pattern)",
                                        "doc.text.matchesGlob('**/b')",
                                        "doc.text.matches('[a-z]{1,100}[a-z]{1,100}!x')"])
def test_a_long_subject_runs_out_of_budget_before_re2_sees_it(expression, handed_to_re2):
    program = compile(expression)
    bindings = {"doc": {"text": "a" * 5_000_000, "pattern": "b"}}
    for _ in range(3):
        with pytest.raises(CelEvaluationError, match="cost budget exceeded"):
            program.evaluate(bindings)
    assert handed_to_re2[0] == 0


@pytest.mark.parametrize("expression", ["doc.text.matches('c$')", "doc.text.matches(doc.pattern)",
                                        "doc.text.matchesGlob('src/**/*.py')", "doc.text.findAll('[ab]c').size()"])
def test_what_matching_costs_grows_with_the_subject_alone(expression, handed_to_re2):
    def bindings(n):
        return {"doc": {"text": "ab" * n, "pattern": "c$"}}

    for charged in (charged_by_closures, charged_by_generated_code):
        small, large = charged(compile(expression), bindings(5_000)), charged(compile(expression), bindings(10_000))
        assert large / small == pytest.approx(2, rel=0.01), charged.__name__
    handed_to_re2[0] = 0
    compile(expression).evaluate(bindings(5_000))
    small = handed_to_re2[0]
    handed_to_re2[0] = 0
    compile(expression).evaluate(bindings(10_000))
    if "findAll" not in expression:  # findAll iterates matches rather than asking yes or no
        assert small == 10_000 and handed_to_re2[0] == 20_000


def test_realistic_patterns_are_far_from_the_limits():
    for pattern in ["^hotfix/v[0-9]+\\\\.[0-9]+\\\\.[0-9]+-[a-z0-9]+(?:-[a-z0-9]+)*$", "[0-9a-f]{40}",
                    "(?i)^(y|n|yes|no)\\\\b\\\\W*\\\\w"]:
        assert compile(f"doc.text.matches('{pattern}')").evaluate({"doc": {"text": "x" * 20_000}}) is False
