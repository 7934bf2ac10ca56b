"""The engine's workspace for editors: one document checked in context, fast and resilient."""

from __future__ import annotations

from pathlib import Path

from hotfix_policy.engine.workspace import Workspace

GOOD = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: good}
spec:
  appliesTo: incident
  rules:
    - id: WSP001
      severity: error
      expression: "has(doc.severity) && doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      message: Severity must be CRITICAL, HIGH or MEDIUM
    - id: WSP002
      severity: warning
      expression: "!has(doc.number) || doc.number in docs.by_incident && size(docs.by_incident[doc.number].incident) == 1"
      message: Another record uses this incident number
"""
BROKEN = GOOD.replace("name: good", "name: broken").replace("WSP001", "WSP101").replace("WSP002", "WSP102") \
    .replace("doc.severity in", "doc.severty in")
RECORD = "# INC-{n}: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: {severity}\n"


def workspace(tmp_path: Path, *policies: str) -> Workspace:
    (tmp_path / "policies").mkdir()
    for index, text in enumerate(policies):
        (tmp_path / "policies" / f"p{index}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [policies]\n", encoding="utf-8")
    return Workspace(tmp_path)


def test_a_broken_policy_leaves_the_others_checking(tmp_path):
    space = workspace(tmp_path, GOOD, BROKEN)
    errors = space.reload_configuration()
    assert len(errors) == 1 and "did you mean `severity`" in str(errors[0])
    path = str(tmp_path / "INC-1.md")
    checked = space.check_text(path, RECORD.format(n=1, severity="low"))
    assert [f.rule for f in checked.findings] == ["WSP001"]


def test_cross_document_rules_see_the_index_and_only_the_open_document_is_judged(tmp_path):
    space = workspace(tmp_path, GOOD)
    space.reload_configuration()
    for n in (1, 2):
        (tmp_path / f"INC-{n}.md").write_text(RECORD.format(n=n, severity="low"), encoding="utf-8")
    (tmp_path / "copy.md").write_text(RECORD.format(n=1, severity="HIGH"), encoding="utf-8")
    path = str(tmp_path / "INC-1.md")
    held = space.check_text(path, RECORD.format(n=1, severity="HIGH"))
    assert held.held_back == ("WSP002",) and held.findings == []
    assert space.index() == 3 and space.ready
    checked = space.check_text(path, RECORD.format(n=1, severity="HIGH"))
    assert [(f.rule, f.path) for f in checked.findings] == [("WSP002", path)]
