"""Which files a run reads: Markdown under the folders it is given, files of any extension the
configuration's globs name, and files named on the command line; never a link out of the run's
root.

Fail closed: a file the run was asked to check and cannot read (a file or folder it may not
read, a link that leaves the root) becomes a `Candidate` with a `problem`, which the run
reports as DOC003 on that path rather than skipping it. A path named on the command line that
does not exist, is a link loop or is not a file or folder (a device) is a usage error. The
root is the configuration's folder, else the git work tree's top, else the working directory;
`follow_outside_links` (`policy check --follow-outside-links`) reads links that leave it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import UsageError
from ..files import leads_outside, walk

DOCUMENT_SUFFIXES = (".md", ".markdown")
SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})


@dataclass(frozen=True)
class Candidate:
    """A file the run considers; `problem` says why it cannot be read (reported as DOC003)."""

    path: str
    explicit: bool                  # named on the command line (an unknown kind is then DOC001)
    problem: Optional[str] = None


def candidate_files(paths: list, globs: dict, root: Path, *, follow_outside_links: bool = False
                    ) -> Iterator[Candidate]:
    """Every file of the run in a stable order (`-` stands for stdin)."""
    from ..documents.detect import glob_match

    patterns = [p for kind_patterns in globs.values() for p in (kind_patterns or [])]
    inside = _inside(root, follow_outside_links)
    for given in paths or []:
        if given == "-":
            yield Candidate("-", True)
            continue
        mode = _mode(given)
        if mode is None:
            yield Candidate(given, True, "cannot read: permission denied")
        elif stat.S_ISDIR(mode):
            yield from _walk(given, patterns, glob_match, inside)
        elif stat.S_ISREG(mode):
            yield Candidate(given, True, inside(given))
        else:
            raise UsageError(f"{given}: not a regular file or folder")


def _mode(given: str) -> Optional[int]:
    """The file mode (links followed); None when we may not look; a usage error when absent."""
    try:
        return os.stat(given).st_mode
    except PermissionError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UsageError(f"{given}: a loop of symbolic links") from None
        raise UsageError(f"{given}: no such file or directory") from None


def _walk(folder: str, patterns: list, glob_match, inside) -> Iterator[Candidate]:
    unlistable: list = []
    for path in walk(folder, enter=_entered, unlistable=lambda where, error: unlistable.append((where, error))):
        yield from _unlistable(unlistable)
        name = os.path.basename(path)
        if name.lower().endswith(DOCUMENT_SUFFIXES) or any(glob_match(path, p) for p in patterns):
            problem = (inside(path) if os.path.islink(path) else None) or _unreadable(path)
            yield Candidate(path, problem is not None, problem)
    yield from _unlistable(unlistable)


def _unreadable(path: str) -> Optional[str]:
    """Why a file found in a folder cannot be read as a document (a FIFO, a device, no read
    permission), or None: such a file is reported, never passed over as "not one of ours"."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if not stat.S_ISREG(mode):
        return "cannot read: not a regular file"
    return None if os.access(path, os.R_OK) else "cannot read: permission denied"


def _entered(name: str) -> bool:
    return name not in SKIPPED_FOLDERS and not name.startswith(".")


def _unlistable(found: list) -> Iterator[Candidate]:
    while found:
        where, error = found.pop(0)
        yield Candidate(where, True, f"cannot list folder: {error.strerror}")


def _inside(root: Path, follow_outside_links: bool):
    """A check: None for a path whose real place is inside the root, else the problem."""
    def check(path: str) -> Optional[str]:
        if follow_outside_links or os.path.realpath(path) == os.path.abspath(path) or not leads_outside(path, root):
            return None
        return f"a link to a file outside the run's root ({root}): not read (--follow-outside-links reads it)"

    return check
