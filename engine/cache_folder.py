"""The folder `policy` keeps its caches in, and when what is in it may be trusted.

The caches (compiled policies, `policy/cache.py`; extracted documents, `documents/cache.py`;
whole runs, `replay/run_cache.py`) live side by side in `$XDG_CACHE_HOME/hotfix-policy/` (else
`~/.cache/hotfix-policy/`; a relative XDG_CACHE_HOME is ignored), one subfolder each, outside
any repository. `HOTFIX_POLICY_NO_CACHE=1` (`policy check --no-cache`; any value but empty, 0,
false, no or off) turns them all off. What is read back could change verdicts, so only what this
user's own runs wrote is read, the way ssh's StrictModes and git's safe.directory decide: the
`hotfix-policy` folder, the cache's folder (both real folders, not links) and each entry must be
owned by the user running and writable by neither group nor others
(`files.only_this_user_writes`), and the cache home above them must not let anyone else replace
the `hotfix-policy` folder (`_safe_home`); else nothing is read or written and the run goes on
uncached, with one note that names what is wrong and what to do (`refused`, `not_ours`): a
cache that turns itself off in silence leaves a user wondering why every run is slow.
An entry over its cache's size limit is a miss like any other. Entries of the policy and run
caches are JSON files, written to a private temporary file and renamed into place, so a reader
never sees half an entry; the extraction cache's are rows of one SQLite database (its module
says why). Deleting the folder is always safe.

Each entry of the extraction and run caches ends with a checksum of the rest (`sealed`: CRC-32,
checked by `intact_length` before anything is decoded): damage that still parses (a disk's, an
editor's, a copy cut at a line's end) is a miss, never a stored verdict or document read back
wrong. It is no defence against a person: whoever can write this user's cache folder can compute
a CRC-32 as well, and could as well edit the installed tool; what keeps others out is the
ownership rules above.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Optional

from .files import FileTooLarge, only_this_user_writes, read_regular_file

NO_CACHE_VARIABLE = "HOTFIX_POLICY_NO_CACHE"


NOT_SET = frozenset({"", "0", "false", "no", "off"})
"""Values of HOTFIX_POLICY_NO_CACHE that leave the caches on (any other turns them off)."""


def cache_folder(name: str) -> Optional[Path]:
    """The folder of the cache called `name`, or None when caching is turned off. A relative
    XDG_CACHE_HOME is ignored, as the XDG specification says: it would put the caches inside
    whatever folder a run starts in, the checked repository's among them."""
    if os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in NOT_SET:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        ignored, base = base, os.path.join(os.path.expanduser("~"), ".cache")
        if ignored:
            _IGNORED_HOMES[ignored] = base
    return Path(base) / "hotfix-policy" / name


_IGNORED_HOMES: dict = {}
"""Relative XDG_CACHE_HOME values this process ignored -> the cache home used instead."""


def ignored_cache_homes() -> list:
    """(relative XDG_CACHE_HOME, the cache home used) of each value ignored since the last call: a
    user who set one to keep the caches elsewhere learns, once, where they are."""
    found = sorted(_IGNORED_HOMES.items())
    _IGNORED_HOMES.clear()
    return found


def private(folder: Path) -> bool:
    """Whether the cache folder, the `hotfix-policy` folder above it and the cache home above
    that are this user's alone (see the module); the two folders of our own must be folders,
    not links to somewhere else. Why not is `refused`."""
    try:
        home = os.stat(folder.parent.parent)
        ours = [(level, os.stat(level, follow_symlinks=False)) for level in (folder.parent, folder)]
    except OSError:
        return False
    if not _safe_home(home):
        return refused(folder, f"{folder.parent.parent} is another user's, or others can write to it; {_OWN_HOME}")
    for level, info in ours:
        why = not_ours(level, info, "folder")
        if why is not None:
            return refused(folder, why)
    return True


_OWN_HOME = "set XDG_CACHE_HOME to a folder of your own to have runs use the caches"
"""The way out when the cache home itself cannot be used."""
_OR_OWN_HOME = "(or set XDG_CACHE_HOME to a folder of your own)"


def not_ours(path, info: os.stat_result, kind: str) -> Optional[str]:
    """Why the cache's `kind` ("folder" or "file") at `path`, whose `info` is its own (links not
    followed), may not be trusted, with the remedy that fits the cause; None when it may."""
    if stat.S_ISLNK(info.st_mode):
        return f"{path} is a link, not a {kind}; delete the link, and runs make the {kind} anew {_OR_OWN_HOME}"
    if not (stat.S_ISDIR if kind == "folder" else stat.S_ISREG)(info.st_mode):
        return f"{path} is not a {kind}; delete it, and runs make the {kind} anew {_OR_OWN_HOME}"
    if only_this_user_writes(info):
        return None
    if info.st_uid != os.geteuid():
        return (f"{path} is another user's; delete it, or give it back to this user (`chown`), to have runs use it "
                f"again {_OR_OWN_HOME}")
    return (f"{path} is not a {kind} of this user's alone; delete it, or make it yours alone (`chmod go-w`), to "
            f"have runs use it again {_OR_OWN_HOME}")


def _not_made(folder: Path, error: OSError) -> str:
    """Why the cache `folder` (or the `hotfix-policy` folder above it) could not be made."""
    home = folder.parent.parent
    if os.path.exists(home) and not os.path.isdir(home):
        return f"{home} is not a folder; {_OWN_HOME}"
    for level in (folder.parent, folder):
        try:
            why = not_ours(level, os.stat(level, follow_symlinks=False), "folder")
        except OSError:
            continue
        if why is not None:
            return why
    return f"{error.filename or folder} cannot be made ({error.strerror}); {_OWN_HOME}"


_REFUSED: dict = {}
"""Cache folder -> why this process does not use it (the first reason found)."""


def refused(folder: Path, reason: str) -> bool:
    """Note that the cache in `folder` is not used, and why; False, for the caller to return."""
    _REFUSED.setdefault(str(folder), reason)
    return False


def refusals() -> list:
    """(folder, reason) of each cache this process left unused since the last call: a cache
    that turns itself off says so once, or a user would not know why runs stayed slow."""
    found = list(_REFUSED.items())
    _REFUSED.clear()
    return found


_MADE_AGAIN: dict = {}
"""Cache folder -> what this process found damaged there, deleted and made anew (the first)."""


def made_again(folder: Path, why: str) -> None:
    """Note that the cache in `folder` was deleted and made anew, and why."""
    _MADE_AGAIN.setdefault(str(folder), why)


def caches_made_again() -> list:
    """(folder, why) of each cache this process made anew since the last call: a run that had to
    work without its cache says why it was slower, once."""
    found = list(_MADE_AGAIN.items())
    _MADE_AGAIN.clear()
    return found


def _safe_home(info: os.stat_result) -> bool:
    """Whether no one else can put another `hotfix-policy` folder in the cache home: it is this
    user's (or root's), and others cannot write to it, or only as in /tmp (sticky: no one
    renames what is not theirs). A group-writable home is the norm where each user has a group
    of their own, so the group is not held against it."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid in (os.geteuid(), 0) and (not info.st_mode & stat.S_IWOTH or bool(info.st_mode & stat.S_ISVTX))


def made_private(folder: Path) -> bool:
    """Whether the cache `folder` exists (created if need be) and is `private`: else nothing is
    read from it or written to it."""
    try:
        for level in (folder.parent, folder):
            level.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        return refused(folder, _not_made(folder, error))
    return private(folder)


def opened(folder: Path, keep: int) -> bool:
    """Whether a run may use the cache `folder` (`made_private`), pruned to `keep` entries."""
    if not made_private(folder):
        return False
    prune(folder, keep)
    return True


def read_entry(folder: Path, name: str, limit: int) -> Optional[bytes]:
    """The bytes of entry `name`, or None: absent, over `limit`, a link, or not this user's own.
    The caller has checked that the folder is `private`."""
    try:
        return read_regular_file(folder / name, limit, private=True)
    except (OSError, FileTooLarge):
        return None


def write_entry(folder: Path, name: str, content: bytes, limit: int) -> bool:
    """Store `content` as entry `name`, creating the folders private; False when it was not
    written (over `limit`, a folder that is not private, a full disk)."""
    return write_lines(folder, name, [content], limit)


def sealed(parts: list) -> list:
    """`parts` (bytes, to be joined by newlines) and, as the last line, their checksum: the
    CRC-32 of the joined bytes in decimal (a JSON number: an entry of JSON lines stays one),
    computed without joining them (see the module)."""
    crc = 0
    for index, part in enumerate(parts):
        if index:
            crc = zlib.crc32(b"\n", crc)
        crc = zlib.crc32(part, crc)
    return [*parts, b"%d" % crc]


def intact_length(raw: bytes) -> Optional[int]:
    """The length of the body of `raw`, an entry `sealed` and joined by newlines, or None when its
    last line is not the checksum of the rest (damaged: a miss)."""
    body = raw.rfind(b"\n")
    if body < 0:
        return None
    return body if b"%d" % zlib.crc32(memoryview(raw)[:body]) == raw[body + 1:] else None


def joined_size(lines: list) -> int:
    """The size of `lines` (bytes) joined by newlines."""
    return sum(map(len, lines)) + max(len(lines) - 1, 0)


def write_lines(folder: Path, name: str, lines: list, limit: int) -> bool:
    """`write_entry` of `lines` (bytes) joined by newlines, without joining them in memory: a run
    cache entry of 5,000 records is 28 MB, which a copy added to the run's peak."""
    if joined_size(lines) > limit:
        return False
    if not made_private(folder):
        return False
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # readable by this user only
        try:
            with os.fdopen(handle, "wb") as out:
                for index, part in enumerate(lines):
                    if index:
                        out.write(b"\n")
                    out.write(part)
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
