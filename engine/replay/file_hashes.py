"""What each file's bytes hash to, remembered by the file's state, so that the run cache's key
does not read a file that has not changed since it was hashed (git's index keeps the same facts
for the same reason). Reading and hashing every file was a tenth of a warm run (benchmarks/README.md,
Scale).

A file's state is what changes when it is written or replaced: its size, its modification and
change times, its inode and device (`files.file_state`). The change time cannot be set by
whoever writes the file. A hash is remembered only when the file's times were three seconds old
when it was read: a file written again within its timestamps' resolution of being hashed (git's
"racy" files) is read at every run until then.

The hashes of one way of running (its working directory and paths) are one entry in the run
cache's `hashes` folder, under the caches' rules (cache_folder.py): this user's own, bounded
(`MAX_RUN_CACHE_ENTRIES` entries of at most `MAX_RUN_CACHE_ENTRY_BYTES`), JSON, never a path in
which a secret is detected, and anything wrong with an entry makes every file of the run read
and hashed as if there were none.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Optional

from ..cache_folder import opened, read_entry, write_entry
from ..files import read_regular_file
from ..limits import MAX_RUN_CACHE_ENTRIES, MAX_RUN_CACHE_ENTRY_BYTES

_FORMAT = 1
_SETTLED_NS = 3_000_000_000
"""How old a file's times must be for its hash to be remembered: longer than the timestamp
resolution of any file system a repository lives on (FAT's, the coarsest, is two seconds)."""


class FileHashes:
    """The SHA-256 of the files one way of running reads, remembered by each file's state."""

    def __init__(self, folder: Optional[Path], scope: str):
        self._folder = folder if folder is not None and opened(folder, MAX_RUN_CACHE_ENTRIES - 1) else None
        self._name = scope + ".json"
        self._known = self._read()
        self._now: dict = {}  # path -> (state, hash) of the files this run hashed, to remember

    def sha256(self, path: str, state: tuple, limit: int) -> str:
        """The hex SHA-256 of the file's bytes (at most `limit`, `FileTooLarge` past it); `state`
        is the file's, taken before this call."""
        known = self._known.get(path)
        if known is not None and known[0] == state:
            digest = known[1]
        else:
            digest = content_hash(path, limit)
        if max(state[0], state[1]) < time.time_ns() - _SETTLED_NS:
            self._now[path] = (state, digest)
        return digest

    def save(self) -> None:
        """Remember this run's files (the others are forgotten), unless nothing changed."""
        if self._folder is None or self._now == self._known:
            return
        from ..documents.secrets import mask_text, names_hold_a_secret

        paths = list(self._now)
        if names_hold_a_secret(paths):  # a file or folder named after a secret is hashed every time
            paths = [path for path in paths if mask_text(path) == path]
        files = {path: [*self._now[path][0], self._now[path][1]] for path in paths}
        write_entry(self._folder, self._name, json.dumps({"format": _FORMAT, "files": files}).encode("utf-8"),
                    MAX_RUN_CACHE_ENTRY_BYTES)

    def _read(self) -> dict:
        if self._folder is None:
            return {}
        raw = read_entry(self._folder, self._name, MAX_RUN_CACHE_ENTRY_BYTES)
        try:
            stored = json.loads(raw) if raw is not None else None
            if type(stored) is not dict or stored.get("format") != _FORMAT or type(stored.get("files")) is not dict:
                return {}
            return {path: _known(item) for path, item in stored["files"].items()}
        except (UnicodeDecodeError, TypeError, ValueError, RecursionError):
            return {}


def _known(item) -> tuple:
    """(state, hash) of a stored file; TypeError or ValueError when it is not one."""
    if type(item) is not list or len(item) != 6 or set(map(type, item[:5])) != _NUMBER or type(item[5]) is not str \
            or _HASH.fullmatch(item[5]) is None:
        raise ValueError("not a file's hash")
    return tuple(item[:5]), item[5]


_NUMBER = {int}
_HASH = re.compile("[0-9a-f]{64}")


def content_hash(path, limit: int) -> str:
    """The hex SHA-256 of a regular file's bytes (at most `limit`, `FileTooLarge` past it)."""
    return hashlib.sha256(read_regular_file(path, limit)).hexdigest()
