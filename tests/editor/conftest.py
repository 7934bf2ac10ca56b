"""A small workspace for the editor services: one policy file of three rules (no built-in
pack, so results do not move when the pack changes) and two incident records."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)

POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: test-incident, description: Test rules.}
spec:
  appliesTo: incident
  variables:
    - name: missing_eta
      expression: "doc.updates.filter(u, !has(u.eta))"
  rules:
    - id: TST001
      severity: error
      expression: "has(doc.severity) && doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      message: "Severity must be CRITICAL, HIGH or MEDIUM"
      docs: {summary: "Severity is one of the three levels", rationale: "Triage depends on it.", seed: "Step 1"}
    - id: TST002
      severity: warning
      expression: "has(doc.eta)"
      message: "The declaration has no ETA"
      docs: {summary: "The declaration gives an ETA"}
    - id: TST003
      severity: error
      expression: "has(doc.resolution)"
      docs: {summary: "Incidents have a resolution block"}
"""

CONFIG = """\
packs: []
policies: [policies/]
data:
  admins: [ops-lead]
  people: {Dana K: dana-k}
"""

GOOD = """\
# INC-1: Checkout down

🚨 PRODUCTION INCIDENT DECLARED
Severity: CRITICAL
ETA: 2026-11-20T11:00Z
Commander: @dana-k

## Resolution

✅ INCIDENT RESOLVED - 2026-11-20T11:02Z
Issue: fixed
"""

BAD = """\
# INC-2: Search slow

🚨 PRODUCTION INCIDENT DECLARED
Severity: critical
Status: INVESTIGATING
"""


@pytest.fixture
def workspace(tmp_path: Path):
    from hotfix_policy.engine.workspace import Workspace

    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "incident.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-1.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "incidents" / "INC-2.md").write_text(BAD, encoding="utf-8")
    space = Workspace(tmp_path)
    assert space.reload_configuration() == []
    assert space.index() == 2
    return space


def pos(text: str, needle: str, after: int = 0) -> tuple:
    """(line, column), 1-based, of the character `after` characters into the first `needle`."""
    offset = text.index(needle) + after
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def where(span) -> tuple:
    return (span.line, span.column, span.end_line, span.end_column)
