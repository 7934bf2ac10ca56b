"""Waivers under attack: a date at the end of time (a lifetime without bound), a justification
that says nothing (invisible, a template placeholder, TODO), and a self-approved waiver listed
before a valid one (it must neither hide the valid waiver nor make it look unused)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.policy.config import Config
from hotfix_policy.engine.policy.waivers import apply_waivers, approval_problems

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
FINDING = Finding(rule="PR009", severity=Severity.ERROR, message="too many files", path="pr-body.md",
                  document="pr:318")


def _waiver(approver: str, expires: str = "2026-12-15") -> dict:
    return {"rules": ["PR009"], "documents": ["pr:318"], "justification": "Reviewed by two seniors",
            "approved_by": approver, "expires": expires}


def _judge(*waivers: dict, authors: dict | None = None) -> list:
    config = Config(waivers=list(waivers), data={"admins": ["ops-lead", "sam-r"]})
    return apply_waivers([FINDING], config, NOW, authors or {})


def test_a_waiver_that_expires_at_the_end_of_time_is_refused_not_a_crash():
    """9999-12-31 (its day's end lies past Python's last date) was honoured forever: a waiver
    lives at most data.max_waiver_days (90 by default) from the run's now."""
    finding, about = _judge(_waiver("ops-lead", "9999-12-31"))
    assert not finding.waived and about.rule == "WVR003"
    assert "more than data.max_waiver_days (90) days from now" in about.message


def test_a_waiver_lives_at_most_max_waiver_days():
    last = _judge(_waiver("ops-lead", "2027-02-24"))  # NOW + 90 days, the whole day honoured
    assert last[0].waived and [f.rule for f in last[1:]] == []
    finding, about = _judge(_waiver("ops-lead", "2027-02-25"))
    assert not finding.waived and about.rule == "WVR003"
    config = Config(waivers=[_waiver("ops-lead", "2027-02-25")], data={"admins": ["ops-lead"], "max_waiver_days": 91})
    assert apply_waivers([FINDING], config, NOW, {})[0].waived


@pytest.mark.parametrize("justification", ["\u200b", " \u200b\u2060 ", "[justification]", "TODO", "tbd.",
                                           "[Why is this acceptable?] TODO", "-", "n/a"])
def test_a_justification_without_a_word_of_its_own_is_refused(justification):
    entry = {**_waiver("ops-lead"), "justification": justification}
    finding, about = _judge(entry)
    assert not finding.waived and about.rule == "WVR003" and "says nothing" in about.message
    assert [key for key, _ in approval_problems(entry, {"ops-lead"})] == ["justification"]  # policy validate too


@pytest.mark.parametrize("justification", ["Reviewed by two seniors", "ok", "TODO list is done: vendor patch"])
def test_a_justification_with_words_is_accepted(justification):
    assert _judge({**_waiver("ops-lead"), "justification": justification})[0].waived


def test_a_self_approved_waiver_first_does_not_hide_a_valid_one():
    results = _judge(_waiver("sam-r"), _waiver("ops-lead"), authors={"pr:318": {"sam-r"}})
    finding, *about_waivers = results
    assert finding.waived
    assert [(f.rule, f.span) for f in about_waivers] == [("WVR003", None)]
    assert "its approver wrote a document it waives" in about_waivers[0].message
