"""The extraction cache gives back exactly the document extraction gives (types, places, findings,
views and all), re-extracts whatever changed (the bytes, the extractor, a schema, the inputs that
decide a kind), stays bounded, and is off when asked; `policy check` reports the same with a warm
cache as without one."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.cache_folder import sealed
from hotfix_policy.engine.documents import cache as cache_module
from hotfix_policy.engine.documents import loader, pipeline, read_document
from hotfix_policy.engine.documents.cache import document_cache
from hotfix_policy.engine.documents.stored import StoredSpans, data_hook, document_from_data, document_to_data, encoded
from tests.conftest import POLICY_COMMAND

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

RECORD = """# INC-41: Search down

🚨 PRODUCTION INCIDENT DECLARED
Severity: HIGH
Status: INVESTIGATING
Declared: 2026-11-20T09:10Z
Branch: hotfix/v2.4.1-search

## Updates

### 🔄 INCIDENT UPDATE - 2026-11-20T09:40Z
Status: FIXING
ETA: 2026-11-20T11:00Z
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch) -> Path:
    """A private cache home for the test; returns the documents folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE", raising=False)
    cache_module._opened.cache_clear()
    yield tmp_path / "cache" / "hotfix-policy" / "documents"
    cache_module._opened.cache_clear()


def _database(folder: Path) -> sqlite3.Connection:
    return closing(sqlite3.connect(folder / "documents.sqlite3"))


def entries(folder: Path) -> dict:
    """Key -> entry text of the extraction cache in the documents `folder`, without the checksum
    it ends with."""
    if not (folder / "documents.sqlite3").exists():
        return {}
    with _database(folder) as database:
        return {key: entry.rpartition(b"\n")[0].decode("utf-8", "surrogateescape")
                for key, entry in database.execute("SELECT key, entry FROM entries")}


def rewrite(folder: Path, key: str, entry) -> None:
    """Replace the stored entry under `key` with `entry` (text or bytes), as a tamperer would:
    with its checksum made anew (a CRC-32 is no secret)."""
    content = entry if isinstance(entry, bytes) else entry.encode("utf-8", "surrogateescape")
    with _database(folder) as database, database:
        database.execute("UPDATE entries SET entry = ? WHERE key = ?", (b"\n".join(sealed([content])), key))


def used(folder: Path) -> dict:
    """Key -> when the entry was last used (seconds since the epoch)."""
    with _database(folder) as database:
        return dict(database.execute("SELECT key, used FROM entries"))


def set_used(folder: Path, when: dict) -> None:
    with _database(folder) as database, database:
        database.executemany("UPDATE entries SET used = ? WHERE key = ?", [(at, key) for key, at in when.items()])


def same(a, b, where="document"):
    """Equal with the same types all the way down (True is not 1, a zone is not another zone); a
    source map read back from the cache (`StoredSpans`) stands for the extracted dict."""
    if isinstance(b, StoredSpans):
        b = dict(b.items())
    assert type(a) is type(b), (where, a, b)
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for position, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{position}]")
    elif isinstance(a, datetime):
        assert (a, a.tzinfo, a.fold, a.utcoffset()) == (b, b.tzinfo, b.fold, b.utcoffset()), where
    elif hasattr(type(a), "__dataclass_fields__"):
        for field in fields(a):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    else:
        assert a == b, (where, a, b)


def _extracted_without_cache(path: Path):
    return read_document(path)


def _hits(monkeypatch) -> list:
    """Every extraction from now on is recorded (a hit extracts nothing)."""
    extracted: list = []
    real = pipeline.extracted

    def counting(source, path, *rest):
        extracted.append(path)
        return real(source, path, *rest)

    monkeypatch.setattr(pipeline, "extracted", counting)
    return extracted


def test_a_document_read_back_imports_no_extractor(cache_home: Path, tmp_path: Path):
    """The extraction pipeline (secrets, Markdown, detection, scopes, extraction) loads only for a
    document the cache does not hold: a warm run judging again one record of a thousand read it
    back and paid 10 ms of imports for nothing."""
    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    script = ("import sys\nfrom hotfix_policy.engine.documents import read_document\n"
              "from hotfix_policy.engine.documents.cache import document_cache\n"
              "read_document(sys.argv[1], cache=document_cache())\n"
              "print(sorted(name.rsplit('.', 1)[1] for name in sys.modules if name.startswith("
              "'hotfix_policy.engine.documents.') and name.rsplit('.', 1)[1] in "
              "('pipeline', 'extract', 'scopes', 'detect', 'markdown', 'validate')))")
    imported = [subprocess.run([sys.executable, "-c", script, str(record)], env=dict(os.environ), check=True,
                               capture_output=True, text=True).stdout.strip() for _ in range(2)]
    assert imported == ["['detect', 'extract', 'markdown', 'pipeline', 'scopes', 'validate']", "[]"]


def test_a_second_read_is_a_hit_and_the_same_document(cache_home: Path, tmp_path: Path, monkeypatch):
    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    store = document_cache()
    first = read_document(record, cache=store)
    extracted = _hits(monkeypatch)
    second = read_document(record, cache=store)
    assert extracted == []
    same(first, second)
    same(_extracted_without_cache(record), second)
    assert second.text == RECORD and len(entries(cache_home)) == 1


def test_a_cached_source_map_answers_as_the_extracted_one(cache_home: Path, tmp_path: Path):
    """Spans are built when asked for (`StoredSpans`): every lookup, the order, a missing path,
    a trip to a worker process and back give what the extracted dict gives; records of one shape
    share their paths, read once."""
    records = []
    for number in (41, 42):
        record = tmp_path / f"INC-{number}.md"
        record.write_text(RECORD.replace("INC-41", f"INC-{number}"), encoding="utf-8")
        read_document(record, cache=document_cache())
        records.append(record)
    extracted = read_document(records[0])
    cached, other = (read_document(record, cache=document_cache()) for record in records)
    assert isinstance(cached.spans, StoredSpans) and isinstance(cached.anchors, StoredSpans)
    for mine, theirs in ((cached.spans, extracted.spans), (cached.anchors, extracted.anchors)):
        assert list(mine) == list(theirs) and len(mine) == len(theirs) and mine == theirs and theirs == mine
        for path, span in theirs.items():
            assert mine[path] == span and mine.get(path) == span and path in mine and type(mine[path]) is type(span)
    missing = ("updates", 99, "status")
    assert cached.spans.get(missing) is None and missing not in cached.spans
    with pytest.raises(KeyError):
        cached.spans[missing]
    for path in [*extracted.spans, *extracted.anchors, missing, ()]:
        assert cached.span_of(path) == extracted.span_of(path)
    same(extracted, pickle.loads(pickle.dumps(cached)))
    assert all(mine is theirs for mine, theirs in zip(cached.spans, other.spans))


def test_every_example_and_generated_document_reads_back_exactly(cache_home: Path, tmp_path: Path):
    paths = sorted((REPO / "examples").rglob("*.md"))
    paths += corpus.write_corpus(tmp_path / "corpus", 40, seed=7)
    paths += corpus.write_history(tmp_path / "history", 20, seed=8)
    store = document_cache()
    for path in paths:
        read_document(path, cache=store)  # written
    for path in paths:
        same(_extracted_without_cache(path), read_document(path, cache=store))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), zone=st.sampled_from([None, "Europe/Berlin", "+05:30", "America/New_York"]))
def test_generated_records_in_any_zone_round_trip_exactly(seed: int, zone):
    rng = random.Random(seed)
    text = corpus.incident(rng, 1000 + seed % 9000, updates=(1, 9), notes=(0, 3))
    if zone is not None:
        text = f"---\ntimezone: {zone}\n---\n" + text.replace("Z\n", "\n")  # times without a zone: the record's
    document = loader.parse_document(text.encode("utf-8"), path="incidents/INC-1.md")
    stored = json.loads(encoded(document_to_data(document)), object_hook=data_hook)
    same(document, document_from_data(stored, document.text))


def test_values_keep_their_types_and_zones():
    from zoneinfo import ZoneInfo

    from hotfix_policy.engine.documents.model import Document

    values = {"at": datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1),
              "offset": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
              "utc": datetime(2026, 1, 2, tzinfo=timezone.utc), "took": timedelta(days=-1, seconds=5, microseconds=7),
              "flags": [True, 1, 1.0, None, "1"], "nested": {"x": [{"y": 2.5e300}]}}
    document = Document("incident", "INC-1", "a.md", "", data=values)
    stored = json.loads(encoded(document_to_data(document)), object_hook=data_hook)
    same(document, document_from_data(stored, ""))


@pytest.mark.parametrize("number", [-1, 2 ** 32, 1.5, "7"])
def test_a_span_whose_numbers_an_entry_cannot_hold_is_not_stored(number, tmp_path: Path):
    from hotfix_policy.engine.documents.cache import entry_of
    from hotfix_policy.engine.span import Span

    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    document = read_document(record)
    assert entry_of("key", "hash", document) is not None
    path = next(iter(document.spans))
    document.spans[path] = Span(number, *document.spans[path][1:])
    assert entry_of("key", "hash", document) is None


class _Text(str):
    """A text of another type than str: read back it would be a str."""


@pytest.mark.parametrize("value", [
    {"\u0000t": ["2026-01-02T03:04:05", "UTC", 0]},  # a map of its own keyed as a time is marked
    {"\u0000d": [1, 2, 3]},
    "a text with a NUL \u0000 in it",
    {1: "a key that is not text"},
    _Text("a subclass"),
    datetime(2026, 1, 2).date(),
    2 ** 64,
    "a lone surrogate \udc80",
    {"a set": {1, 2}},
])
def test_a_value_an_entry_cannot_hold_exactly_is_not_stored(value):
    from hotfix_policy.engine.documents.cache import entry_of
    from hotfix_policy.engine.documents.model import Document

    fine = Document("incident", "INC-1", "a.md", "",
                    data={"summary": "fine", "at": datetime(2026, 1, 2, tzinfo=timezone.utc)})
    assert entry_of("key", "hash", fine) is not None
    assert entry_of("key", "hash", Document("incident", "INC-1", "a.md", "", data={"value": value})) is None


def test_no_schema_has_a_number_field_whose_value_the_cache_could_not_hold():
    """orjson writes a float that is not finite as null (`stored.encoded`): the cache holds
    extracted documents exactly only while extraction makes no float."""
    def numbers(schema, path=()):
        if isinstance(schema, dict):
            if schema.get("type") == "number" or (isinstance(schema.get("type"), list) and "number" in schema["type"]):
                yield "/".join(path)
            for key, value in schema.items():
                yield from numbers(value, path + (str(key),))
        elif isinstance(schema, list):
            for index, value in enumerate(schema):
                yield from numbers(value, path + (str(index),))

    found = [f"{schema.name}: {where}" for schema in sorted((REPO / "schemas").glob("*.schema.json"))
             for where in numbers(json.loads(schema.read_text(encoding="utf-8")))]
    assert found == []


def test_a_changed_file_is_extracted_again(cache_home: Path, tmp_path: Path, monkeypatch):
    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    store = document_cache()
    read_document(record, cache=store)
    record.write_text(RECORD.replace("HIGH", "CRITICAL"), encoding="utf-8")
    extracted = _hits(monkeypatch)
    assert read_document(record, cache=store).data["severity"] == "CRITICAL"
    assert extracted == [str(record)]


@pytest.mark.parametrize("change", ["version", "schema", "kind", "globs", "path"])
def test_a_new_extractor_schema_or_kind_input_is_a_miss(change: str, cache_home: Path, tmp_path: Path,
                                                        monkeypatch):
    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    store = document_cache()
    read_document(record, cache=store)
    arguments: dict = {}
    cache_module.extractor_digest.cache_clear()
    if change == "version":
        monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    elif change == "schema":
        schemas = tmp_path / "resources" / "schemas"
        schemas.mkdir(parents=True)
        for schema in (REPO / "schemas").glob("*.json"):
            (schemas / schema.name).write_bytes(schema.read_bytes())
        incident = schemas / "incident.schema.json"
        incident.write_text(incident.read_text(encoding="utf-8").replace('"title"', '"title" ', 1), encoding="utf-8")
        monkeypatch.setattr(cache_module, "resource_dir", lambda name: tmp_path / "resources" / name)
    elif change == "kind":
        arguments["kind"] = "status_update"
    elif change == "globs":
        arguments["config_globs"] = {"post_incident_review": [str(record)]}
    else:
        arguments["display_path"] = "elsewhere/INC-41.md"
    extracted = _hits(monkeypatch)
    document = read_document(record, cache=store, **arguments)
    cache_module.extractor_digest.cache_clear()
    assert len(extracted) == 1
    if change in ("kind", "globs"):
        assert document.kind == {"kind": "status_update", "globs": "post_incident_review"}[change]


def test_the_same_bytes_under_two_names_are_two_entries(cache_home: Path, tmp_path: Path):
    for name in ("INC-41.md", "INC-42.md"):
        (tmp_path / name).write_text(RECORD, encoding="utf-8")
        assert read_document(tmp_path / name, cache=document_cache()).path == str(tmp_path / name)
    assert len(entries(cache_home)) == 2


def test_turned_off_nothing_is_read_or_written(cache_home: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HOTFIX_POLICY_NO_CACHE", "1")
    assert document_cache() is None
    folder = tmp_path / "repo"
    (folder / "incidents").mkdir(parents=True)
    (folder / "incidents" / "INC-41.md").write_text(RECORD, encoding="utf-8")
    result = subprocess.run([POLICY_COMMAND, "check", ".", "--no-cache", "--fail-on", "never"], cwd=folder,
                            capture_output=True, text=True, timeout=120,
                            env={**_environment(tmp_path), "HOTFIX_POLICY_NO_CACHE": ""})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "cache" / "hotfix-policy").exists()


def test_the_cache_is_bounded_least_recently_used_first(cache_home: Path, tmp_path: Path, monkeypatch):
    store = document_cache()
    for number in range(8):
        record = tmp_path / f"INC-{number}.md"
        record.write_text(RECORD.replace("INC-41", f"INC-{number}"), encoding="utf-8")
        read_document(record, cache=store)
    keys = list(entries(cache_home))
    set_used(cache_home, {key: 1_000_000 + age for age, key in enumerate(keys)})
    monkeypatch.setattr(cache_module, "MAX_DOCUMENT_CACHE_ENTRIES", 4)
    cache_module._opened.cache_clear()
    read_document(tmp_path / "INC-7.md", cache=document_cache())  # opening prunes to 3 of the 4 allowed
    assert sorted(entries(cache_home)) == sorted(keys[-3:])


def test_a_hit_refreshes_an_entry_used_more_than_an_hour_ago(cache_home: Path, tmp_path: Path):
    store = document_cache()
    for number in (1, 2):
        (tmp_path / f"INC-{number}.md").write_text(RECORD.replace("INC-41", f"INC-{number}"), encoding="utf-8")
        read_document(tmp_path / f"INC-{number}.md", cache=store)
    recently = int(time.time()) - 60
    set_used(cache_home, {key: at for key, at in zip(entries(cache_home), (1_000_000, recently))})
    for number in (1, 2):
        read_document(tmp_path / f"INC-{number}.md", cache=store)
    store.flush()
    first, second = used(cache_home).values()
    assert first > recently and second == recently  # a recent use is not written again


def test_an_entry_over_the_size_limit_is_not_written(cache_home: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_DOCUMENT_CACHE_ENTRY_BYTES", 200)
    record = tmp_path / "INC-41.md"
    record.write_text(RECORD, encoding="utf-8")
    same(_extracted_without_cache(record), read_document(record, cache=document_cache()))
    assert entries(cache_home) == {}


def _environment(tmp_path: Path) -> dict:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_policy_check_reports_the_same_cold_and_warm(tmp_path: Path):
    folder = tmp_path / "repo"
    corpus.write_corpus(folder, 30, seed=11)
    (folder / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    environment = _environment(tmp_path)

    def check(**extra):
        done = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json"], cwd=folder, capture_output=True,
                              text=True, timeout=120, env={**environment, **extra})
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    uncached = check(HOTFIX_POLICY_NO_CACHE="1")
    cold = check()
    cached = tmp_path / "cache" / "hotfix-policy" / "documents"
    stored = entries(cached)
    assert len(stored) == 30
    set_used(cached, dict.fromkeys(stored, 1_000_000))
    shutil.rmtree(tmp_path / "cache" / "hotfix-policy" / "runs")  # else the run cache replays, reading no document
    warm = check()
    assert uncached == cold == warm
    assert entries(cached) == stored  # read, not written again
    assert all(at > 1_000_000 for at in used(cached).values())  # a hit refreshes its time
