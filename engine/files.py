"""Reading and finding the files a run is given, bounded whatever the files are.

A size check alone is not enough: a device such as /dev/zero or a pipe says it holds 0 bytes
and never ends, and opening a FIFO blocks until a writer comes. So:

* `read_bounded` reads what a user names on the command line (a file, or a pipe such as
  `<(gh api ...)`): the size is checked first, then at most one byte past the limit is read.
* `read_regular_file` reads what the product finds itself (documents, policies, the
  configuration, the editor's workspace): it opens without blocking and reads only a regular
  file, its type taken from the open descriptor so it cannot be swapped for a FIFO in between;
  for a cache, also only one the user running owns and no one else may write.
* `walk` lists a folder tree without recursion (a tree a thousand levels deep is just a long
  list), following a link to a folder only when its caller says so, and never in a circle.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Callable, Iterator, Optional


class FileTooLarge(ValueError):
    """A file over its limit; `str()` says how large it is and the limit; `start` holds its first
    bytes when the reader asked to keep them (`keep_start`), for telling what the file is."""

    def __init__(self, limit: int, size: int | None = None, start: bytes = b""):
        shown = f"{size:,} bytes, over" if size is not None else "over"
        super().__init__(f"{shown} the size limit of {limit:,} bytes")
        self.limit, self.size, self.start = limit, size, start


def read_bounded_text(path, limit: int, errors: str = "strict") -> str:
    """The file's UTF-8 text (`read_bounded`, then decoded with `errors`)."""
    return read_bounded(path, limit).decode("utf-8", errors)


def read_bounded(path, limit: int, keep_start: int = 0) -> bytes:
    """The bytes of a file, or of an open descriptor (which it closes); `FileTooLarge` past
    `limit`, holding the first `keep_start` bytes; `OSError` as `open` raises it."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileTooLarge(limit, size, handle.read(keep_start))
        data = handle.read(size + 1)  # a buffer the size the file says, not the limit's
        if len(data) > size:  # a pipe or a device says 0; a file may have grown since
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise FileTooLarge(limit, start=data[:keep_start])
    return data


def read_regular_file(path, limit: int, keep_start: int = 0, *, private: bool = False) -> bytes:
    """The bytes of a regular file, at most `limit` (`FileTooLarge` past it); anything else (a
    FIFO, a device, a socket) is an `OSError`, found without blocking. With `private`, a file that
    is a link, or that `only_this_user_writes` does not hold for, is an `OSError` too."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | (getattr(os, "O_NOFOLLOW", 0) if private else 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if private and not only_this_user_writes(info):
            raise OSError(errno.EPERM, "not this user's own, or writable by others", str(path))
    except BaseException:
        os.close(descriptor)
        raise
    return read_bounded(descriptor, limit, keep_start)


def only_this_user_writes(info: os.stat_result) -> bool:
    """Whether what `info` describes is owned by the user running and writable by neither its
    group nor others: ssh's StrictModes rule, for what a run trusts because it wrote it. Windows
    keeps no owner in `stat`: there the user's profile folder, private by default, is relied on."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def file_state(path) -> tuple:
    """What changes when a file is written or replaced (git's index compares the same), taken
    before its bytes are read: a run that finds it changed stores nothing it read from the file."""
    info = os.stat(path)
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev


def file_problem(path) -> Optional[str]:
    """Why a path a user names as a file is not one ("no such file", "a loop of symbolic links",
    a folder, "not a regular file": a device, a FIFO); None for a regular file, or for one it
    may not look at (reading it says why). Found without opening it."""
    try:
        mode = os.stat(path).st_mode
    except PermissionError:
        return None
    except OSError as error:
        return "a loop of symbolic links" if error.errno == errno.ELOOP else "no such file"
    if stat.S_ISDIR(mode):
        return "a folder; name a file"
    return None if stat.S_ISREG(mode) else "not a regular file"


_ABSOLUTE_PATHS = False


def show_absolute_paths() -> None:
    """For a long-lived process whose working directory is not its user's (the language server,
    started wherever the editor chose): every path the engine keeps and shows is absolute, so
    none is read against, or shown relative to, a folder the user never chose."""
    global _ABSOLUTE_PATHS
    _ABSOLUTE_PATHS = True


def shown_path(path) -> str:
    """A path as messages and reports show it: relative to the working directory (also above it,
    `../.policy.yaml` from a subfolder, as a named `../incidents/INC-1.md` is shown), unless it
    shares nothing but the filesystem's root with it (an installed built-in pack): absolute.
    Always absolute after `show_absolute_paths()`."""
    absolute = os.path.abspath(path)
    if _ABSOLUTE_PATHS:
        return absolute
    try:
        common = os.path.commonpath([absolute, os.getcwd()])
        relative = os.path.relpath(absolute)
    except (ValueError, OSError):  # another drive; the working directory is gone
        return str(path)
    return absolute if os.path.dirname(common) == common else relative


class RealPaths:
    """`os.path.realpath` for the many files of one run, each folder resolved once: it resolves
    every folder of every path, a third of the run cache's key for 1,000 records."""

    def __init__(self):
        self._folders: dict = {}

    def __call__(self, path: str) -> str:
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(folder or ".")
        return os.path.join(self._folders[folder], name)


def leads_outside(path, root) -> bool:
    """Whether `path`, its links followed, lies outside `root` (its links followed too)."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, real_root]) != real_root
    except ValueError:  # another drive
        return True


def walk(root, *, enter: Callable[[str], bool] = lambda path: True,
         unlistable: Optional[Callable[[str, OSError], None]] = None,
         linked: Optional[Callable[[str], bool]] = None) -> Iterator[str]:
    """The paths of every entry below `root` that is not a folder, in name order, depth first;
    a link that cannot be followed (a loop, a missing target) is such an entry.

    `enter(path)` says whether to go into a subfolder (its path, `root` joined with the names on
    the way). A link to a folder the walk would enter is left to `linked(path)`, which may
    report it and says whether to follow it (default: never); the walk follows links into each
    real folder once, so links that lead back up end.
    `unlistable(path, error)` hears of a folder that cannot be listed (else it is passed over).
    An explicit stack, not recursion; each folder is listed and closed before the next, so a
    deep tree holds no descriptor per level.
    """
    followed: list = []  # real paths of the folders reached through links

    def through(path: str) -> bool:
        if linked is None or not linked(path):
            return False
        real = os.path.realpath(path)
        if any(real == done or real.startswith(done.rstrip(os.sep) + os.sep) for done in followed):
            return False
        followed.append(real)
        return True

    stack = [iter(_listing(str(root), unlistable))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry[1] is None:
            yield entry[0]
        elif enter(entry[0]) and (not entry[1] or through(entry[0])):
            stack.append(iter(_listing(entry[0], unlistable)))


def _listing(folder: str, unlistable) -> list:
    """(path, what) of the entries of `folder`, by name: what is None for a file (or a link that
    cannot be followed), False for a folder, True for a link to a folder."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        found.append((entry.path, False))
                        continue
                    link_to_folder = entry.is_symlink() and entry.is_dir()
                except OSError:  # a loop of links: the reader reports it, by its name
                    link_to_folder = False
                found.append((entry.path, True if link_to_folder else None))
    except OSError as error:
        if unlistable is not None:
            unlistable(folder, error)
        return []
    return sorted(found, key=lambda item: os.path.basename(item[0]))


def package_files(name: str) -> str:
    """An installed package as the files of its folder (name, size, modification time), found
    without importing it: what the caches' keys name of a library whose behaviour decides what
    they hold."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(name)
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    if folder is None:
        return f"{name}: none"
    with os.scandir(folder) as listing:
        files = sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                       for entry in listing if entry.is_file())
    return f"{name}: {folder} {files}"
