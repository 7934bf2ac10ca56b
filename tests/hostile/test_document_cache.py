"""The extraction cache is data, not code, only this user's own, and never holds a secret: a
pickle planted where an entry would be never runs; a corrupted entry, one made for other bytes,
one copied from another document, one in a folder another user owns or others can write is a
miss (the document is extracted as if there were no cache); no entry repeats a credential the
scanner found, in any shape it is pasted."""

from __future__ import annotations

import base64
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import cache as cache_module
from hotfix_policy.engine.documents import read_document
from hotfix_policy.engine.documents.cache import document_cache
from hotfix_policy.engine.documents.model import Document, Secret
from hotfix_policy.engine.span import LineIndex
from tests.documents.test_extraction_cache import RECORD, cache_home, entries, rewrite, same  # noqa: F401 (a fixture)
from tests.hostile.fake_secrets import fake_secrets, leaked

NOBODY = 65534


class _Planted:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _record(tmp_path: Path, text: str = RECORD, name: str = "INC-41.md") -> Path:
    record = tmp_path / name
    record.write_text(text, encoding="utf-8")
    return record


def _entry_of(record: Path, folder: Path) -> str:
    """The key of the entry a first cached read of `record` writes."""
    before = set(entries(folder))
    read_document(record, cache=document_cache())
    (key,) = set(entries(folder)) - before
    return key


def test_a_planted_pickle_never_runs(cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    marker = tmp_path / "ran"
    rewrite(cache_home, key, pickle.dumps(_Planted(marker)))
    same(read_document(record), read_document(record, cache=document_cache()))
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncated", "not JSON", "a list", "a span of words", "a path of floats",
                                    "a span's numbers not base64", "a span's numbers cut short",
                                    "a span's numbers one row short",
                                    "a finding of an unknown severity", "a time that is no time", "an unknown zone",
                                    "a zone that is a folder", "a duration past timedelta's",
                                    "a time without a zone", "a time past what Python holds", "another format"])
def test_a_damaged_entry_is_a_miss(damage: str, cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    text = entries(cache_home)[key]
    stored = json.loads(text)
    if damage == "truncated":
        text = text[:len(text) // 2]
    elif damage == "not JSON":
        text = "\x00\xff garbage"
    elif damage == "a list":
        text = "[]"
    else:
        document = stored["document"]
        if damage == "a span of words":
            document[6] = ["a", "b", "c", "d", "e", "f"]
        elif damage == "a path of floats":
            document[4][0] = json.dumps([[1.5], *json.loads(document[4][0])[1:]])
        elif damage == "a span's numbers not base64":
            document[4][1] = document[4][1][:-2] + "-1"
        elif damage == "a span's numbers cut short":  # 3 bytes: no whole number
            document[4][1] = base64.b64encode(base64.b64decode(document[4][1])[:-3]).decode()
        elif damage == "a span's numbers one row short":  # whole numbers, a path without its span
            document[4][1] = base64.b64encode(base64.b64decode(document[4][1])[:-24]).decode()
        elif damage == "a finding of an unknown severity":
            document[12] = [["DOC002", "catastrophic", "a message", "INC-41.md", None, "", "incident", "INC-41", False]]
        elif damage == "a time that is no time":
            document[3]["declared"] = {"\u0000t": ["yesterday", "UTC", 0]}
        elif damage == "an unknown zone":
            document[3]["declared"] = {"\u0000t": ["2026-11-20T09:10:00", "../../etc/passwd", 0]}
        elif damage == "a zone that is a folder":
            document[3]["declared"] = {"\u0000t": ["2026-11-20T09:10:00", "America", 0]}
        elif damage == "a duration past timedelta's":
            document[3]["declared"] = {"\u0000d": [10 ** 10, 0, 0]}
        elif damage == "a time without a zone":  # the rules would compare it with aware times: a TypeError
            document[3]["declared"] = {"\u0000t": ["2026-11-20T09:10:00", None, 0]}
        elif damage == "a time past what Python holds":  # year 10000 in UTC
            document[3]["declared"] = {"\u0000t": ["9999-12-31T23:59:00", [-18000], 0]}
        else:
            stored["format"] = 0
        text = json.dumps(stored)
    rewrite(cache_home, key, text)
    same(read_document(record), read_document(record, cache=document_cache()))


@pytest.mark.parametrize("field, value", [("updates", 5), ("messages", "many")])
def test_a_planted_value_of_another_type_fails_closed(field, value, cache_home: Path, tmp_path: Path, capsys):
    """A well-formed entry whose values are not of the schema's types (which only someone who can
    write this user's cache can plant) makes the rules that read them EVAL001: never a traceback,
    never a pass."""
    from hotfix_policy.cli.main import main

    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    stored = json.loads(entries(cache_home)[key])
    stored["document"][3][field] = value
    rewrite(cache_home, key, json.dumps(stored))
    code = main(["check", str(record), "--now", "2026-11-20T16:00Z", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1 and any(f["rule"] == "EVAL001" for f in findings), findings


def test_a_value_edited_in_an_entry_is_a_miss_and_the_entry_is_stored_anew(cache_home: Path, tmp_path: Path):
    """Damage that still parses (a value edited in place, the checksum the entry ends with left as
    it was) is never read back as the document."""
    import sqlite3
    from contextlib import closing

    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    with closing(sqlite3.connect(cache_home / "documents.sqlite3")) as database, database:
        (entry,) = database.execute("SELECT entry FROM entries WHERE key = ?", (key,)).fetchone()
        assert entry.count(b'"HIGH"') == 1
        database.execute("UPDATE entries SET entry = ? WHERE key = ?", (entry.replace(b'"HIGH"', b'"LOW"'), key))
    assert read_document(record, cache=document_cache()).data["severity"] == "HIGH"
    assert '"HIGH"' in entries(cache_home)[key]  # replaced by the document extracted


def test_an_entry_for_other_bytes_or_copied_from_another_document_is_a_miss(cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    stored = json.loads(entries(cache_home)[key])
    stored["document"][3]["severity"] = "LOW"
    stored["content"] = "0" * 64  # claims other bytes than the file's
    rewrite(cache_home, key, json.dumps(stored))
    assert read_document(record, cache=document_cache()).data["severity"] == "HIGH"
    other = _record(tmp_path, RECORD.replace("HIGH", "LOW"), "INC-42.md")
    other_key = _entry_of(other, cache_home)
    rewrite(cache_home, key, entries(cache_home)[other_key])  # the other document's entry, under this one's key
    assert read_document(record, cache=document_cache()).data["severity"] == "HIGH"


@pytest.mark.parametrize("foreign", ["folder owned by another user", "folder writable by its group",
                                     "folder above writable by others", "database owned by another user",
                                     "database writable by its group", "journal writable by its group",
                                     "database a link to another file"])
def test_what_is_not_this_users_alone_is_never_read(foreign: str, cache_home: Path, tmp_path: Path):
    if os.geteuid() != 0 and "owned" in foreign:
        pytest.skip("giving a file to another user needs root")
    record = _record(tmp_path)
    key = _entry_of(record, cache_home)
    stored = json.loads(entries(cache_home)[key])
    stored["document"][3]["severity"] = "LOW"  # a planted verdict
    rewrite(cache_home, key, json.dumps(stored))
    assert read_document(record, cache=document_cache()).data["severity"] == "LOW"  # the planted entry is read...
    cache_module._opened.cache_clear()
    database = cache_home / "documents.sqlite3"
    if foreign == "folder owned by another user":
        os.chown(cache_home, NOBODY, NOBODY)
    elif foreign == "folder writable by its group":
        os.chmod(cache_home, 0o770)
    elif foreign == "folder above writable by others":
        os.chmod(cache_home.parent, 0o707)
    elif foreign == "database owned by another user":
        os.chown(database, NOBODY, NOBODY)
    elif foreign == "database writable by its group":
        os.chmod(database, 0o660)
    elif foreign == "journal writable by its group":
        (cache_home / "documents.sqlite3-wal").touch(mode=0o660)
        os.chmod(cache_home / "documents.sqlite3-wal", 0o660)
    else:
        shutil.move(database, tmp_path / "elsewhere.sqlite3")
        database.symlink_to(tmp_path / "elsewhere.sqlite3")
    store = document_cache()
    assert (store is None) == foreign.startswith("folder")
    assert read_document(record, cache=store).data["severity"] == "HIGH"  # ...only while it is this user's alone


def test_no_entry_holds_a_secret(cache_home: Path, tmp_path: Path):
    made = fake_secrets()
    lines = "\n".join(f"Notes: {line}" for line, _ in made.values())
    front = "\n".join(f"note{number}: {line}" for number, (line, _) in enumerate(made.values()))
    texts = [RECORD + "\n" + lines + "\n", f"---\n{front}\n---\n" + RECORD,
             RECORD.replace("Severity: HIGH", "Severity: " + made["github_token"][1])]
    for number, text in enumerate(texts):
        record = _record(tmp_path, text, f"INC-{number}.md")
        key = _entry_of(record, cache_home)
        assert leaked(entries(cache_home)[key], [secret for _, secret in made.values()]) == []
        uncached, cached = read_document(record), read_document(record, cache=document_cache())
        assert cached.secrets
        same(uncached, cached)


def test_an_entry_that_would_repeat_a_secret_is_not_written(cache_home: Path):
    token = fake_secrets()["github_token"][1]
    text = f"Token: {token}\n"
    document = Document("incident", "INC-1", "a.md", text, data={"note": token},
                        secrets=[Secret("github_token", LineIndex(text).span(7, 7 + len(token)))])
    assert document_cache().put("0" * 64, "1" * 64, document) is False
    assert entries(cache_home) == {}


@pytest.mark.parametrize("damage", ["not a database", "cut short"])
def test_a_database_sqlite_cannot_read_is_made_again(damage: str, cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    _entry_of(record, cache_home)
    cache_module._opened.cache_clear()
    database = cache_home / "documents.sqlite3"
    if damage == "not a database":
        database.write_bytes(b"\x00\xff not SQLite" * 500)
    else:
        os.truncate(database, 1000)
    same(read_document(record), read_document(record, cache=document_cache()))
    assert len(entries(cache_home)) == 1  # made again, and the document stored anew


def test_entries_of_the_format_before_the_database_are_deleted(cache_home: Path, tmp_path: Path):
    cache_home.mkdir(parents=True)
    old = cache_home / ("0" * 64 + ".json")
    old.write_text("{}", encoding="utf-8")
    _entry_of(_record(tmp_path), cache_home)
    assert not old.exists()


def test_a_database_another_run_holds_is_waited_for_then_gone_without(cache_home: Path, tmp_path: Path,
                                                                      monkeypatch):
    import sqlite3

    record = _record(tmp_path)
    _entry_of(record, cache_home)
    monkeypatch.setattr(cache_module, "_LOCK_WAIT_SECONDS", 1.0)
    cache_module._opened.cache_clear()
    other = sqlite3.connect(cache_home / "documents.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another run in the middle of writing
        changed = _record(tmp_path, RECORD.replace("HIGH", "LOW"))
        started = time.monotonic()
        for number in range(4):
            record = _record(tmp_path, RECORD.replace("HIGH", "LOW").replace("INC-41", f"INC-{number}"),
                             f"INC-{number}.md")
            assert read_document(record, cache=document_cache()).data["severity"] == "LOW"
        assert time.monotonic() - started < 3.0  # it waited once, not once a document
        assert read_document(changed, cache=document_cache()).data["severity"] == "LOW"
        assert len(entries(cache_home)) == 1  # not stored: it waited, then went on
    finally:
        other.close()
    cache_module._opened.cache_clear()  # the next run writes again
    assert read_document(changed, cache=document_cache()).data["severity"] == "LOW"
    assert len(entries(cache_home)) == 2
