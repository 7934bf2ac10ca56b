"""Collecting a run's documents: folders, explicit files, unknown Markdown, parallel extraction."""

from __future__ import annotations

from hotfix_policy.engine.policy import inputs
from hotfix_policy.engine.policy.config import Config
from hotfix_policy.engine.policy.inputs import RunInputs, collect_documents

RECORD = "# INC-{n}: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nDeclared: 2026-11-20T09:{m:02d}Z\n"


def test_parallel_extraction_gives_the_same_documents_in_order(tmp_path, monkeypatch):
    for n in range(60):
        (tmp_path / f"INC-{n:03d}.md").write_text(RECORD.format(n=n, m=n % 60), encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")
    serial = collect_documents(RunInputs(paths=[str(tmp_path)]), Config(directory=tmp_path), workers=1)
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    parallel = collect_documents(RunInputs(paths=[str(tmp_path)]), Config(directory=tmp_path), workers=2)
    assert [d.id for d in parallel] == [d.id for d in serial] == [f"INC-{n}" for n in range(60)]
    assert [d.data for d in parallel] == [d.data for d in serial]


def _extracted(tmp_path, monkeypatch, workers: int) -> list:
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    return collect_documents(RunInputs(paths=[str(tmp_path / "records")]), Config(directory=tmp_path), workers=workers)


def _records(tmp_path) -> None:
    (tmp_path / "records").mkdir()
    for n in range(40):
        (tmp_path / "records" / f"INC-{n:03d}.md").write_text(RECORD.format(n=n, m=n % 60), encoding="utf-8")


def _same(a, b) -> bool:
    def seen(d) -> tuple:
        return d.id, d.data, dict(d.spans), dict(d.anchors), d.findings
    return seen(a) == seen(b)


def _uncached_then_empty_cache(tmp_path, monkeypatch) -> list:
    """The records extracted without a cache; the cache then turned on, empty."""
    _records(tmp_path)
    monkeypatch.setenv("HOTFIX_POLICY_NO_CACHE", "1")
    uncached = _extracted(tmp_path, monkeypatch, workers=1)
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return uncached


def test_workers_hand_back_entries_the_run_stores_and_the_next_run_reads(tmp_path, monkeypatch):
    from hotfix_policy.engine.documents import pipeline
    from hotfix_policy.engine.documents.stored import StoredSpans
    from tests.documents.test_extraction_cache import entries

    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)
    parallel = _extracted(tmp_path, monkeypatch, workers=2)
    assert len(parallel) == len(uncached) == 40
    assert all(_same(a, b) for a, b in zip(parallel, uncached))
    assert all(isinstance(d.spans, StoredSpans) for d in parallel)  # decoded from their entries, not unpickled
    assert len(entries(tmp_path / "cache" / "hotfix-policy" / "documents")) == 40
    monkeypatch.setattr(pipeline, "extracted", None)  # the next run extracts nothing
    again = _extracted(tmp_path, monkeypatch, workers=2)
    assert all(_same(a, b) for a, b in zip(again, uncached))


def test_workers_hand_back_entries_with_the_cache_off_too(tmp_path, monkeypatch):
    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)
    monkeypatch.setenv("HOTFIX_POLICY_NO_CACHE", "1")
    parallel = _extracted(tmp_path, monkeypatch, workers=2)
    assert len(parallel) == 40 and all(_same(a, b) for a, b in zip(parallel, uncached))
    assert not (tmp_path / "cache").exists()


def test_an_entry_that_does_not_decode_is_extracted_again(tmp_path, monkeypatch):
    from hotfix_policy.engine.documents import cache

    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(cache, "document_of", lambda *args: None)
    parallel = _extracted(tmp_path, monkeypatch, workers=2)
    assert len(parallel) == 40 and all(_same(a, b) for a, b in zip(parallel, uncached))


def test_unknown_markdown_is_skipped_under_folders_but_reported_when_named(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# About this folder\n", encoding="utf-8")
    assert collect_documents(RunInputs(paths=[str(tmp_path)]), Config(directory=tmp_path)) == []
    (named,) = collect_documents(RunInputs(paths=[str(readme)]), Config(directory=tmp_path))
    assert [f.rule for f in named.findings] == ["DOC001"]


def test_forked_evaluation_finds_what_serial_evaluation_finds(tmp_path, monkeypatch):
    from hotfix_policy.engine.policy import evaluate
    from hotfix_policy.engine.policy.check import judge
    from hotfix_policy.engine.policy.config import default_data
    from hotfix_policy.engine.policy.loader import load_policies
    from hotfix_policy.engine.resources import resource_dir
    from datetime import datetime, timezone

    for n in range(80):
        (tmp_path / f"INC-{n:03d}.md").write_text(RECORD.format(n=n, m=n % 60), encoding="utf-8")
    documents = collect_documents(RunInputs(paths=[str(tmp_path)]), Config(directory=tmp_path), workers=1)
    pack = load_policies([resource_dir("policies") / "hotfix"], default_data())
    now = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    ctx = {"now": now, "branch": "", "base": "", "author": "", "labels": []}
    config = Config(data=pack.data)
    serial = judge(documents, ctx, now, config, pack, workers=1)
    monkeypatch.setattr(evaluate, "PARALLEL_MIN_DOCUMENTS", 10)
    forked = judge(documents, ctx, now, config, pack, workers=2)
    assert len(serial) > 80
    assert forked == serial


def test_a_run_with_an_empty_cache_looks_up_none_of_its_files(tmp_path, monkeypatch):
    from hotfix_policy.engine.documents import cache, loader

    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)
    _extracted(tmp_path, monkeypatch, workers=2)  # the database is made
    (tmp_path / "cache" / "hotfix-policy" / "documents" / "documents.sqlite3").unlink()
    cache._opened.cache_clear()
    monkeypatch.setattr(loader, "cached_document", None)  # a look-up would fail the run
    parallel = _extracted(tmp_path, monkeypatch, workers=2)
    assert len(parallel) == 40 and all(_same(a, b) for a, b in zip(parallel, uncached))


def _early(tmp_path, workers: int = 2):
    from hotfix_policy.engine.policy.extraction_pool import EarlyExtraction

    return EarlyExtraction(RunInputs(paths=[str(tmp_path / "records")]), Config(directory=tmp_path), True, workers)


def test_a_cold_run_extracts_from_the_moment_its_files_are_known(tmp_path, monkeypatch):
    """With an empty cache the workers start before the policies load; the run takes their
    documents, the same as a run that began extracting later, and every file's state was taken
    before any worker could read it."""
    from hotfix_policy.engine.policy.inputs import file_documents

    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(inputs, "extract_files", None)  # this process extracts nothing: the workers forked before
    with _early(tmp_path) as early:
        assert early.extraction is not None and len(early.states) == 40
        documents = file_documents(early.files, RunInputs(), Config(directory=tmp_path), extraction=early.extraction)
        assert not early.extraction.takes(early.files)  # taken once: a second reading extracts again
    assert len(documents) == 40 and all(_same(a, b) for a, b in zip(documents, uncached))


def test_extraction_begins_early_only_without_a_cache_database_and_with_many_files(tmp_path, monkeypatch):
    _uncached_then_empty_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 41)
    with _early(tmp_path) as early:
        assert early.extraction is None and len(early.files) == 40
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    with _early(tmp_path, workers=1) as early:
        assert early.extraction is None
    _extracted(tmp_path, monkeypatch, workers=2)  # the cache's database is made
    with _early(tmp_path) as early:
        assert early.extraction is None and early.states == {}


def test_early_extraction_that_is_not_taken_stops(tmp_path, monkeypatch):
    """A run that stops before it takes its documents (a mistake in its event file) closes the
    extraction it began: the chunks not begun are dropped and no worker outlives it."""
    import multiprocessing

    _uncached_then_empty_cache(tmp_path, monkeypatch)
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    with _early(tmp_path) as early:
        assert early.extraction is not None
    assert multiprocessing.active_children() == []


def test_without_a_process_to_spare_a_run_extracts_in_its_own(tmp_path, monkeypatch):
    """A container's process limit: no extraction begins early, and the run's own pool gives way
    to extracting here."""
    import os

    uncached = _uncached_then_empty_cache(tmp_path, monkeypatch)

    def no_process():
        raise BlockingIOError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_process)
    monkeypatch.setattr(inputs, "PARALLEL_MIN_FILES", 10)
    with _early(tmp_path) as early:
        assert early.extraction is None and early.states == {}
    extracted = _extracted(tmp_path, monkeypatch, workers=2)
    assert len(extracted) == 40 and all(_same(a, b) for a, b in zip(extracted, uncached))
