"""What the editor shows of findings and file mistakes: plain text, no CI-only findings."""

from __future__ import annotations

from pathlib import Path

from hotfix_policy.engine.editor.problems import plain_text, shown_findings
from hotfix_policy.engine.workspace import Workspace

PR = """\
## HOTFIX - EMERGENCY DEPLOYMENT

**Incident Reference:** #2041
**Severity:** CRITICAL
"""


def test_messages_read_as_plain_text():
    assert plain_text("`Incident record` has no field `comander`; did you mean `commander`?") == \
        "Incident record has no field comander; did you mean commander?"
    assert plain_text("write ``Status:`` and `ETA:`") == "write Status: and ETA:"


def test_a_ci_only_rule_is_checked_but_not_shown(tmp_path: Path):
    """PR017 says only that `--reviews` was not given: `policy check` reports it, the editor,
    where the reviewer cannot pass it, does not; the other findings stay."""
    workspace = Workspace(tmp_path)
    assert workspace.reload_configuration() == []
    workspace.index()
    # a run that knows the PR's branch, as CI does (the editor's own ctx knows none, and PR017
    # then has nothing to ask for)
    ctx = {"branch": "hotfix/v1.2.1-x", "base": "main", "author": "", "labels": []}
    checked = workspace.check_text(str(tmp_path / "pr.md"), PR, ctx=ctx)
    rules = {f.rule for f in checked.findings}
    assert "PR017" in rules and len(rules) > 1
    shown = {f.rule for f in shown_findings(checked.findings, workspace.policies.rules(), PR)}
    assert shown == rules - {"PR017"}


def test_a_file_with_nothing_written_shows_nothing(tmp_path):
    """A brand-new record (empty, or blank lines only) is about to be filled in: the editor
    shows no "document is empty", which `policy check` still reports (DOC003)."""
    workspace = Workspace(tmp_path)
    assert workspace.reload_configuration() == []
    for text in ("", "\n  \n\t\n"):
        checked = workspace.check_text(str(tmp_path / "incidents" / "INC-9.md"), text)
        assert [f.rule for f in checked.findings] == ["DOC003"]
        assert shown_findings(checked.findings, workspace.policies.rules(), text) == []
