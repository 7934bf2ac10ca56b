"""`policy report --github-event`: the PR of the event counts toward the audit trail."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import POLICY_COMMAND, REPO


def test_event_pull_request_counts_toward_the_audit_trail():
    def adherence(*extra):
        result = subprocess.run([POLICY_COMMAND, "report", "examples", "--format", "json", *extra],
                                cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        return {row["incident"]: row["justification"] for row in report["process_adherence"]["items"]}

    assert adherence()["INC-2042"] is False
    assert adherence("--github-event", "examples/github/event.json")["INC-2042"] is True
