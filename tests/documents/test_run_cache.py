"""The run cache (engine/replay/run_cache.py): a replayed `policy check` prints, byte for byte,
what a full run prints, without reading a document back; anything the run depends on that
changes, and a clock outside the findings' validity, is a miss; a damaged entry is a miss."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hotfix_policy.cli.main import main
from hotfix_policy.engine.cache_folder import sealed
from hotfix_policy.engine.documents import cache as document_cache_module
from hotfix_policy.engine.limits import MAX_RUN_CACHE_ENTRIES
from hotfix_policy.engine.policy import check as check_module
from hotfix_policy.engine.policy import evaluate as evaluate_module
from hotfix_policy.engine.policy.inputs import RunInputs
from hotfix_policy.engine.replay import file_hashes
from hotfix_policy.engine.report import FORMATS
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

NOW = "2026-11-26T12:00:00Z"
EXAMPLE_INPUTS = ["--github-event", "examples/github/event.json", "--reviews", "examples/github/reviews.json",
                  "--changed-files", "examples/github/changed-files.txt"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A private cache home and working directory for the test, without CI's variables."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE", raising=False)
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_HEAD_REF", "GITHUB_BASE_REF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    document_cache_module._opened.cache_clear()
    yield tmp_path
    document_cache_module._opened.cache_clear()


@pytest.fixture
def judged(monkeypatch) -> list:
    """Counts what a run did with its files' documents: each looked up in (and read back from) the
    extraction cache, each judging. A replay does neither (it extracts the event's PR body alone,
    as every run does to know its inputs)."""
    seen: list = []
    for owner, name in ((document_cache_module.DocumentCache, "get"), (check_module, "judgement")):
        original = getattr(owner, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            seen.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
    return seen


def check(capsys, *arguments: str) -> tuple:
    """(exit code, stdout, stderr) of `policy check` run in this process."""
    code = main(["check", *arguments])
    out, err = capsys.readouterr()
    os.environ.pop("HOTFIX_POLICY_NO_CACHE", None)  # --no-cache sets it for the run's processes
    return code, out, err


def runs(home: Path) -> list:
    return sorted((home / "cache" / "hotfix-policy" / "runs").glob("*.json"))


def read_stored(entry: Path) -> dict:
    """An entry's lines by what they hold (engine/replay/entry.py): `header`, `findings`, `facts`,
    `sources`, and when it keeps them `verdicts` (`workspace`, `documents`) and `documents` (the
    layout line, then one per document)."""
    lines = [json.loads(line) for line in entry.read_bytes().split(b"\n")[:-1]]  # the checksum's line last
    header, findings, facts, sources = lines[:4]
    stored = {"header": header, "findings": findings, "facts": facts, "sources": sources}
    if header["verdicts"] is not None:
        verdicts = lines[4:5 + header["verdicts"]]
        stored["verdicts"] = {"workspace": verdicts[0], "documents": verdicts[1:]}
        stored["documents"] = lines[5 + header["verdicts"]:]
    return stored


def write_stored(entry: Path, stored: dict) -> None:
    """`stored` (as `read_stored` gives it) written back as an entry's lines, the header's counts
    as they were, with the checksum made anew (as a tamperer would: a CRC-32 is no secret)."""
    lines = [stored["header"], stored["findings"], stored["facts"], stored["sources"]]
    if "verdicts" in stored:
        lines += [stored["verdicts"]["workspace"], *stored["verdicts"]["documents"], *stored["documents"]]
    entry.write_bytes(b"\n".join(sealed([json.dumps(line).encode("utf-8") for line in lines])))


@pytest.fixture
def examples(home: Path) -> list:
    shutil.copytree(REPO / "examples", home / "examples")
    return ["examples", *EXAMPLE_INPUTS]


@pytest.fixture
def history(home: Path) -> list:
    corpus.write_history(home / "repo", 30)
    (home / "repo" / ".policy.yaml").write_text(f"clock: {NOW}\n", encoding="utf-8")
    return ["repo"]


@pytest.mark.parametrize("workspace", ["examples", "history"])
def test_a_replay_prints_what_a_full_run_prints_in_every_format(workspace, request, home, capsys, judged):
    arguments = request.getfixturevalue(workspace)
    for index, fmt in enumerate(FORMATS):
        fresh = check(capsys, *arguments, "--format", fmt, "--no-cache")
        del judged[:]
        first = check(capsys, *arguments, "--format", fmt)
        assert ("judgement" in judged) is (index == 0)  # one outcome for every format
        del judged[:]
        replayed = check(capsys, *arguments, "--format", fmt)
        assert judged == [], fmt  # no document looked up or judged
        assert fresh == first == replayed, fmt
    assert len(runs(home)) == 1  # the format is not part of the outcome


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are text, never bytes")
def test_a_file_name_that_is_not_utf_8_replays(home, history, capsys, judged):
    """An entry names it with a lone surrogate, which orjson neither writes nor reads (entry.py)."""
    record = sorted((home / "repo").rglob("INC-*.md"))[0]
    record.rename(record.with_name(os.fsdecode(b"INC-\xff.md")))
    first = check(capsys, *history)
    del judged[:]
    assert check(capsys, *history) == first and judged == []
    assert "INC-\ufffd.md" in first[1]


def test_a_replay_writes_every_extra_report_alike(home, examples, capsys, judged):
    reports = [f"--report={fmt}=" + str(home / "out" / f"{{}}.{fmt}") for fmt in FORMATS]
    (home / "out").mkdir()

    def written(label: str, *extra: str) -> tuple:
        result = check(capsys, *examples, "--format", "github", *[r.format(label) for r in reports], *extra)
        return result, [(home / "out" / f"{label}.{fmt}").read_bytes() for fmt in FORMATS]

    fresh = written("fresh", "--no-cache")
    check(capsys, *examples, "--format", "github", *[r.format("first") for r in reports])
    del judged[:]
    replayed = written("replayed")
    assert judged == []
    assert fresh[1] == replayed[1] and fresh[0][0] == replayed[0][0] and fresh[0][2] == replayed[0][2]


def test_the_notes_on_stderr_and_the_exit_code_are_replayed(home, capsys, judged):
    folder = home / "repo"
    corpus.write_history(folder, 5)
    (folder / "notes").mkdir()
    (folder / "notes" / "README.md").write_text("# Notes\n\nNothing of ours.\n", encoding="utf-8")
    (folder / ".policy.yaml").write_text(f"clock: {NOW}\nexclude: ['incidents/INC-1001.md']\n", encoding="utf-8")
    arguments = ["repo/incidents", "repo/notes", "repo/incidents/INC-1001.md"]
    fresh = check(capsys, *arguments, "--no-cache")
    check(capsys, *arguments)
    del judged[:]
    replayed = check(capsys, *arguments)
    assert judged == []
    assert fresh == replayed
    assert "excluded by" in fresh[2] and "no documents of a known kind under repo/notes" in fresh[2]
    assert "the clock is pinned" in fresh[2] and fresh[0] == 1


LOCAL_POLICY = """apiVersion: policy/v1
kind: Policy
metadata:
  name: local-extra
  description: A team's own rule.
spec:
  appliesTo: incident
  rules:
    - id: LOC001
      severity: warning
      expression: "true"
      message: "a team's own rule"
"""


def _with_a_local_policy(examples: Path) -> None:
    (examples / "local").mkdir()
    (examples / "local" / "extra.yaml").write_text(LOCAL_POLICY, encoding="utf-8")
    with open(examples / ".policy.yaml", "a", encoding="utf-8") as out:
        out.write("policies: [local/extra.yaml]\n")


def _change(examples: Path, change: str) -> None:
    """One change to what the examples' run depends on."""
    record = examples / "incidents" / "INC-2041.md"
    if change == "a document byte":
        record.write_bytes(record.read_bytes().replace(b"#", b"# ", 1))
    elif change == "an added file":
        shutil.copy(record, examples / "incidents" / "INC-2043.md")
    elif change == "a removed file":
        record.unlink()
    elif change == "the configuration":
        with open(examples / ".policy.yaml", "a", encoding="utf-8") as out:
            out.write("rules:\n  INC006: warning\n")
    elif change == "a policy file":
        policy = examples / "local" / "extra.yaml"
        policy.write_text(policy.read_text(encoding="utf-8").replace('"true"', '"false"'), encoding="utf-8")
    else:  # the event, reviews or changed files: bytes that say the same (the key covers the bytes)
        name = {"the event": "event.json", "the reviews": "reviews.json", "the changed files": "changed-files.txt"}
        with open(examples / "github" / name[change], "a", encoding="utf-8") as out:
            out.write("\n")


CHANGES = ["a document byte", "an added file", "a removed file", "the configuration", "a policy file",
           "the event", "the reviews", "the changed files", "--kind"]


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_the_run_depends_on_is_a_miss(change, home, examples, capsys, judged):
    _with_a_local_policy(home / "examples")
    arguments = ["examples/incidents/INC-2041.md", *EXAMPLE_INPUTS] if change == "--kind" else examples
    check(capsys, *arguments)
    if change == "--kind":  # the kind detection gives it too: the same findings, another run
        arguments = [*arguments, "--kind", "incident"]
    else:
        _change(home / "examples", change)
    fresh = check(capsys, *arguments, "--no-cache")
    del judged[:]
    assert check(capsys, *arguments) == fresh
    assert "judgement" in judged, change
    del judged[:]
    assert check(capsys, *arguments) == fresh
    assert judged == []  # and the changed run replays in turn


def test_a_clock_outside_the_findings_validity_is_a_miss(home, examples, capsys, judged, monkeypatch):
    at = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    holds_until = at + timedelta(hours=1)

    def judgement(*args, **kwargs):  # findings that hold for an hour (a deadline an hour ahead)
        return check_module.Judgement(original(*args, **kwargs).findings, holds_until)

    original = check_module.judgement
    monkeypatch.setattr(check_module, "judgement", judgement)

    def run(moment: datetime) -> list:
        del judged[:]
        check(capsys, *examples, "--now", moment.isoformat())
        return [name for name in judged if name == "judgement"]

    assert run(at) == ["judgement"]
    assert run(at) == []
    assert run(at + timedelta(minutes=59)) == []  # later, before the findings may change
    assert run(at - timedelta(seconds=1)) == ["judgement"]  # earlier than the entry: a miss
    assert run(holds_until) == ["judgement"]  # at valid_until: a miss


OPEN_INCIDENT = """# INC-7: Search times out

🚨 PRODUCTION INCIDENT DECLARED
Severity: HIGH
Criterion: Major feature unavailable
Issue: Search times out
Impact: Every user
Status: INVESTIGATING
ETA: 2026-11-26T13:00Z
Commander: @dana-k
Declared: 2026-11-26T10:00Z
"""


def test_findings_that_hold_only_at_their_instant_replay_only_at_it(home, capsys, judged):
    """An open incident silent for two hours: INC006's message spells out the time now, so the
    findings change with every tick and replay only at the moment they were judged."""
    (home / "incidents").mkdir()
    (home / "incidents" / "INC-7.md").write_text(OPEN_INCIDENT, encoding="utf-8")
    assert "now 2026-11-26 12:00 UTC" in check(capsys, "incidents", "--now", NOW)[1]
    for moment, replayed in ((NOW, True), ("2026-11-26T12:00:01Z", False)):
        del judged[:]
        check(capsys, "incidents", "--now", moment)
        assert ("judgement" not in judged) is replayed, moment


def test_with_the_clock_running_an_unchanged_history_replays(home, history, capsys, judged):
    """No `--now`, no `clock:`: the records' deadlines have all passed (they stay passed), so the
    second run replays what the first judged."""
    (home / "repo" / ".policy.yaml").unlink()
    first = check(capsys, *history)
    del judged[:]
    assert check(capsys, *history) == first
    assert judged == []


def test_a_waiver_that_expires_bounds_the_replay(home, examples, capsys, judged, monkeypatch):
    with open(home / "examples" / ".policy.yaml", "a", encoding="utf-8") as out:
        out.write("waivers:\n  - rules: [INC006]\n    documents: ['incidents/*']\n    approved_by: ops-lead\n"
                  "    justification: The timeline is being reconstructed from the pager logs\n"
                  "    expires: 2026-12-31\n")

    class Timeless(check_module.Evaluator):
        """Rules whose findings hold for ever (what the rule language says of rules that read no clock)."""

        def run(self, *args, **kwargs):
            found = super().run(*args, **kwargs)
            self.valid_until = None
            return found

    monkeypatch.setattr(check_module, "Evaluator", Timeless)

    def run(moment: str) -> tuple:
        del judged[:]
        result = check(capsys, *examples, "--now", moment)
        return "judgement" in judged, "WVR001" in result[1]

    assert run("2026-11-26T12:00:00Z") == (True, False)
    assert run("2026-12-24T23:59:59Z") == (False, False)
    assert run("2026-12-25T00:00:00Z") == (True, True)  # 7 days before the end of its last day: WVR001
    # Judged at its last instant, the waiver holds then and never after: no later run replays it.
    last, after = "2027-01-01T00:00:00Z", "2027-01-01T00:00:00.001Z"
    assert run(last) == (True, True) and "waived" in check(capsys, *examples, "--now", last, "--no-cache")[1]
    fresh = check(capsys, *examples, "--now", after, "--no-cache")
    assert "it expired on 2026-12-31" in fresh[1]
    assert run(after)[0] and check(capsys, *examples, "--now", after) == fresh


@pytest.mark.parametrize("damage", ["truncated", "not json", "another key", "wrong types", "a finding too short",
                                    "a bad severity", "a bad time", "empty", "no sources", "no docs",
                                    "a line past any file"])
def test_a_damaged_entry_is_a_miss_without_a_traceback(damage, home, examples, capsys, judged):
    fresh = check(capsys, *examples, "--no-cache")
    check(capsys, *examples)
    (entry,) = runs(home)
    raw = entry.read_bytes()
    stored = read_stored(entry)
    if damage == "truncated":
        entry.write_bytes(raw[:len(raw) // 2])
    elif damage == "not json":
        entry.write_bytes(b"\x80 not json")
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        if damage == "another key":
            stored["header"]["key"] = "0" * 64
        elif damage == "wrong types":
            stored["facts"]["documents"] = "many"
        elif damage == "a finding too short":
            stored["findings"][0] = stored["findings"][0][:3]
        elif damage == "a bad severity":
            stored["findings"][0][1] = "fatal"
        elif damage == "a bad time":
            stored["header"]["now"] = "yesterday"
        elif damage == "no sources":
            stored["sources"] = None
        elif damage == "no docs":
            stored["facts"]["docs"] = None
        elif damage == "a line past any file":
            located = next(finding for finding in stored["findings"] if finding[4] is not None)
            located[4][2] = 10 ** 30
        write_stored(entry, stored)
    del judged[:]
    assert check(capsys, *examples) == fresh
    assert "judgement" in judged


def test_findings_edited_in_an_entry_are_a_miss_and_the_entry_is_stored_anew(home, examples, capsys, judged):
    """Damage that still parses (here, the findings line emptied, as an editor would) must not
    replay "No findings" and exit 0: the entry's checksum no longer matches."""
    fresh = check(capsys, *examples, "--no-cache")
    assert fresh[0] == 1
    check(capsys, *examples)
    (entry,) = runs(home)
    lines = entry.read_bytes().split(b"\n")
    lines[1] = b"[]"
    entry.write_bytes(b"\n".join(lines))
    del judged[:]
    assert check(capsys, *examples) == fresh
    assert "judgement" in judged
    del judged[:]
    assert check(capsys, *examples) == fresh  # stored anew, and replayed
    assert judged == []


def test_an_entry_copied_under_another_runs_name_is_a_miss(home, examples, capsys, judged):
    check(capsys, *examples)
    (first,) = runs(home)
    _change(home / "examples", "a document byte")
    check(capsys, *examples)
    (second,) = [entry for entry in runs(home) if entry != first]
    shutil.copy(first, second)  # the first run's verdicts under the second run's name
    fresh = check(capsys, *examples, "--no-cache")
    del judged[:]
    assert check(capsys, *examples) == fresh
    assert "judgement" in judged


def test_no_cache_neither_reads_nor_writes_it(home, examples, capsys, judged):
    check(capsys, *examples, "--no-cache")
    assert runs(home) == []
    check(capsys, *examples)
    assert len(runs(home)) == 1
    del judged[:]
    check(capsys, *examples, "--no-cache")
    assert "judgement" in judged


def test_explain_judges_the_documents(home, examples, capsys, judged):
    check(capsys, *examples)
    del judged[:]
    check(capsys, *examples, "--explain")
    assert "judgement" in judged


@pytest.fixture
def same_month(home: Path) -> list:
    """Hotfixes of one month, judged on its last day: their deadlines pass one record at a time."""
    corpus.write_same_month_hotfixes(home / "repo", 30)
    (home / "repo" / ".policy.yaml").write_text("clock: 2026-12-01T12:00:00Z\n", encoding="utf-8")
    return ["repo"]


@pytest.fixture
def verdicts_on(monkeypatch) -> list:
    """The paths of the documents each run judged, in order."""
    judged_paths: list = []
    original = check_module.Evaluator.verdict_on

    def counted(self, subject, base, now):
        judged_paths.append(subject.document.path)
        return original(self, subject, base, now)

    monkeypatch.setattr(check_module.Evaluator, "verdict_on", counted)
    monkeypatch.setattr(evaluate_module, "PARALLEL_MIN_DOCUMENTS", 10 ** 9)  # counted in this process
    return judged_paths


def _verdicts_at(arguments: list, moment: datetime):
    """The rules' verdicts on each document of a run judged at `moment`, without the run cache."""
    inputs = RunInputs(paths=arguments, now=moment.isoformat())
    config = check_module.configuration(inputs)
    return check_module.run_check(inputs, config, check_module.load_run_policies(config)).verdicts


def test_past_its_time_a_run_judges_again_only_the_documents_whose_findings_ran_out(home, same_month, capsys,
                                                                                     judged, verdicts_on):
    at = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    verdicts = _verdicts_at(same_month, at)
    ends = sorted({v.valid_until for v in verdicts.documents if v.valid_until is not None})
    assert len(ends) >= 3 and any(v.valid_until is None for v in verdicts.documents)
    later = ends[1]  # two records' findings may have changed by then, the rest hold
    ran_out = sorted(v.path for v in verdicts.documents if v.valid_until is not None and v.valid_until <= later)
    check(capsys, *same_month, "--now", at.isoformat())
    del verdicts_on[:], judged[:]
    partly_judged = check(capsys, *same_month, "--now", later.isoformat())
    assert sorted(verdicts_on) == ran_out and "judgement" in judged
    assert judged.count("get") == 30  # the first run past an entry's time reads every record back, and keeps them
    assert partly_judged == check(capsys, *same_month, "--now", later.isoformat(), "--no-cache")
    del verdicts_on[:], judged[:]
    check(capsys, *same_month, "--now", later.isoformat())  # stored anew: now a replay
    assert verdicts_on == [] and judged == []
    # The verdicts that held were written back as read: a third run reads them and judges only
    # the records whose findings ran out since the second.
    third = ends[2]
    held = _verdicts_at(same_month, later).documents
    del verdicts_on[:], judged[:]
    assert check(capsys, *same_month, "--now", third.isoformat()) == \
        check(capsys, *same_month, "--now", third.isoformat(), "--no-cache")
    again = sorted(v.path for v in held if v.valid_until is not None and v.valid_until <= third)
    assert sorted(verdicts_on[:len(verdicts_on) - 30]) == again
    assert judged.count("get") == len(again)  # the others are as the entry keeps them, not read back


def test_each_run_that_stores_writes_its_entry_once_its_report_is_out(home, same_month, capsys, judged,
                                                                        monkeypatch):
    """A run judged in full, the first past its entry's time (every record read back) and the next
    (only the records whose verdicts ran out) each write their entry after their report, which the
    reader waits for."""
    from hotfix_policy.cli import output
    from hotfix_policy.engine.replay import run_cache

    events: list = []
    for owner, name in ((output, "write_output"), (run_cache.RunCache, "put"), (sys.stdout, "flush")):
        original = getattr(owner, name)

        def noted(*args, _original=original, _name=name, **kwargs):
            events.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, noted)
    at = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    ends = sorted({v.valid_until for v in _verdicts_at(same_month, at).documents if v.valid_until is not None})
    for moment in (at, ends[1], ends[2]):
        del events[:], judged[:]
        check(capsys, *same_month, "--now", moment.isoformat())
        (entry,) = runs(home)
        assert events.count("put") == 1 and "flush" in events[events.index("write_output"):events.index("put")]
        assert read_stored(entry)["header"]["now"] == moment.isoformat()
    assert judged.count("get") < 30  # the last was judged again only where verdicts ran out


def test_an_entry_that_cannot_be_written_is_a_note_and_the_outcome_stands(home, history, capsys, monkeypatch):
    from hotfix_policy.engine.replay import run_cache

    fresh = check(capsys, *history, "--no-cache")

    def failing(*args, **kwargs):
        raise RuntimeError("a value from a document: Hunter2Hunter2")

    monkeypatch.setattr(run_cache.RunCache, "put", failing)
    code, out, err = check(capsys, *history)
    assert (code, out) == fresh[:2] and runs(home) == []
    assert err == fresh[2] + "policy check: the run cache's entry was not written (RuntimeError)\n"


def test_an_entry_over_its_size_is_kept_without_its_documents_or_not_at_all(home, same_month, capsys, monkeypatch):
    from hotfix_policy.engine.replay import run_cache

    at = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    later = sorted({v.valid_until for v in _verdicts_at(same_month, at).documents if v.valid_until is not None})[1]

    def stored_after_two_runs(limit: int):
        monkeypatch.setattr(run_cache, "MAX_RUN_CACHE_ENTRY_BYTES", limit)
        shutil.rmtree(home / "cache" / "hotfix-policy" / "runs", ignore_errors=True)
        check(capsys, *same_month, "--now", at.isoformat())
        printed = check(capsys, *same_month, "--now", later.isoformat())  # past its time: keeps the documents
        assert printed == check(capsys, *same_month, "--now", later.isoformat(), "--no-cache")
        return [read_stored(entry) for entry in runs(home)], runs(home)

    (whole,), (entry,) = stored_after_two_runs(10 ** 9)
    assert whole["header"]["documents"] is not None
    lines = entry.read_bytes().split(b"\n")
    without_documents = sum(map(len, lines[:5 + whole["header"]["verdicts"]])) + 5 + whole["header"]["verdicts"]
    (kept,), _ = stored_after_two_runs(without_documents + 100)
    assert kept["header"]["documents"] is None and kept["documents"] == []
    assert stored_after_two_runs(without_documents // 2) == ([], [])


WORKSPACE_DEADLINE = """apiVersion: policy/v1
kind: Policy
metadata:
  name: freeze
  description: A code freeze that starts on a date.
spec:
  appliesTo: workspace
  rules:
    - id: LOC002
      severity: warning
      expression: "ctx.now < timestamp('2026-12-02T00:00:00Z')"
      message: "the code freeze has started"
"""


def test_workspace_policies_are_run_again_only_when_their_findings_ran_out(home, same_month, capsys, verdicts_on):
    (home / "repo" / "freeze.yaml").write_text(WORKSPACE_DEADLINE, encoding="utf-8")
    with open(home / "repo" / ".policy.yaml", "a", encoding="utf-8") as out:
        out.write("policies: [freeze.yaml]\n")
    runs_before = evaluate_module.Evaluator.workspace_runs

    def run(moment: str) -> tuple:
        """(whether the workspace policies ran, whether the freeze was reported)."""
        before = evaluate_module.Evaluator.workspace_runs
        found = "LOC002" in check(capsys, *same_month, "--now", moment, "--format", "json")[1]
        return evaluate_module.Evaluator.workspace_runs > before, found

    assert run("2026-12-01T12:00:00Z") == (True, False)
    assert run("2026-12-01T23:00:00Z") == (False, False)  # a record's findings ran out, not the workspace's
    assert run("2026-12-02T00:00:00Z") == (True, True)
    assert evaluate_module.Evaluator.workspace_runs == runs_before + 2


@pytest.mark.parametrize("damage", ["not a list", "a path changed", "a finding of the wrong shape", "a bad time",
                                    "one verdict fewer"])
def test_damaged_verdicts_are_judged_again_in_full(damage, home, same_month, capsys, verdicts_on):
    later = "2026-12-08T12:00:00Z"
    check(capsys, *same_month, "--now", "2026-12-01T12:00:00Z")
    (entry,) = runs(home)
    stored = read_stored(entry)
    documents = stored["verdicts"]["documents"]
    if damage == "not a list":
        documents[0] = {"INC-1000": documents[0]}
    elif damage == "a path changed":
        documents[0][0] = "elsewhere.md"
    elif damage == "a finding of the wrong shape":
        next(verdict for verdict in documents if verdict[1])[1][0][1] = "fatal"
    elif damage == "a bad time":
        documents[0][2] = "yesterday"
    elif damage == "one verdict fewer":
        del documents[0]
    write_stored(entry, stored)
    del verdicts_on[:]
    assert check(capsys, *same_month, "--now", later) == check(capsys, *same_month, "--now", later, "--no-cache")
    assert len(verdicts_on) == 2 * 30  # every record judged by the first run and by the fresh one


@pytest.fixture
def same_month_and_examples(same_month: list, home: Path) -> list:
    """The same month's hotfixes beside the examples (records, a review, a commit message) and
    the examples' pull request event: documents no file holds among those judged again."""
    shutil.copytree(REPO / "examples", home / "repo" / "examples")
    return [*same_month, *(argument.replace("examples/", "repo/examples/") for argument in EXAMPLE_INPUTS)]


@pytest.fixture
def same_month_named_otherwise(same_month: list) -> list:
    """The same month's hotfixes, the folder named as `./repo`: its documents show their paths
    without the `./` their files are found with."""
    return [f"./{argument}" for argument in same_month]


@pytest.mark.parametrize("workspace", ["same_month", "same_month_and_examples", "same_month_named_otherwise"])
def test_runs_past_their_entrys_time_print_what_full_runs_print_in_every_format(workspace, request, home, capsys,
                                                                                judged):
    """Each run comes two days after the last: past its entry's time, it judges again what ran
    out, from the second such run on with the documents the entry keeps (rejudge.py), reading
    back only those."""
    arguments = request.getfixturevalue(workspace)
    start = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    check(capsys, *arguments, "--now", start.isoformat())
    for index, fmt in enumerate(FORMATS):
        moment = (start + timedelta(days=2 * (index + 1))).isoformat()
        del judged[:]
        assert check(capsys, *arguments, "--format", fmt, "--now", moment) == \
            check(capsys, *arguments, "--format", fmt, "--now", moment, "--no-cache"), fmt
        assert "judgement" in judged, fmt
        assert index == 0 or judged.count("get") < 30, fmt


@pytest.mark.parametrize("damage", ["not a list", "a path changed", "a bad title", "data of the wrong type",
                                    "an other pull request past the end", "one document fewer"])
def test_damaged_documents_are_read_back(damage, home, same_month, capsys, judged):
    """Past the entry's time a run judges from the documents it keeps; kept wrongly, they are read
    back from the extraction cache as if the entry kept none, and the output is a full run's."""
    later = "2026-12-08T12:00:00Z"
    check(capsys, *same_month, "--now", "2026-12-01T12:00:00Z")
    check(capsys, *same_month, "--now", "2026-12-03T12:00:00Z")  # past the entry's time: keeps the documents
    (entry,) = runs(home)
    stored = read_stored(entry)
    layout, first = stored["documents"][0], stored["documents"][1]
    if damage == "not a list":
        stored["documents"][1] = {"path": first[0]}
    elif damage == "a path changed":
        first[0] = "elsewhere.md"
    elif damage == "a bad title":
        first[4] = [1, 2]
    elif damage == "data of the wrong type":
        first[6] = ["not", "a", "map"]
    elif damage == "an other pull request past the end":
        layout[2] = [layout[0]]
    elif damage == "one document fewer":
        del stored["documents"][1]
    write_stored(entry, stored)
    del judged[:]
    assert check(capsys, *same_month, "--now", later) == check(capsys, *same_month, "--now", later, "--no-cache")
    assert judged.count("get") == 30  # every record read back by the run (the fresh one reads none)


@pytest.fixture
def early(monkeypatch) -> list:
    """The history's 30 records count as many: a run with an empty extraction cache begins
    extracting them before its policies load; the list holds each extraction begun."""
    from hotfix_policy.engine.policy import extraction_pool, inputs

    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    begun: list = []
    original = extraction_pool.EarlyExtraction.__init__

    def noted(self, *args, **kwargs):
        original(self, *args, **kwargs)
        begun.append(self.extraction)

    monkeypatch.setattr(extraction_pool.EarlyExtraction, "__init__", noted)
    return begun


@pytest.mark.parametrize("saved_before", ["file_documents", "gather"])
def test_a_file_written_while_the_run_reads_it_stores_nothing(saved_before, home, history, capsys, judged,
                                                              monkeypatch, request):
    """An editor saves a record between the key's read and the judging's: the run judges the new
    bytes, so storing its findings under the old bytes' key would replay them for the old text.
    A run that began extracting before its key read the files (`gather`: its workers may read
    the record before or after the save) keys each file's state from before that."""
    from hotfix_policy.engine.replay import run_cache

    begun = request.getfixturevalue("early") if saved_before == "gather" else [None]
    owner = run_cache if saved_before == "gather" else check_module
    record = home / "repo" / "incidents" / "INC-1000.md"
    before = record.read_text(encoding="utf-8")
    original = getattr(owner, saved_before)

    def saved_meanwhile(*args, **kwargs):
        record.write_text(before.replace("Severity:", "Severity: SEV-UNKNOWN\nOld-Severity:", 1), encoding="utf-8")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, saved_before, saved_meanwhile)
    check(capsys, *history)
    monkeypatch.setattr(owner, saved_before, original)
    assert runs(home) == [] and (begun[0] is not None) == (saved_before == "gather")
    record.write_text(before, encoding="utf-8")
    del judged[:]
    assert check(capsys, *history) == check(capsys, *history, "--no-cache")
    assert "judgement" in judged


def test_an_early_extraction_prints_what_a_later_one_does_and_only_a_cold_run_begins_one(
        home, history, capsys, judged, early):
    cold = check(capsys, *history)
    assert early[-1] is not None and "judgement" in judged and len(runs(home)) == 1
    shutil.rmtree(home / "cache" / "hotfix-policy" / "documents")
    document_cache_module._opened.cache_clear()
    del judged[:]
    assert check(capsys, *history) == cold  # replayed: it would have extracted for nothing
    assert early[-1] is None and judged == []
    assert check(capsys, *history, "--no-cache") == cold
    assert early[-1] is not None  # no cache: judged in full, extracted early


def test_a_documents_verdict_with_a_finding_about_another_file_is_a_miss(home, same_month, capsys, verdicts_on):
    later = "2026-12-08T12:00:00Z"
    check(capsys, *same_month, "--now", "2026-12-01T12:00:00Z")
    (entry,) = runs(home)
    stored = read_stored(entry)
    verdict = next(verdict for verdict in stored["verdicts"]["documents"] if verdict[1])
    verdict[1][0][3] = "/etc/shadow"
    write_stored(entry, stored)
    del verdicts_on[:]
    assert check(capsys, *same_month, "--now", later) == check(capsys, *same_month, "--now", later, "--no-cache")
    assert len(verdicts_on) == 2 * 30


def test_the_run_cache_keeps_at_most_its_number_of_runs(home, history, capsys):
    for index in range(MAX_RUN_CACHE_ENTRIES + 4):
        check(capsys, *history, "--now", f"2026-11-26T12:00:{index:02d}Z", "--branch", f"b{index}")
        assert len(runs(home)) <= MAX_RUN_CACHE_ENTRIES


@pytest.fixture
def hashed(monkeypatch) -> list:
    """The files the run cache's key reads to hash them; every file's times count as settled (a
    test's files are younger than the two seconds a hash waits for)."""
    monkeypatch.setattr(file_hashes, "_SETTLED_NS", -10 ** 12)
    read: list = []
    original = file_hashes.content_hash

    def counted(path, *args, **kwargs):
        read.append(str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(file_hashes, "content_hash", counted)  # what `FileHashes` reads (not the policies)
    return read


def test_an_unchanged_files_hash_is_remembered(home, history, capsys, hashed):
    check(capsys, *history)
    assert len(hashed) == 30
    del hashed[:]
    assert check(capsys, *history, "--now", "2026-11-27T12:00:00Z") == \
        check(capsys, *history, "--now", "2026-11-27T12:00:00Z", "--no-cache")
    assert hashed == []


def test_a_file_written_back_to_its_size_and_time_is_read_again(home, history, capsys, hashed):
    """What git's index also relies on: writing a file changes its change time, which no one can
    set back; the same size and modification time are not the same bytes."""
    record = home / "repo" / "incidents" / "INC-1000.md"
    before = record.stat()
    check(capsys, *history)
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("Severity: ", "Severity:X", 1), encoding="utf-8")  # INC001 now
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size and record.read_text(encoding="utf-8") != text
    del hashed[:]
    assert check(capsys, *history) == check(capsys, *history, "--no-cache")
    assert hashed == ["repo/incidents/INC-1000.md"]


@pytest.mark.parametrize("damage, read", [("not json", 30), ("a state of words", 30), ("a wrong hash", 0)])
def test_a_damaged_hash_entry_hashes_every_file(damage, read, home, history, capsys, hashed):
    """Damaged, the entry is a miss; a hash edited in it is trusted (the user's own entry), and
    the key it makes finds no run: the run is judged."""
    check(capsys, *history)
    (entry,) = (home / "cache" / "hotfix-policy" / "runs" / "hashes").glob("*.json")
    stored = json.loads(entry.read_bytes())
    first = next(iter(stored["files"]))
    if damage == "not json":
        entry.write_bytes(b"\x00 not json")
    elif damage == "a wrong hash":
        stored["files"][first][5] = "0" * 64
        entry.write_text(json.dumps(stored), encoding="utf-8")
    else:
        stored["files"][first][2] = "large"
        entry.write_text(json.dumps(stored), encoding="utf-8")
    del hashed[:]
    result = check(capsys, *history, "--now", "2026-11-27T12:00:00Z")
    assert len(hashed) == read
    assert result == check(capsys, *history, "--now", "2026-11-27T12:00:00Z", "--no-cache")

