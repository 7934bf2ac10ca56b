"""The "did you mean" of a misspelt rule id: one suggestion for the message and the quick fix."""

import pytest

from hotfix_policy.engine.errors import closest_rule

KNOWN = ["INC001", "INC006", "INC016", "PIR005", "PR001", "PR009", "PR010", "PR019"]


@pytest.mark.parametrize("written, meant", [
    ("INC06", "INC006"),   # the same letters and number, without its zeros (spelling says INC016)
    ("inc6", "INC006"),
    ("PR9", "PR009"),
    ("PIR05", "PIR005"),
    ("PR090", "PR010"),    # one digit off, the nearer number (spelling alone says PR019)
    ("PR0100", "PR010"),   # not a rule id's shape: the closest spelling
    ("XYZ001", None),
])
def test_the_closest_rule_id(written, meant):
    assert closest_rule(written, KNOWN) == meant
