"""The folder `policy` keeps its caches in, and when what is in it may be trusted.

The caches (compiled policies, `policy/cache.py`; extracted documents, `documents/cache.py`;
whole runs, `replay/run_cache.py`) live side by side in `$XDG_CACHE_HOME/hotfix-policy/` (else
`~/.cache/hotfix-policy/`), one subfolder each, outside any repository. `HOTFIX_POLICY_NO_CACHE=1` (`policy check --no-cache`)
turns them all off. What is read back could change verdicts, so only what this user's own runs
wrote is read, the way ssh's StrictModes and git's safe.directory decide: the folder, the one
above it and each entry must be owned by the user running and writable by neither group nor
others (`files.only_this_user_writes`); else nothing is read or written and the run goes on
uncached. Entries are JSON, written to a private temporary file and renamed into place, so a
reader never sees half an entry. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Optional

from .files import only_this_user_writes, read_regular_file

NO_CACHE_VARIABLE = "HOTFIX_POLICY_NO_CACHE"


def cache_folder(name: str) -> Optional[Path]:
    """The folder of the cache called `name`, or None when caching is turned off."""
    if os.environ.get(NO_CACHE_VARIABLE):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hotfix-policy" / name


def private(folder: Path) -> bool:
    """Whether the cache folder and the one above it are this user's alone (see the module)."""
    try:
        return all(only_this_user_writes(os.stat(level)) for level in (folder.parent, folder))
    except OSError:
        return False


def opened(folder: Path, keep: int) -> bool:
    """Whether a run may use the cache `folder`: created if need be, private (else nothing is
    read or written), and pruned to `keep` entries."""
    try:
        for level in (folder.parent, folder):
            level.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if not private(folder):
        return False
    prune(folder, keep)
    return True


def read_entry(folder: Path, name: str, limit: int) -> Optional[bytes]:
    """The bytes of entry `name`, or None: absent, over `limit`, a link, or not this user's own.
    The caller has checked that the folder is `private`."""
    try:
        return read_regular_file(folder / name, limit, private=True)
    except OSError:
        return None


def write_entry(folder: Path, name: str, content: bytes, limit: int) -> bool:
    """Store `content` as entry `name`, creating the folders private; False when it was not
    written (over `limit`, a folder that is not private, a full disk)."""
    if len(content) > limit:
        return False
    try:
        for level in (folder.parent, folder):
            level.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder):
            return False
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # readable by this user only
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


def prune(folder: Path, keep: int) -> None:
    """Delete the least recently used entries past `keep` (a hit refreshes an entry's time), and
    temporary files a run left behind. Counting is one listing; times are read only when over."""
    try:
        with os.scandir(folder) as listing:
            names = [entry.name for entry in listing if entry.name.endswith((".json", ".tmp"))]
        if len(names) <= keep:
            return
        dated = []
        for name in names:
            try:
                dated.append((os.stat(folder / name, follow_symlinks=False).st_mtime, name))
            except OSError:
                continue
        dated.sort()
        for _, name in dated[:max(0, len(dated) - keep * 3 // 4)]:  # room for a few runs' changes
            try:
                os.unlink(folder / name)
            except OSError:
                continue
    except OSError:
        return


def touch(entry: Path) -> None:
    """Mark an entry used now: `prune` deletes the least recently used first."""
    try:
        os.utime(entry)
    except OSError:
        return
