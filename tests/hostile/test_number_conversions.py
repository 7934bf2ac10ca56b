"""A document value of thousands of digits given to `int()` or `uint()` raised Python's own
ValueError (it refuses to convert more than 4,300 digits), which no rule-language caller
expects: it is now an evaluation error like any other number out of range."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.cel import CelEvaluationError, compile


@pytest.mark.parametrize("conversion", ["int", "uint"])
def test_thousands_of_digits_are_out_of_range_not_a_crash(conversion):
    program = compile(f"{conversion}(doc.number)")
    for _ in range(3):  # closures, then the generated code
        with pytest.raises(CelEvaluationError, match="5,000-digit number out of range") as caught:
            program.evaluate({"doc": {"number": "9" * 5_000}})
        assert caught.value.column == 1
    assert program.evaluate({"doc": {"number": "0" * 5_000 + "42"}}) == 42
