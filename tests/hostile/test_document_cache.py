"""The extraction cache is data, not code, only this user's own, and never holds a secret: a
pickle planted where an entry would be never runs; a corrupted entry, one made for other bytes,
one copied from another document, one in a folder another user owns or others can write is a
miss (the document is extracted as if there were no cache); no entry repeats a credential the
scanner found, in any shape it is pasted."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import cache as cache_module
from hotfix_policy.engine.documents import read_document
from hotfix_policy.engine.documents.cache import document_cache
from hotfix_policy.engine.documents.model import Document, Secret
from hotfix_policy.engine.span import LineIndex
from tests.documents.test_extraction_cache import RECORD, cache_home, same  # noqa: F401 (a fixture)
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


def _entry_of(record: Path, folder: Path) -> Path:
    """The entry a first cached read of `record` writes."""
    before = set(folder.glob("*.json")) if folder.exists() else set()
    read_document(record, cache=document_cache())
    (entry,) = set(folder.glob("*.json")) - before
    return entry


def test_a_planted_pickle_never_runs(cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    entry = _entry_of(record, cache_home)
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    same(read_document(record), read_document(record, cache=document_cache()))
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncated", "not JSON", "a list", "a span of words", "a path of floats",
                                    "a span's numbers not digits", "a span's numbers cut short",
                                    "a finding of an unknown severity", "a time that is no time", "an unknown zone",
                                    "another format"])
def test_a_damaged_entry_is_a_miss(damage: str, cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    entry = _entry_of(record, cache_home)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    text = entry.read_text(encoding="utf-8")
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
        elif damage == "a span's numbers not digits":
            document[4][1] = document[4][1][:-2] + "-1"
        elif damage == "a span's numbers cut short":
            document[4][1] = document[4][1][:-1]
        elif damage == "a finding of an unknown severity":
            document[12] = [["DOC002", "catastrophic", "a message", "INC-41.md", None, "", "incident", "INC-41", False]]
        elif damage == "a time that is no time":
            document[3]["declared"] = {"\u0000t": ["yesterday", "UTC", 0]}
        elif damage == "an unknown zone":
            document[3]["declared"] = {"\u0000t": ["2026-11-20T09:10:00", "../../etc/passwd", 0]}
        else:
            stored["format"] = 0
        text = json.dumps(stored)
    entry.write_text(text, encoding="utf-8", errors="surrogateescape")
    same(read_document(record), read_document(record, cache=document_cache()))


def test_an_entry_for_other_bytes_or_copied_from_another_document_is_a_miss(cache_home: Path, tmp_path: Path):
    record = _record(tmp_path)
    entry = _entry_of(record, cache_home)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["document"][3]["severity"] = "LOW"
    stored["content"] = "0" * 64  # claims other bytes than the file's
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert read_document(record, cache=document_cache()).data["severity"] == "HIGH"
    other = _record(tmp_path, RECORD.replace("HIGH", "LOW"), "INC-42.md")
    other_entry = _entry_of(other, cache_home)
    entry.write_bytes(other_entry.read_bytes())  # the other document's entry, under this one's key
    assert read_document(record, cache=document_cache()).data["severity"] == "HIGH"


@pytest.mark.parametrize("foreign", ["folder owned by another user", "folder writable by its group",
                                     "folder above writable by others", "entry owned by another user",
                                     "entry writable by its group"])
def test_what_is_not_this_users_alone_is_never_read(foreign: str, cache_home: Path, tmp_path: Path):
    if os.geteuid() != 0 and "owned" in foreign:
        pytest.skip("giving a file to another user needs root")
    record = _record(tmp_path)
    entry = _entry_of(record, cache_home)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["document"][3]["severity"] = "LOW"  # a planted verdict
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert read_document(record, cache=document_cache()).data["severity"] == "LOW"  # the planted entry is read...
    cache_module._opened.cache_clear()
    if foreign == "folder owned by another user":
        os.chown(cache_home, NOBODY, NOBODY)
    elif foreign == "folder writable by its group":
        os.chmod(cache_home, 0o770)
    elif foreign == "folder above writable by others":
        os.chmod(cache_home.parent, 0o707)
    elif foreign == "entry owned by another user":
        os.chown(entry, NOBODY, NOBODY)
    else:
        os.chmod(entry, 0o660)
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
        entry = _entry_of(record, cache_home)
        assert leaked(entry.read_text(encoding="utf-8"), [secret for _, secret in made.values()]) == []
        uncached, cached = read_document(record), read_document(record, cache=document_cache())
        assert cached.secrets
        same(uncached, cached)


def test_an_entry_that_would_repeat_a_secret_is_not_written(cache_home: Path):
    token = fake_secrets()["github_token"][1]
    text = f"Token: {token}\n"
    document = Document("incident", "INC-1", "a.md", text, data={"note": token},
                        secrets=[Secret("github_token", LineIndex(text).span(7, 7 + len(token)))])
    document_cache().put("0" * 64, "1" * 64, document)
    assert list(cache_home.glob("*")) == []
