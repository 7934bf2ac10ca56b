"""Waivers under attack: a date at the end of time, and a self-approved waiver listed before a
valid one (it must neither hide the valid waiver nor make it look unused)."""

from __future__ import annotations

from datetime import datetime, timezone

from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.policy.config import Config
from hotfix_policy.engine.policy.waivers import apply_waivers

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
FINDING = Finding(rule="PR009", severity=Severity.ERROR, message="too many files", path="pr-body.md",
                  document="pr:318")


def _waiver(approver: str, expires: str = "2026-12-15") -> dict:
    return {"rules": ["PR009"], "documents": ["pr:318"], "justification": "Reviewed by two seniors",
            "approved_by": approver, "expires": expires}


def _judge(*waivers: dict, authors: dict | None = None) -> list:
    config = Config(waivers=list(waivers), data={"admins": ["ops-lead", "sam-r"]})
    return apply_waivers([FINDING], config, NOW, authors or {})


def test_a_waiver_that_expires_at_the_end_of_time_is_honoured():
    (finding,) = _judge(_waiver("ops-lead", "9999-12-31"))
    assert finding.waived


def test_a_self_approved_waiver_first_does_not_hide_a_valid_one():
    results = _judge(_waiver("sam-r"), _waiver("ops-lead"), authors={"pr:318": {"sam-r"}})
    finding, *about_waivers = results
    assert finding.waived
    assert [(f.rule, f.span) for f in about_waivers] == [("WVR003", None)]
    assert "its approver wrote a document it waives" in about_waivers[0].message
