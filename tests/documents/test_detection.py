"""Detection by content needs a document to BE one, not to mention one: a runbook that explains
the workflow quotes every template, and must not be judged as a hotfix PR or an incident (the
pre-commit hook would block every commit). A chat message or a chat log pasted in one fence is
still the document it is."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import parse_document
from tests.conftest import POLICY_COMMAND

REPO = Path(__file__).resolve().parents[2]

DECLARED = "🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nStatus: INVESTIGATING\n"
UPDATE = "🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\nStatus: FIXING\n"
RESOLVED = "✅ INCIDENT RESOLVED - 2026-11-20T11:00Z\nStatus: MONITORING\n"
PR = "## 🚨 HOTFIX - EMERGENCY DEPLOYMENT\n\n**Incident Reference:** #7\n**Severity:** HIGH\n"
REVIEW = "# Post-Incident Review: Checkout down\n\n## Incident Summary\n- **Incident:** #7\n"

RUNBOOK = f"""# How we ship hotfixes

Read this before your first incident.

## Declaring

Post this in #incidents:

```
{DECLARED}```

Then every 30 minutes:

```
{UPDATE}```

## The pull request

```markdown
{PR}```

## The review

```markdown
{REVIEW}```
"""


def kind_of(text: str):
    return parse_document(text, path="notes.md").kind


@pytest.mark.parametrize("text", [
    pytest.param(RUNBOOK, id="a runbook quoting every template in fences"),
    pytest.param(f"# Templates\n\n```\n{DECLARED}```\n\n```\n{UPDATE}```\n\n```\n{RESOLVED}```\n",
                 id="a title, then templates each in its own fence"),
    pytest.param(f"# Notes\n\n## Background\n\nSome text.\n\n{PR}", id="the PR heading deep in a document"),
    pytest.param(f"# Notes\n\n## Timeline\n\n{DECLARED}\n{UPDATE}", id="incident blocks after other sections"),
    pytest.param(f"# Retro notes\n\n{REVIEW}", id="the review heading below another title"),
    pytest.param(f"Example:\n\n```markdown\n{PR}```\n", id="the PR heading only in a fence"),
    pytest.param(f"# Incident runbook\n\nWhen production breaks, declare an incident. Copy this:\n\n{DECLARED}\n"
                 f"Then post updates:\n\n{UPDATE}", id="a runbook quoting the templates outside fences"),
    pytest.param(f"# Incident runbook\n\nWhen production breaks, declare an incident. Copy this:\n\n{DECLARED}",
                 id="a runbook quoting only the declaration"),
    pytest.param(f"Copy this when production breaks:\n\n{DECLARED}\n{UPDATE}", id="prose introducing the blocks"),
    pytest.param(f"# Incident runbook\n\n{DECLARED}\n{UPDATE}", id="a runbook's title over the blocks"),
    pytest.param(f"# How to post an update\n\n```\n{UPDATE}```\n", id="a how-to's title over one fenced message"),
])
def test_a_document_that_mentions_a_kind_is_not_one(text):
    assert kind_of(text) is None


@pytest.mark.parametrize("text, kind", [
    pytest.param(PR, "pull_request", id="a PR body"),
    pytest.param(REVIEW, "post_incident_review", id="a review"),
    pytest.param(f"# INC-7: Checkout down\n\n{DECLARED}\n## Updates\n\n### {UPDATE}", "incident",
                 id="a record by its title"),
    pytest.param(f"{DECLARED}\n{UPDATE}", "incident", id="a record that opens with its declaration"),
    pytest.param(f"# Checkout down\n\n{DECLARED}\n## Updates\n\n{UPDATE}", "incident",
                 id="a record with a title and sections"),
    pytest.param(f"Some intro.\n\n```\n{DECLARED}\n{UPDATE}```\n", "incident", id="a chat log pasted in one fence"),
    pytest.param(f"```\n{UPDATE}```\n", "status_update", id="one message in a fence"),
    pytest.param(UPDATE, "status_update", id="one message"),
])
def test_a_document_that_is_one_is_detected(text, kind):
    assert kind_of(text) == kind


def test_front_matter_and_globs_still_decide_first():
    assert parse_document(f"---\nkind: pull_request\n---\n{RUNBOOK}", path="x.md").kind == "pull_request"
    assert parse_document(RUNBOOK, path="runbooks/a.md", config_globs={"incident": ["runbooks/*.md"]}).kind \
        == "incident"


def test_the_examples_and_templates_keep_their_kinds():
    found = {str(path.relative_to(REPO)): parse_document(path.read_bytes(), path=str(path)).kind
             for folder in ("examples", "engine/documents/templates") for path in sorted((REPO / folder).rglob("*.md"))}
    assert found == {
        "examples/incidents/INC-2041.md": "incident",
        "examples/incidents/INC-2042.md": "incident",
        "examples/reviews/PIR-2041.md": "post_incident_review",
        "engine/documents/templates/incident.md": "incident",
        "engine/documents/templates/post_incident_review.md": "post_incident_review",
        "engine/documents/templates/pull_request.md": "pull_request",
        "engine/documents/templates/status_update.declaration.md": "status_update",
        "engine/documents/templates/status_update.in_progress.md": "status_update",
        "engine/documents/templates/status_update.resolution.md": "status_update",
        "engine/documents/templates/status_update.update.md": "status_update",
    }


def test_a_runbook_copied_into_docs_is_not_checked(tmp_path, shared_dir):
    """The issue's reproduction: the workflow document in `docs/` got 8 errors and 18 warnings."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "hotfix-workflow.md").write_bytes((shared_dir / "seed" / "hotfix-workflow.md").read_bytes())
    (tmp_path / "docs" / "runbook.md").write_text(RUNBOOK, encoding="utf-8")
    (tmp_path / "INC-7.md").write_text(f"# INC-7: Checkout down\n\n{DECLARED}", encoding="utf-8")
    result = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["summary"]["documents"] == 1, result.stdout
    assert {f["path"] for f in report["findings"]} == {"INC-7.md"}
