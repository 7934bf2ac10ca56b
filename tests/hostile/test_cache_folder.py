"""Where the caches live and what turns them off, for every cache at once: an entry over its
cache's size limit is a miss (never a traceback), a relative XDG_CACHE_HOME is not used (it would
put the caches inside the checked repository), and HOTFIX_POLICY_NO_CACHE=0 leaves them on."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from hotfix_policy.cli.main import main
from hotfix_policy.engine import limits
from hotfix_policy.engine.documents import cache as document_cache_module
from tests.conftest import REPO
from tests.documents.test_extraction_cache import entries, rewrite

LIMITS = {"policies": limits.MAX_CACHE_ENTRY_BYTES, "documents": limits.MAX_DOCUMENT_CACHE_ENTRY_BYTES,
          "runs": limits.MAX_RUN_CACHE_ENTRY_BYTES}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE", raising=False)
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_HEAD_REF", "GITHUB_BASE_REF"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(REPO / "examples" / "incidents", tmp_path / "repo" / "incidents")
    monkeypatch.chdir(tmp_path / "repo")
    document_cache_module._opened.cache_clear()
    yield tmp_path / "repo"
    document_cache_module._opened.cache_clear()


def check(capsys) -> tuple:
    code = main(["check", "incidents", "--now", "2026-11-26T12:00:00Z", "--format", "json"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("cache", sorted(LIMITS))
def test_an_entry_over_its_size_limit_is_a_miss(repo, tmp_path, monkeypatch, capsys, cache):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = check(capsys)
    folder = tmp_path / "cache" / "hotfix-policy" / cache
    if cache == "documents":
        assert entries(folder)
        for key in entries(folder):
            rewrite(folder, key, b"{" * (LIMITS[cache] + 1))
    else:
        files = sorted(folder.glob("*.json"))
        assert files
        for entry in files:
            os.truncate(entry, LIMITS[cache] + 1)  # sparse: no disk is spent
    if cache != "runs":  # else the run cache replays, reading neither policies nor documents
        shutil.rmtree(folder.parent / "runs")
    document_cache_module._opened.cache_clear()
    assert check(capsys) == first
    if cache == "documents":
        assert not any(entry.startswith("{{") for entry in entries(folder).values())  # extracted and stored anew


def test_a_relative_cache_home_is_not_used(repo, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "cache-in-the-repository")
    notes = check(capsys)[2].splitlines()
    assert not (repo / "cache-in-the-repository").exists()
    assert (tmp_path / "home" / ".cache" / "hotfix-policy" / "runs").is_dir()
    said = [note for note in notes if "XDG_CACHE_HOME" in note]  # once, though three caches looked
    assert said == [f"policy check: XDG_CACHE_HOME=cache-in-the-repository is not an absolute path, so it is "
                    f"ignored, as the XDG Base Directory specification says: the caches are in "
                    f"{tmp_path / 'home' / '.cache' / 'hotfix-policy'}"]
    monkeypatch.setenv("XDG_CACHE_HOME", "")  # unset in all but name: nothing to tell
    assert not any("XDG_CACHE_HOME" in note for note in check(capsys)[2].splitlines())


@pytest.mark.parametrize("value, on", [("0", True), ("false", True), ("", True), ("1", False), ("yes", False)])
def test_what_turns_the_caches_off(repo, tmp_path, monkeypatch, capsys, value, on):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOTFIX_POLICY_NO_CACHE", value)
    check(capsys)
    assert (tmp_path / "cache" / "hotfix-policy").exists() is on


@pytest.mark.parametrize("cache", ["documents", "policies"])
def test_a_cache_left_unused_is_named_once_with_the_way_back(repo, tmp_path, monkeypatch, capsys, cache):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = check(capsys)
    folder = tmp_path / "cache" / "hotfix-policy" / cache
    foreign = folder / "documents.sqlite3" if cache == "documents" else folder
    os.chmod(foreign, 0o664 if cache == "documents" else 0o770)  # others may write: not trusted
    shutil.rmtree(folder.parent / "runs")  # else the run replays, reading neither policies nor documents
    document_cache_module._opened.cache_clear()
    code, out, err = check(capsys)
    assert (code, out) == first[:2]
    notes = [line for line in err.splitlines() if "is not used" in line]
    assert notes == [f"policy check: the cache in {folder} is not used: {foreign} is not a "
                     f"{'file' if cache == 'documents' else 'folder'} of this user's alone; delete it, or make it "
                     "yours alone (`chmod go-w`), to have runs use it again (or set XDG_CACHE_HOME to a folder "
                     "of your own)"]


def test_a_cache_home_others_can_write_to_is_one_note_that_names_the_way_out(repo, tmp_path, monkeypatch, capsys):
    """Deleting or `chmod`-ing the whole cache home (other tools' caches too) is not the way out."""
    home = tmp_path / "shared"
    home.mkdir()
    os.chmod(home, 0o777)  # others can write, and it is not sticky
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    notes = [line for line in check(capsys)[2].splitlines() if "not used" in line]
    assert len(notes) == 1, notes
    assert notes[0].startswith(f"policy check: the caches in {home / 'hotfix-policy'} (")
    assert notes[0].endswith(f"are not used: {home} is another user's, or others can write to it; set "
                             "XDG_CACHE_HOME to a folder of your own to have runs use the caches")


NOBODY = 65534
_OR_OWN_HOME = "(or set XDG_CACHE_HOME to a folder of your own)"


@pytest.mark.parametrize("cause", ["cache home a file", "hotfix-policy a file", "documents a file",
                                   "documents a link", "database a link", "database owned by another user"])
def test_a_cache_that_cannot_be_used_is_one_note_with_the_remedy_that_fits(repo, tmp_path, monkeypatch, capsys,
                                                                          cause):
    """A cache turned off in silence leaves every run slow and the user guessing; a remedy that does
    not fit the cause (`chmod go-w` for a file another user owns) leaves them stuck."""
    if cause == "database owned by another user" and os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    first = check(capsys)
    ours, documents = home / "hotfix-policy", home / "hotfix-policy" / "documents"
    database = documents / "documents.sqlite3"
    shutil.rmtree(ours / "runs")  # else the run replays, reading no document
    if cause == "cache home a file":
        shutil.rmtree(home)
        home.write_text("", encoding="utf-8")
        said = f"the caches in {ours} (policies, runs, documents) are not used: {home} is not a folder; set " \
               "XDG_CACHE_HOME to a folder of your own to have runs use the caches"
    elif cause == "hotfix-policy a file":
        shutil.rmtree(ours)
        ours.write_text("", encoding="utf-8")
        said = f"the caches in {ours} (policies, runs, documents) are not used: {ours} is not a folder; delete it, " \
               f"and runs make the folder anew {_OR_OWN_HOME}"
    elif cause == "documents a file":
        shutil.rmtree(documents)
        documents.write_text("", encoding="utf-8")
        said = f"the cache in {documents} is not used: {documents} is not a folder; delete it, and runs make the " \
               f"folder anew {_OR_OWN_HOME}"
    elif cause == "documents a link":
        shutil.move(documents, tmp_path / "elsewhere")
        documents.symlink_to(tmp_path / "elsewhere")
        said = f"the cache in {documents} is not used: {documents} is a link, not a folder; delete the link, and " \
               f"runs make the folder anew {_OR_OWN_HOME}"
    elif cause == "database a link":
        shutil.move(database, tmp_path / "elsewhere.sqlite3")
        database.symlink_to(tmp_path / "elsewhere.sqlite3")
        said = f"the cache in {documents} is not used: {database} is a link, not a file; delete the link, and " \
               f"runs make the file anew {_OR_OWN_HOME}"
    else:
        os.chown(database, NOBODY, NOBODY)
        said = f"the cache in {documents} is not used: {database} is another user's; delete it, or give it back " \
               f"to this user (`chown`), to have runs use it again {_OR_OWN_HOME}"
    document_cache_module._opened.cache_clear()
    code, out, err = check(capsys)
    assert (code, out) == first[:2]
    assert [line for line in err.splitlines() if "cache" in line] == [f"policy check: {said}"]


@pytest.mark.parametrize("damage", ["not a database", "cut short", "another table"])
def test_a_damaged_database_is_made_again_with_one_note(repo, tmp_path, monkeypatch, capsys, damage):
    """A database whose table is not the cache's used to be kept, every lookup failing, every run
    slow; one SQLite cannot read was made again without a word."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = check(capsys)
    documents = tmp_path / "cache" / "hotfix-policy" / "documents"
    database = documents / "documents.sqlite3"
    whole = tmp_path / "whole.sqlite3"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("VACUUM INTO ?", (str(whole),))  # every page in one file, none in a journal
    for name in ("documents.sqlite3", "documents.sqlite3-wal", "documents.sqlite3-shm"):
        (documents / name).unlink(missing_ok=True)
    if damage == "not a database":
        database.write_bytes(b"\x00\xff not SQLite" * 500)
        error = "file is not a database"
    elif damage == "cut short":
        database.write_bytes(whole.read_bytes()[:1000])
        error = "database disk image is malformed"
    else:
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("CREATE TABLE entries (x)")
        error = "its table is not the extraction cache's"
    os.chmod(database, 0o600)
    shutil.rmtree(documents.parent / "runs")  # else the run replays, reading no document
    document_cache_module._opened.cache_clear()
    code, out, err = check(capsys)
    assert (code, out) == first[:2]
    assert [line for line in err.splitlines() if "cache" in line] == [
        f"policy check: the cache in {documents} was made again: {database} was damaged ({error}), so this run "
        "extracted its documents anew; nothing needs doing"]
    assert entries(documents)  # made again, and the documents stored anew
    shutil.rmtree(documents.parent / "runs")
    document_cache_module._opened.cache_clear()
    code, out, err = check(capsys)
    assert (code, out) == first[:2] and "cache" not in err
