"""The validator's own checks: typo suggestions and the date-time format."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.located_yaml import is_date_time, likely_typo_of


def test_likely_typo_of():
    known = ["severity", "expression", "max_hotfix_files", "admins"]
    assert likely_typo_of("severty", known) == "severity"
    assert likely_typo_of("Severity", known) == "severity"
    assert likely_typo_of("expresion", known) == "expression"
    assert likely_typo_of("max-hotfix-files", known) == "max_hotfix_files"
    assert likely_typo_of("admisn", known) == "admins"
    assert likely_typo_of("team", known) is None
    assert likely_typo_of("max_hotfix_lines", known) is None


@pytest.mark.parametrize(("value", "ok"), [
    ("2026-11-20T09:00:00Z", True), ("2026-11-20T09:00Z", True), ("2026-11-20 09:00:00+01:00", True),
    ("2026-11-20T09:00:00.123-05:00", True), ("2026-11-20T09:00:00-0500", False), ("2026-11-20T09:00:00", False), ("2026-11-20", False),
    ("2026-13-20T09:00:00Z", False), ("2026-11-20T25:00:00Z", False), ("soon", False),
])
def test_date_time_format(value, ok):
    assert is_date_time(value) is ok
