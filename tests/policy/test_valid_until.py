"""`Evaluator.valid_until`: the built-in pack's findings on a workspace stay the same at every
later time before it, whichever moment the run is at, in one process or in forked workers."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hotfix_policy.engine.policy import evaluate
from hotfix_policy.engine.policy.check import configuration, load_run_policies
from hotfix_policy.engine.policy.evaluate import Evaluator
from hotfix_policy.engine.policy.inputs import RunInputs, build_context, collect_documents
from tests.conftest import REPO, benchmark_corpus

MOMENTS = ["2026-11-20T14:50:00Z", "2026-11-22T12:00:00Z", "2026-11-26T12:00:00Z", "2026-12-01T09:00:00Z",
           "2028-01-01T00:00:00Z"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The bundled examples (open and closed incidents, reviews, PR bodies) and 40 generated
    records of the last two years."""
    folder = tmp_path_factory.mktemp("workspace")
    shutil.copytree(REPO / "examples", folder / "examples")
    benchmark_corpus().write_history(folder / "history", 40, seed=15)
    return folder


def findings_at(workspace: Path, moment: datetime, workers: int = 1) -> tuple:
    inputs = RunInputs(paths=[str(workspace)], now=moment.isoformat())
    config = configuration(inputs)
    evaluator = Evaluator(load_run_policies(config))
    documents = collect_documents(inputs, config, workers=1)
    findings = evaluator.run(documents, build_context(inputs, documents, moment), workers=workers)
    return sorted((f.rule, f.path, f.message, str(f.span)) for f in findings), evaluator.valid_until


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


@pytest.mark.parametrize("moment", MOMENTS)
def test_findings_hold_until_valid_until(workspace, moment):
    now = parse(moment)
    findings, until = findings_at(workspace, now)
    assert findings, "the workspace has findings to hold"
    assert until is None or until >= now
    if until == now:
        return  # a finding spells the time out: nothing to replay
    end = until if until is not None and until < now + timedelta(days=3650) else now + timedelta(days=3650)
    for later in (now + timedelta(microseconds=1), now + (end - now) / 3, end - timedelta(microseconds=1)):
        assert findings_at(workspace, later)[0] == findings, f"findings at {later} differ from those at {now}"


def test_a_deadline_ahead_bounds_the_findings(workspace):
    """Before the history's last review deadlines, the findings change when one passes: the run
    says so, and at that moment they do differ."""
    now = parse("2026-11-22T12:00:00Z")
    findings, until = findings_at(workspace, now)
    assert until is not None and now < until < now + timedelta(days=30)
    assert findings_at(workspace, until + timedelta(minutes=1))[0] != findings


def test_forked_workers_report_what_they_read_of_the_clock(workspace, monkeypatch):
    now = parse("2026-11-22T12:00:00Z")
    serial = findings_at(workspace, now)
    monkeypatch.setattr(evaluate, "PARALLEL_MIN_DOCUMENTS", 5)
    assert findings_at(workspace, now, workers=2) == serial
