"""A secret in a pull request's title, labels or branch names is SEC001 on the PR document, as
one in its body is: masking it alone let the run pass with a credential in the pull request."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND
from tests.hostile.fake_secrets import fake_secrets, leaked

KEY = fake_secrets()["aws_access_key_id"][1]
FIELDS = {
    "title": lambda pull: pull.update(title=f"Fix checkout {KEY}"),
    "labels": lambda pull: pull.update(labels=[{"name": "hotfix"}, {"name": KEY}]),
    "head": lambda pull: pull["head"].update(ref=f"hotfix/v1.2.4-{KEY}"),
    "base": lambda pull: pull["base"].update(ref=f"main-{KEY}"),
}


@pytest.mark.parametrize("field", FIELDS)
def test_a_secret_in_a_pull_request_field_is_sec001(field, tmp_path: Path):
    pull = {"title": "Fix checkout", "body": "# HOTFIX - EMERGENCY DEPLOYMENT\n", "labels": [],
            "head": {"ref": "hotfix/v1.2.4-checkout"}, "base": {"ref": "main"}, "user": {"login": "lee"}}
    FIELDS[field](pull)
    (tmp_path / "event.json").write_text(json.dumps({"pull_request": pull}), encoding="utf-8")
    done = subprocess.run([POLICY_COMMAND, "check", "--github-event", "event.json", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "SEC001"]
    assert [f["path"] for f in found] == ["event.json"]
    assert f"in the pull request's {field}" in found[0]["message"]
    assert leaked(done.stdout + done.stderr, [KEY]) == []
