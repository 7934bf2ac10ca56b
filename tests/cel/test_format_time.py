"""`t.formatTime('%Y-%m-%d %H:%M')`: a timestamp spelled the way a message shows it, in UTC or a
zone; an unknown directive is an error at its place (when the policy loads if the layout is
written in the expression), and the result is charged to the budget."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, CelTypeError, compile
from hotfix_policy.engine.cel.cost import COST_KEY

DECLARED = datetime(2026, 11, 20, 9, 5, 7, tzinfo=timezone.utc)


def spelled(expression: str, **bindings):
    """The expression's value with `t` the declaration time (unless bound otherwise)."""
    return compile(expression).evaluate({"t": DECLARED, **bindings})


@pytest.mark.parametrize("layout, expected", [
    ("%Y-%m-%d %H:%M", "2026-11-20 09:05"),
    ("%H:%M", "09:05"),
    ("%Y-%m-%d", "2026-11-20"),
    ("%Y-%m", "2026-11"),
    ("%d/%m/%Y %H:%M:%S", "20/11/2026 09:05:07"),
    ("100%% at %H", "100% at 09"),
    ("no directives", "no directives"),
])
def test_layouts(layout, expected):
    assert spelled(f"t.formatTime('{layout}')") == expected


def test_a_time_zone_or_offset_moves_the_clock_like_the_accessors():
    assert spelled("t.formatTime('%Y-%m-%d %H:%M', 'Europe/Paris')") == "2026-11-20 10:05"
    assert spelled("t.formatTime('%d %H:%M', '-10:00')") == "19 23:05"
    assert spelled("t.formatTime('%H', 'Asia/Kolkata') == string(t.getHours('Asia/Kolkata'))") is True


def test_years_keep_four_digits():
    assert spelled("timestamp('0042-01-02T03:04:05Z').formatTime('%Y-%m-%d')") == "0042-01-02"


def test_mistakes_in_the_expression_are_found_when_it_loads_at_the_layout():
    layouts = {"t.formatTime('%Y-%q')": "formatTime: unknown directive '%q' at character 4 of the layout",
               "t.formatTime('at 5%', 'UTC')": "formatTime: a lone '%' at character 5 of the layout"}
    for expression, reason in layouts.items():
        with pytest.raises(CelTypeError) as caught:
            compile(expression)
        assert caught.value.message.split(";")[0] == reason
        assert (caught.value.line, caught.value.column) == (1, 14)


def test_mistakes_only_known_from_data_are_evaluation_errors_at_the_call():
    with pytest.raises(CelEvaluationError, match="unknown directive '%k' at character 4") as caught:
        spelled("'x: ' + t.formatTime(layout)", layout="%H:%k")
    assert (caught.value.line, caught.value.column) == (1, 11)
    with pytest.raises(CelEvaluationError, match="unknown time zone 'Mars/Olympus'"):
        spelled("t.formatTime('%H', 'Mars/Olympus')")


def test_only_timestamps_take_it():
    with pytest.raises(CelTypeError, match="no matching overload for 'formatTime' applied to \\(string, string\\)"):
        compile("'2026-11-20'.formatTime('%Y')")


def test_the_result_is_charged_to_the_budget_before_it_is_built():
    layout = "%Y" * 10_000
    program = compile("t.formatTime(layout)", cost_budget=1_000)
    for _ in range(3):   # the reference closures, then the generated fast path
        with pytest.raises(CelEvaluationError, match="cost budget"):
            program.evaluate({"t": DECLARED, "layout": layout})
    assert len(compile("t.formatTime(layout)", cost_budget=5_000).evaluate({"t": DECLARED, "layout": layout})) == 40_000


def test_both_execution_paths_charge_alike():
    program = compile("'%s UTC'.format([t.formatTime('%Y-%m-%d %H:%M')])")
    exact = [1_000]
    expected = program._function({"t": DECLARED, COST_KEY: exact})
    program.evaluate({"t": DECLARED})
    program.evaluate({"t": DECLARED})
    assert program._fast, "formatTime has a fast path"
    fast = [1_000]
    assert program._fast({"t": DECLARED}, fast) == expected == "2026-11-20 09:05 UTC" and fast == exact
    assert exact[0] < 1_000
