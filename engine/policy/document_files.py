"""Which files a run reads: Markdown under the folders it is given, files of any extension the
configuration's globs name, and files named on the command line, less those the configuration
excludes (`documents.discovery` decides, as it does for the editor); never a link out of the
run's root.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from ..documents.discovery import DocumentGlobs, Excluded
from ..errors import UsageError
from ..files import file_problem, leads_outside


@dataclass(frozen=True)
class Candidate:
    """A file the run considers; `problem` says why it cannot be read (reported as DOC003)."""

    path: str
    explicit: bool                  # named on the command line (an unknown kind is then DOC001)
    problem: Optional[str] = None
    folder: Optional[str] = None    # the folder named on the command line it was found in


@dataclass
class Discovered:
    """What finding a run's files showed besides the files: those the configuration excluded,
    and the folders named on the command line in which no document of a known kind was found
    (a run that looks in the wrong place must say so)."""

    excluded: list = field(default_factory=list)       # `Excluded`, in the order found
    folders: list = field(default_factory=list)        # the folders walked
    empty_folders: list = field(default_factory=list)  # (folder, candidate files read, files excluded)

    def note_folders(self, files: list, documents: list) -> None:
        """Record each folder walked none of whose files gave a document (`documents`: those kept)."""
        kept = {os.path.normpath(document.path) for document in documents}
        counts = {folder: [0, 0, 0] for folder in self.folders}
        for file in files:
            if file.folder in counts:
                counts[file.folder][0] += 1
                counts[file.folder][1] += os.path.normpath(file.path) in kept
        for excluded in self.excluded:
            if excluded.folder in counts:
                counts[excluded.folder][2] += 1
        self.empty_folders = [(folder, read, left_out) for folder, (read, known, left_out) in counts.items() if not known]


def candidate_files(paths: list, globs: DocumentGlobs, root: Path, *, follow_outside_links: bool = False,
                    discovered: Optional[Discovered] = None) -> Iterator[Candidate]:
    """Every file of the run in a stable order (`-` stands for stdin); each file the
    configuration excludes, and each folder walked, is noted in `discovered` instead."""
    outside = _Outside(root, follow_outside_links)
    discovered = discovered if discovered is not None else Discovered()
    excluded = discovered.excluded
    for given in paths or []:
        if given == "-":
            yield Candidate("-", True)
            continue
        mode = _mode(given)
        if mode is None:
            yield Candidate(given, True, "cannot read: permission denied")
        elif stat.S_ISDIR(mode):
            if (problem := outside(given, "folder")) is not None:
                yield Candidate(given, True, problem)
                continue
            discovered.folders.append(given)
            yield from _walk(given, globs, outside, excluded)
        elif not stat.S_ISREG(mode):
            raise UsageError(f"{given}: not a regular file or folder")
        elif (glob := globs.excluded_by(given)) is not None:
            excluded.append(Excluded(given, glob))
        else:
            yield Candidate(given, True, outside(given, "file"))


def named_file(given: str, root: Path, *, follow_outside_links: bool = False) -> Candidate:
    """The one document a command reads (`policy parse`, `policy explain`, `policy eval --doc`),
    with the checks of `policy check`: a usage error when it is absent, a loop, a folder or not
    a regular file; a `problem` (DOC003) when it is a link out of the root."""
    problem = file_problem(given)
    if problem is not None:
        raise UsageError(f"{given}: {problem}")
    return Candidate(given, True, _Outside(root, follow_outside_links)(given, "file"))


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


def _walk(folder: str, globs: DocumentGlobs, outside, excluded: list) -> Iterator[Candidate]:
    unread: list = []  # folders that cannot be listed, links to folders out of the root

    def unlistable(where: str, error: OSError) -> None:
        unread.append(Candidate(where, True, f"cannot list folder: {error.strerror}", folder))

    def linked(where: str) -> bool:
        """Follow a link to a folder only out of the root, when asked: a folder inside the root
        is checked where it lies."""
        if not leads_outside(where, outside.root):
            return False
        problem = outside(where, "folder")
        if problem is not None:
            unread.append(Candidate(where, True, problem, folder))
        return problem is None

    for path, exclusion in globs.files(folder, unlistable=unlistable, linked=linked):
        yield from _drain(unread)
        if exclusion is not None:
            excluded.append(exclusion)
            continue
        problem = (outside(path, "file") if os.path.islink(path) else None) or _unreadable(path)
        yield Candidate(path, problem is not None, problem, folder)
    yield from _drain(unread)


def _unreadable(path: str) -> Optional[str]:
    """Why a file found in a folder cannot be read as a document (a FIFO, a device, no read
    permission, a loop of links), or None: such a file is reported, never passed over as "not
    one of ours"."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return "a loop of symbolic links" if error.errno == errno.ELOOP else f"cannot read: {error.strerror}"
    if not stat.S_ISREG(mode):
        return "cannot read: not a regular file"
    return None if os.access(path, os.R_OK) else "cannot read: permission denied"


def _drain(found: list) -> Iterator[Candidate]:
    while found:
        yield found.pop(0)


class _Outside:
    """A check: None for a path whose real place is inside the root (or when links out of it
    are followed), else the problem, for a "file" or a "folder"."""

    def __init__(self, root: Path, follow_outside_links: bool):
        self.root, self.follow = root, follow_outside_links

    def __call__(self, path: str, what: str) -> Optional[str]:
        if self.follow or os.path.realpath(path) == os.path.abspath(path) or not leads_outside(path, self.root):
            return None
        return (f"a link to a {what} outside the run's root ({self.root}): not read "
                f"(--follow-outside-links reads it)")
