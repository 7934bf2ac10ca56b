"""The extraction cache: a document extracted once is read back, not extracted again, while
neither its bytes nor the extractor changed.

Extraction is most of a whole-repository `policy check`, and a repository's records rarely
change once closed, so a second run, a pre-commit run or a CI run with the folder restored
re-extracts only what changed (ruff's cache is the model: content in the key, the tool's
version in the key, always safe to delete). An entry's key covers:

- the file's bytes (their SHA-256, which the entry also names inside and is checked against
  the bytes just read before it is used);
- the extractor: the package version, a digest of the extraction code, the schemas and the
  templates, the Markdown parsers', google-re2's and Python's versions, so an upgrade or a local
  edit is a miss, never a stale document;
- what else decides the result: the path as shown (kinds by folder, messages), `--kind`,
  the kind the configuration's `documents` globs give the path, the size limit and zone.

Entries are rows of one SQLite database (`documents.sqlite3`) in the `documents` folder beside
the policy cache, under the same rules (`engine/cache_folder.py`: where,
`HOTFIX_POLICY_NO_CACHE`, only this user's own files are read). One file rather than a file per
entry, as mypy's `--sqlite-cache`: creating a file cost 0.75-1.1 ms of kernel time on the
machine measured, a row about 0.1 ms (benchmarks/README.md, Scale). Entries are JSON
(`stored.py`), never pickle, and hold the values extracted but not the file's text: a
detected secret can only be in the text (values are read with secrets masked), and
an entry that would repeat one anyway is not written. The database is bounded
(`MAX_DOCUMENT_CACHE_ENTRIES`, least recently used first out) and each entry too
(`MAX_DOCUMENT_CACHE_ENTRY_BYTES`). Each entry ends with a checksum of the rest
(`cache_folder.sealed`: a CRC-32, against damage, not against a person who can write the cache
folder, who could as well edit the installed tool). Anything wrong with an entry makes it a
miss, and a database SQLite cannot read, or whose table is not the cache's, is deleted and made
again, with a note: the file is extracted as if there were no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from functools import cache
from pathlib import Path
from typing import Optional

from .. import __version__
from ..cache_folder import cache_folder, intact_length, made_again, made_private, not_ours, prune, refused, sealed
from ..files import package_files
from ..limits import MAX_DOCUMENT_CACHE_ENTRIES, MAX_DOCUMENT_CACHE_ENTRY_BYTES
from ..resources import resource_dir
from .blocks import parser_versions
from .model import Document
from .stored import DAMAGED, Unstorable, data_hook, document_from_data, document_to_data, encoded

_FORMAT = 4  # 4: each entry ends with its checksum
_DATABASE = "documents.sqlite3"
_COLUMNS = [("key", "TEXT", 0, None, 1), ("entry", "BLOB", 1, None, 0), ("used", "INTEGER", 1, None, 0)]
"""The `entries` table's columns as `PRAGMA table_info` gives them (name, type, not null,
default, primary key): a database made by anything else is damaged."""
_LOCK_WAIT_SECONDS = 2.0
"""How long a run waits for another run's write before it goes on without storing."""
_TOUCH_AFTER_SECONDS = 3600
"""A hit refreshes its entry's time of use only when that is older than this: runs less than
an hour apart write nothing for the entries they only read."""
_DECODER = json.JSONDecoder(object_hook=data_hook)
"""One decoder for every entry (`json.loads` with a hook makes one per call)."""


def entry_key(content: bytes, *, path: str, kind: Optional[str], configured: Optional[str],
              size_limit: int, timezone: Optional[str]) -> tuple:
    """(entry key, content hash) of a document extracted with these inputs."""
    content_hash = hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256(extractor_digest().encode("ascii"))
    for part in (content_hash, path, kind, configured, size_limit, timezone):
        digest.update(b"\0" + repr(part).encode("utf-8"))
    return digest.hexdigest(), content_hash


def entry_of(key: str, content_hash: str, document: Document) -> Optional[bytes]:
    """The entry (UTF-8 JSON) that stores `document`, or None when it cannot be stored exactly (a
    name that is not UTF-8 included) or would repeat a secret found in its text or held in its
    name (`incidents/AKIA....md`)."""
    from .secrets import names_hold_a_secret

    if names_hold_a_secret((document.path, document.id or "")):
        return None
    try:
        entry = encoded({"format": _FORMAT, "key": key, "content": content_hash,
                         "document": document_to_data(document)})
    except (Unstorable, RecursionError):
        return None
    return None if document.secrets and repeats_a_secret(entry.decode("utf-8"), document) else entry


def document_of(entry: bytes, key: str, content_hash: str, text: str) -> Optional[Document]:
    """The document `entry` stores over `text`, or None: malformed, or made for another key or
    other bytes."""
    try:
        stored = _DECODER.decode(entry.decode("utf-8"))
        if (type(stored) is not dict or stored.get("format") != _FORMAT or stored.get("key") != key
                or stored.get("content") != content_hash):
            return None
        return document_from_data(stored["document"], text)
    except DAMAGED:
        return None


class DocumentCache:
    """The cache database, as one process uses it (its folder already checked to be this user's
    alone). A forked process opens a connection of its own: SQLite's may not cross a fork."""

    key = staticmethod(entry_key)

    def __init__(self, folder: Path):
        self.folder = folder
        self._connection: Optional[sqlite3.Connection] = None
        self._pid = 0
        self._unusable = False  # this process could not open or read the database: every use a miss
        self._writable = True  # false once a write failed (another run's lock past the wait, a full disk)
        self._touched: list = []

    def get(self, key: str, content_hash: str, text: str) -> Optional[Document]:
        """The stored document over `text`, or None (absent, malformed or made for other bytes:
        a miss). `flush` writes that the entry was used."""
        try:
            row = self._database().execute("SELECT entry, used FROM entries WHERE key = ? AND length(entry) <= ?",
                                           (key, MAX_DOCUMENT_CACHE_ENTRY_BYTES)).fetchone()
        except sqlite3.Error as error:
            self._failed(error, reading=True)
            return None
        if row is None or type(row[0]) is not bytes:
            return None
        length = intact_length(row[0])
        if length is None:
            return None
        document = document_of(row[0][:length], key, content_hash, text)
        if document is not None and not (type(row[1]) is int and row[1] > time.time() - _TOUCH_AFTER_SECONDS):
            self._touched.append(key)
        return document

    def holds_any(self) -> bool:
        """Whether the database holds any entry: a run on a new machine or with a cache not
        restored looks up none of its files."""
        try:
            return self._database().execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None
        except sqlite3.Error as error:
            self._failed(error, reading=True)
            return False

    def has_database(self) -> bool:
        """Whether the database file is there, found without opening it (opening it is 20-30 ms,
        which a replayed run does not spend): a new machine's run has none, nor one whose cache
        was not restored or was deleted."""
        return (self.folder / _DATABASE).exists()

    def put(self, key: str, content_hash: str, document: Document) -> bool:
        """Store `document` under `key` unless `entry_of` refuses it; whether it was stored."""
        entry = entry_of(key, content_hash, document)
        return entry is not None and self.store([(key, entry)])

    def store(self, entries: list) -> bool:
        """Store (key, entry) pairs made by `entry_of` in one transaction; whether all were (not
        one over the size limit, nor any when another run holds the database past the wait or
        the disk is full)."""
        if not self._writable:
            return False
        now = int(time.time())
        rows = [(key, b"\n".join(sealed([entry])), now) for key, entry in entries]
        fitting = [row for row in rows if len(row[1]) <= MAX_DOCUMENT_CACHE_ENTRY_BYTES]
        try:
            with self._database() as database:
                database.executemany("INSERT OR REPLACE INTO entries (key, entry, used) VALUES (?, ?, ?)", fitting)
        except sqlite3.Error as error:
            self._failed(error, reading=False)
            return False
        return len(fitting) == len(rows)

    def flush(self) -> None:
        """Write when the entries read since the last flush were used (the least recently used
        go first when the database is full)."""
        touched, self._touched = self._touched, []
        if not touched or not self._writable:
            return
        now = int(time.time())
        try:
            with self._database() as database:
                database.executemany("UPDATE entries SET used = ? WHERE key = ?", [(now, key) for key in touched])
        except sqlite3.Error as error:
            self._failed(error, reading=False)

    def _database(self) -> sqlite3.Connection:
        """This process's connection, opened at the first use; `sqlite3.Error` when the database
        cannot be used (then not tried again by this process)."""
        if self._pid != os.getpid():
            self._connection, self._pid, self._unusable, self._writable = None, os.getpid(), False, True
        if self._connection is None and not self._unusable:
            try:
                self._connection = _connect(self.folder / _DATABASE)
            except sqlite3.Error as error:
                self._unusable = True
                if isinstance(error, _NotOurs):
                    refused(self.folder, str(error))
                raise
        if self._connection is None:
            raise sqlite3.OperationalError("the extraction cache cannot be used by this process")
        return self._connection

    def _failed(self, error: sqlite3.Error, reading: bool) -> None:
        """After an error: a database damaged since it was opened is deleted, to be made again at
        the next use. Anything else (another run's lock past the wait, a full disk, a read-only
        folder) is left for the next run, and this process stops reading (after a failed read) or
        writing (after a failed write), so that it waits at most once."""
        if type(error) is not sqlite3.DatabaseError:
            if reading:
                self._unusable = True
            self._writable = False
            return
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            _delete(self.folder / _DATABASE)
            made_again(self.folder, _damaged(self.folder / _DATABASE, error))


class _NotOurs(sqlite3.OperationalError):
    """The database or its journal is a link, not a file, or not this user's alone (the message
    says which, and what to do)."""


class _NotTheCache(sqlite3.DatabaseError):
    """A database SQLite reads whose `entries` table is not the cache's: damaged like one it
    cannot read (else every run would miss every entry and store none, in silence)."""


def _connect(path: Path) -> sqlite3.Connection:
    """The database at `path`, created private and pruned; `sqlite3.Error` when it cannot be
    used. A file SQLite cannot read, or whose table is not the cache's, is deleted and made
    again (a cache is safe to delete), with a note."""
    try:
        return _opened_database(path)
    except sqlite3.DatabaseError as error:
        if type(error) not in (sqlite3.DatabaseError, _NotTheCache):  # locked by another run, a full disk, not ours
            raise
        _delete(path)
        made_again(path.parent, _damaged(path, error))
    return _opened_database(path)


def _damaged(path: Path, error: sqlite3.DatabaseError) -> str:
    """The note on a damaged database, deleted to be made again."""
    return f"{path} was damaged ({error}), so this run extracted its documents anew; nothing needs doing"


def _database_files(path: Path) -> list:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _delete(path: Path) -> None:
    """Delete the database at `path` and its journal, as far as they can be (what stays fails
    again when opened, and the run goes on without the cache)."""
    for name in _database_files(path):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _opened_database(path: Path) -> sqlite3.Connection:
    fresh = _create_private(path)
    for name in _database_files(path):
        try:
            info = os.stat(name, follow_symlinks=False)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise sqlite3.OperationalError(str(error)) from error
        why = not_ours(name, info, "file")
        if why is not None:
            raise _NotOurs(why)
    connection = sqlite3.connect(path, timeout=_LOCK_WAIT_SECONDS)
    try:
        connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        connection.execute("PRAGMA synchronous = NORMAL")  # a crash may lose the last entries, not the rest
        connection.execute("CREATE TABLE IF NOT EXISTS entries "
                           "(key TEXT PRIMARY KEY, entry BLOB NOT NULL, used INTEGER NOT NULL)")
        if [column[1:] for column in connection.execute("PRAGMA table_info(entries)")] != _COLUMNS:
            raise _NotTheCache("its table is not the extraction cache's")
        (count,) = connection.execute("SELECT count(*) FROM entries").fetchone()
        if count > MAX_DOCUMENT_CACHE_ENTRIES:  # leave room for a few runs' changes
            with connection:
                connection.execute("DELETE FROM entries WHERE key IN (SELECT key FROM entries ORDER BY used LIMIT ?)",
                                   (count - MAX_DOCUMENT_CACHE_ENTRIES * 3 // 4,))
    except BaseException:
        connection.close()
        raise
    if fresh:
        prune(path.parent, 0)  # the entry files of the format before the database
    return connection


def _create_private(path: Path) -> bool:
    """Create the database file readable and writable by this user alone (SQLite gives its
    journal files the database's mode); whether it was created now."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except FileExistsError:
        return False
    except OSError as error:
        raise sqlite3.OperationalError(str(error)) from error
    return True


def document_cache() -> Optional[DocumentCache]:
    """The cache for this process's runs, or None when turned off or not this user's alone."""
    folder = cache_folder("documents")
    if folder is None:
        return None
    return _opened(str(folder))


@cache
def _opened(folder_name: str) -> Optional[DocumentCache]:
    folder = Path(folder_name)
    return DocumentCache(folder) if made_private(folder) else None


_MATCHER = "re2"
"""The regex library the secret scanner and the schemas' patterns run on: an upgrade may change
what they match, so the key names its package's files."""


@cache
def extractor_digest() -> str:
    """What the extractor is: this package's version, its extraction code, schemas and
    templates, the Markdown parsers extraction may use, google-re2 and Python (read once per
    process)."""
    digest = hashlib.sha256()
    for part in (str(_FORMAT), __version__, parser_versions(), package_files(_MATCHER), sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    here = Path(__file__).resolve().parent
    engine = here.parent
    files = [*sorted(here.glob("*.py")), *sorted((here / "templates").iterdir()),
             *sorted(resource_dir("schemas").glob("*.json")),
             *(engine / name for name in ("kinds.py", "span.py", "findings.py", "limits.py", "files.py"))]
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
    return digest.hexdigest()


def repeats_a_secret(entry: str, document: Document) -> bool:
    """Whether any secret found in the document's text appears in the entry (a cache's, or a
    run cache's line) as written or as JSON spells it, with or without its non-ASCII letters
    escaped (the scanner masks before anything is read, so this holds by construction; checked
    all the same, since an entry outlives the run)."""
    text = document.text
    for secret in document.secrets:
        value = text[secret.span.start:secret.span.end]
        if value and any(spelled in entry for spelled in (value, json.dumps(value, ensure_ascii=False)[1:-1],
                                                          json.dumps(value)[1:-1])):
            return True
    return False
