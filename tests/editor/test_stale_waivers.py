"""WVR002 from a workspace check's results: the waivers the editor can judge from the indexed
files, as `policy check` judges them; those of rules judging git facts are left to the check."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from hotfix_policy.engine.editor.stale_waivers import stale_waivers
from hotfix_policy.engine.policy.check import load_run_policies
from hotfix_policy.engine.policy.config import load_config

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


def _waiver(rule: str) -> str:
    return (f"  - rules: [{rule}]\n    documents: [INC-7]\n    justification: reviewed with the team\n"
            "    approved_by: ops-lead\n    expires: 2026-12-20\n")


def test_only_waivers_of_rules_judging_files_are_said_to_match_nothing(tmp_path: Path):
    config_file = tmp_path / ".policy.yaml"
    config_file.write_text("data: {admins: [ops-lead]}\nwaivers:\n" + _waiver("INC001") + _waiver("GIT001")
                           + _waiver("DOC002"), encoding="utf-8")
    config = load_config(config_file)
    found = stale_waivers([], config, load_run_policies(config), NOW)
    assert [(f.rule, f.span.line, f.message) for f in found] == [
        ("WVR002", 3, "waiver of INC001 matches no finding; remove it"),
        ("WVR002", 13, "waiver of DOC002 matches no finding; remove it")]  # GIT001 judges git facts
