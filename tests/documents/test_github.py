"""The GitHub event, reviews and changed files."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import approvals, load_changed_files, load_reviews, pull_request
from hotfix_policy.engine.documents.github import EventError
from tests.conftest import POLICY_COMMAND

from .test_pull_request import FILLED

UTC = timezone.utc


def event(body=FILLED):
    return {"action": "opened", "number": 318, "pull_request": {
        "number": 318, "title": "Hotfix v3.14.1", "html_url": "https://github.com/o/r/pull/318",
        "user": {"login": "Dana-K"}, "head": {"ref": "hotfix/v3.14.1-card-payment"}, "base": {"ref": "main"},
        "labels": [{"name": "hotfix"}, {"name": "emergency-bypass"}], "created_at": "2026-11-20T09:40:00Z",
        "draft": False, "body": body}}


def test_pull_request_event(tmp_path):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event()))
    document = pull_request(path)
    assert document.kind == "pull_request" and document.id == "pr:318" and document.path == str(path)
    data = document.data
    assert data["author"] == {"text": "Dana-K", "name": "Dana-K", "login": "dana-k"}
    assert data["head"] == "hotfix/v3.14.1-card-payment" and data["base"] == "main"
    assert data["labels"] == ["hotfix", "emergency-bypass"]
    assert data["created_at"] == datetime(2026, 11, 20, 9, 40, tzinfo=UTC)
    assert data["severity"] == "CRITICAL" and document.spans[("severity",)].line == 4  # counted in the body
    assert document.findings == []


def test_event_with_empty_body_and_crlf():
    document = pull_request(event(body=None))
    assert document.id == "pr:318" and document.data["hotfix_template"] is False and document.findings == []
    document = pull_request(event(body=FILLED.replace("\n", "\r\n")))
    assert document.data["severity"] == "CRITICAL"


def test_not_an_event(tmp_path):
    path = tmp_path / "e.json"
    path.write_text("{}")
    with pytest.raises(EventError, match="not a pull_request event"):
        pull_request(path)
    path.write_text("{oops")
    with pytest.raises(EventError, match="invalid JSON"):
        pull_request(path)


def test_reviews_to_approvals(tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([
        {"user": {"login": "lee"}, "state": "APPROVED", "submitted_at": "2026-11-20T10:00:00Z"},
        {"user": {"login": "kim"}, "state": "APPROVED", "submitted_at": "2026-11-20T10:05:00Z"},
        {"user": {"login": "kim"}, "state": "CHANGES_REQUESTED", "submitted_at": "2026-11-20T10:10:00Z"},
        {"user": {"login": "Ana"}, "state": "COMMENTED", "submitted_at": "2026-11-20T10:11:00Z"},
    ]))
    assert approvals(load_reviews(path)) == [{"login": "lee", "at": datetime(2026, 11, 20, 10, tzinfo=UTC)}]


def test_a_misspelt_review_state_is_an_input_error_not_a_missing_approval(tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text('[\n  {"user": {"login": "lee"}, "state": "APROVED", "submitted_at": "2026-11-20T10:00:00Z"}\n]\n')
    with pytest.raises(EventError) as raised:
        load_reviews(path)
    assert str(raised.value) == (
        f"{path}:2:39: [0].state: 'APROVED' is not one of GitHub's review states (APPROVED, CHANGES_REQUESTED, "
        "COMMENTED, DISMISSED, PENDING); did you mean `APPROVED`?")


def test_changed_files_both_forms(tmp_path):
    lines = tmp_path / "files.txt"
    lines.write_text("src/a.py\n\ntests/test_a.py\n")
    assert load_changed_files(lines) == ["src/a.py", "tests/test_a.py"]
    listed = tmp_path / "files.json"
    listed.write_text(json.dumps([{"filename": "src/a.py", "status": "modified"}, {"filename": "b.md"}]))
    assert load_changed_files(listed) == ["src/a.py", "b.md"]


# --- GitHub's published example payloads (tests/documents/github_events/README.md) ------------

EVENTS = Path(__file__).parent / "github_events"


def test_published_review_event_is_read_as_its_pull_request():
    """A `pull_request_review` payload carries the PR as `pull_request` (without the fields only a
    `pull_request` event has): the same document as the PR's own event would give."""
    path = EVENTS / "pull_request_review.submitted.json"
    document = pull_request(path)
    assert document.id == "pr:2" and document.path == str(path) and document.findings == []
    data = document.data
    assert data["author"]["login"] == "codertocat" and data["head"] == "changes" and data["base"] == "master"
    assert data["labels"] == ["bug"] and data["draft"] is False
    assert data["created_at"] == datetime(2019, 5, 15, 15, 20, 33, tzinfo=UTC)
    assert data["hotfix_template"] is False


def test_published_event_with_a_null_body():
    document = pull_request(EVENTS / "pull_request.opened-null-body.json")
    assert document.id == "pr:2" and document.findings == [] and "draft" not in document.data
    assert document.data["title"] == "Update the README with new information."


@pytest.mark.parametrize("event_name", ["pull_request", "pull_request_target", "pull_request_review"])
def test_every_pull_request_event_is_judged_without_github_event(tmp_path, event_name):
    """In Actions, `policy check` reads the PR from GITHUB_EVENT_PATH on each event that carries
    one; a review event used to be passed over silently (the run judged no PR)."""
    (tmp_path / ".policy.yaml").write_text("packs: [builtin:hotfix]\n", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment.update(GITHUB_EVENT_NAME=event_name, GITHUB_EVENT_PATH=str(EVENTS / "pull_request_review.submitted.json"))
    # Outside git, the configuration cannot come from the event's base commit: the working tree's.
    result = subprocess.run([POLICY_COMMAND, "check", "--format", "json", "--policy-from", "working-tree"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["summary"]["documents"] == 1
    environment["GITHUB_EVENT_NAME"] = "push"
    result = subprocess.run([POLICY_COMMAND, "check", "--format", "json"], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no documents" in result.stderr.lower()
