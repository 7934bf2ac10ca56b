"""The run's other inputs, bounded and closed: the event's lists (an event with 600,000 labels
took 28 s), numbers JSON has not (`NaN`, `1e999999`), a configuration with no rule in force
(`packs: []` ran nothing and passed) and thresholds of 0 ("updates are due every 0 minutes")."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.documents.github import load_changed_files, load_reviews, read_event
from hotfix_policy.engine.documents.json_input import JsonInputError
from hotfix_policy.engine.limits import MAX_INPUT_LIST_ITEMS
from tests.conftest import POLICY_COMMAND, REPO

EVENT = json.loads((REPO / "examples" / "github" / "event.json").read_text(encoding="utf-8"))
OVER = f"{MAX_INPUT_LIST_ITEMS + 1:,} entries, over the limit of {MAX_INPUT_LIST_ITEMS:,}"


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def test_an_event_with_too_many_labels_is_refused_at_the_list(tmp_path: Path):
    labels = [{"name": f"l{i}"} for i in range(MAX_INPUT_LIST_ITEMS + 1)]
    event = _write(tmp_path / "e.json", {**EVENT, "pull_request": {**EVENT["pull_request"], "labels": labels}})
    with pytest.raises(JsonInputError, match=f"pull_request.labels: {OVER}"):
        read_event(str(event))
    labels.pop()
    read_event(str(_write(event, {**EVENT, "pull_request": {**EVENT["pull_request"], "labels": labels}})))


def test_too_many_reviews_or_changed_files_are_refused(tmp_path: Path):
    review = {"user": {"login": "a"}, "state": "APPROVED", "submitted_at": "2026-11-20T10:00:00Z"}
    with pytest.raises(JsonInputError, match=f"the reviews: {OVER}"):
        load_reviews(str(_write(tmp_path / "r.json", [review] * (MAX_INPUT_LIST_ITEMS + 1))))
    with pytest.raises(JsonInputError, match=f"the changed files: {OVER}"):
        load_changed_files(str(_write(tmp_path / "f.json", ["a.py"] * (MAX_INPUT_LIST_ITEMS + 1))))
    lines = tmp_path / "f.txt"
    lines.write_text("a.py\n" * (MAX_INPUT_LIST_ITEMS + 1), encoding="utf-8")
    with pytest.raises(JsonInputError, match=f"f.txt: the changed files: {OVER}"):
        load_changed_files(str(lines))
    assert len(load_reviews(str(_write(tmp_path / "r.json", [review] * MAX_INPUT_LIST_ITEMS)))) == MAX_INPUT_LIST_ITEMS


@pytest.mark.parametrize("number, message", [("NaN", "NaN is not a finite number"),
                                             ("-Infinity", "-Infinity is not a finite number"),
                                             ("1e999999", "1e999999 is not a finite number"),
                                             ("9" * 5_000, "a number of 5,000 digits is out of range")])
def test_a_number_json_has_not_is_refused_at_its_place(tmp_path: Path, number: str, message: str):
    text = json.dumps({**EVENT, "pull_request": {**EVENT["pull_request"], "number": 1}}, indent=1)
    place = text.index('"number": 1') + len('"number": ')
    event = tmp_path / "e.json"
    event.write_text(text[:place] + number + text[place + 1:], encoding="utf-8")
    line = text.count("\n", 0, place) + 1
    column = place - text.rfind("\n", 0, place)
    done = subprocess.run([POLICY_COMMAND, "check", "--github-event", str(event)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"policy check: {event}:{line}:{column}: the GitHub event: {message}"]


def _check_with_config(tmp_path: Path, config: str) -> subprocess.CompletedProcess:
    (tmp_path / ".policy.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "INC-1.md").write_text("# INC-1: x\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
                                       "Token: AKIAQZXRTYUIOPASDFGH\n", encoding="utf-8")
    return subprocess.run([POLICY_COMMAND, "check", "."], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_no_pack_and_no_policy_is_a_configuration_mistake(tmp_path: Path):
    done = _check_with_config(tmp_path, "packs: []\n")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [".policy.yaml:1:8: packs: no pack and no `policies`: no rule would judge the "
                                        "documents; name a pack (builtin:hotfix) or a policy file"]


@pytest.mark.parametrize("key", ["update_interval_minutes", "max_hotfix_files", "max_waiver_days"])
def test_a_threshold_of_zero_is_a_configuration_mistake(tmp_path: Path, key: str):
    done = _check_with_config(tmp_path, f"data:\n  {key}: 0\n")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f".policy.yaml:2:{len(key) + 5}: {key} must be at least 1; found 0"]
