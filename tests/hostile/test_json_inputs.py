"""Hand-edited or hostile GitHub JSON: a wrong shape, nesting beyond the decoder, a device that
never ends. Each is one located line and exit 2, never a traceback."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND, REPO

EVENT = json.loads((REPO / "examples" / "github" / "event.json").read_text(encoding="utf-8"))


def _event_with(change) -> dict:
    event = copy.deepcopy(EVENT)
    change(event["pull_request"])
    return event


SHAPES = {
    "a PR body that is an object": (_event_with(lambda pr: pr.update(body={"text": "x"})),
                                    "pull_request.body: expected a string or null, found an object"),
    "a user that is a string": (_event_with(lambda pr: pr.update(user="dana")),
                                "pull_request.user: expected an object or null, found a string"),
    "a base that is a string": (_event_with(lambda pr: pr.update(base="main")),
                                "pull_request.base: expected an object or null, found a string"),
    "a label name that is a number": (_event_with(lambda pr: pr.update(labels=[{"name": 7}])),
                                      "pull_request.labels[0].name: expected a string or null, found an integer"),
}


def _check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, "check", *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("shape", SHAPES)
def test_an_event_of_the_wrong_shape_is_one_located_line(shape, tmp_path: Path):
    event, message = SHAPES[shape]
    (tmp_path / "event.json").write_text(json.dumps(event, indent=2), encoding="utf-8")
    done = _check(tmp_path, "--github-event", "event.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("policy check: event.json:") and line.endswith(message), line
    where = line.split(":")[2:4]
    assert all(part.isdigit() for part in where), line


@pytest.mark.parametrize("option, content, message", [
    ("--reviews", [{"user": "lee", "state": "APPROVED"}], "[0].user: expected an object or null, found a string"),
    ("--reviews", {"reviews": []}, "reviews must be a JSON list"),
    ("--changed-files", [{"filename": ["a.py"]}], "[0].filename: expected a string, found a list"),
])
def test_reviews_and_changed_files_of_the_wrong_shape(option, content, message, tmp_path: Path):
    (tmp_path / "input.json").write_text(json.dumps(content), encoding="utf-8")
    done = _check(tmp_path, "--github-event", str(REPO / "examples" / "github" / "event.json"), option, "input.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr and message in done.stderr, done.stderr


@pytest.mark.parametrize("option", ["--github-event", "--reviews", "--changed-files"])
def test_json_nested_beyond_the_decoder_is_refused(option, tmp_path: Path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    event = "deep.json" if option == "--github-event" else str(REPO / "examples" / "github" / "event.json")
    args = ["--github-event", event] + ([option, "deep.json"] if option != "--github-event" else [])
    done = _check(tmp_path, *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "deep.json" in done.stderr and ("nested too deeply" in done.stderr or "expected" in done.stderr)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("option", ["--github-event", "--reviews", "--changed-files"])
def test_a_device_that_never_ends_is_read_no_further_than_the_limit(option, tmp_path: Path):
    args = [option, "/dev/zero"] if option == "--github-event" else \
        ["--github-event", str(REPO / "examples" / "github" / "event.json"), option, "/dev/zero"]
    done = _check(tmp_path, *args)
    assert done.returncode == 2 and "over the size limit" in done.stderr, done.stderr


def test_half_a_surrogate_pair_in_the_body_is_a_replacement_character_not_a_traceback(tmp_path: Path):
    """`\\ud800` in JSON decodes to no character: no output could encode it."""
    event = json.loads((REPO / "examples" / "github" / "event.json").read_text(encoding="utf-8"))
    event["pull_request"]["body"] = event["pull_request"]["body"].replace(
        "No reviewer available within 2 hours", "No reviewer available within 2 hours \ud800")
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")  # json.dumps writes \ud800
    assert "\\ud800" in (tmp_path / "event.json").read_text(encoding="utf-8")
    done = subprocess.run([POLICY_COMMAND, "check", "--github-event", "event.json", "--format", "json",
                           "--report", f"sarif={tmp_path / 'out.sarif'}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["findings"] and (tmp_path / "out.sarif").is_file()
