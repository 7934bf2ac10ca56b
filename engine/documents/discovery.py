"""Which files are documents: one answer for `policy check`, `policy report`, `policy explain`
and the editor's workspace index, so they all see the same documents.

The configuration names files with globs relative to its folder (the root of the run): per kind
under `documents`, and files to leave out under `exclude`. A glob reads like `matchesGlob`: `*`
and `?` within a folder name, `**/` any folders or none, `**` anything; a glob without `/`
matches a file's (or, for `exclude`, a folder's) name at any depth, as in `.gitignore`.

Walking a folder finds Markdown files and the files a `documents` glob names. Hidden folders
(`.github`) and tool folders (`node_modules`, `venv`) are entered only when a `documents` glob
names them with their own name (`.github/hotfix/*.md`; a bare `*` or `**` names none), and
inside them only the files such a glob matches are documents: a PR template that lives in
`.github/` is not a hotfix PR. `.git` is never walked: commits are read with `--commits`.
An excluded file is passed over and counted, whether it was found in a folder or named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Optional

from ..re2_patterns import PatternError, glob_search
from ..files import walk

DOCUMENT_SUFFIXES = (".md", ".markdown")
NEVER_WALKED = frozenset({".git"})
TOOL_FOLDERS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})
"""Folders of tools, never a team's own files: walked for documents only when a glob names them
(like every hidden folder), and never for policy files."""


def named_only(name: str) -> bool:
    """Whether a folder is walked only when a `documents` glob names it."""
    return name.startswith(".") or name in TOOL_FOLDERS


def glob_problem(pattern) -> Optional[str]:
    """Why `pattern` cannot be used as a glob (not a string, too long), or None."""
    if not isinstance(pattern, str) or not pattern:
        return f"a glob must be a non-empty string; found {pattern!r}"
    try:
        glob_search(pattern)
    except PatternError as error:
        return str(error)
    return None


@dataclass(frozen=True)
class Excluded:
    """A file left out of the run: its path, the `exclude` glob that matched, and the folder
    walked to find it (None: it was named)."""

    path: str
    glob: str
    folder: Optional[str] = None


@dataclass(frozen=True)
class DocumentGlobs:
    """The configuration's `documents` and `exclude` globs, anchored at `root` (None: paths are
    matched as they are written, for callers that give paths relative to the globs)."""

    kinds: tuple = ()          # ((kind, (glob, ...)), ...) in the configuration's order
    exclude: tuple = ()        # (glob, ...)
    root: Optional[str] = None

    @classmethod
    def of(cls, kinds: Optional[Mapping] = None, exclude=(), root=None) -> "DocumentGlobs":
        pairs = tuple((kind, (globs,) if isinstance(globs, str) else tuple(globs or ()))
                      for kind, globs in (kinds or {}).items())
        return cls(pairs, tuple(exclude or ()), os.path.abspath(root) if root is not None else None)

    def relative(self, path) -> Optional[str]:
        """`path` as the globs read it (`/`-separated, relative to the root); None outside it."""
        text = os.fspath(path)
        if self.root is None:
            shown = text.replace("\\", "/")
            return shown[2:] if shown.startswith("./") else shown
        relative = os.path.relpath(os.path.abspath(text), self.root)
        if relative == ".." or relative.startswith(".." + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def kind_of(self, path) -> Optional[str]:
        """The kind the first matching `documents` glob gives the file at `path`, else None."""
        return self._kind(self.relative(path) if self.kinds else None)

    def excluded_by(self, path) -> Optional[str]:
        """The `exclude` glob that matches the file at `path` or a folder above it, else None."""
        relative = self.relative(path) if self.exclude else None
        if relative is None:
            return None
        folder = relative.rsplit("/", 1)[0] if "/" in relative else ""
        return self._over(folder) or next((g for g in self.exclude if _matches(g, relative)), None)

    def files(self, folder: str, unlistable: Optional[Callable] = None,
              linked: Optional[Callable] = None) -> Iterator[tuple]:
        """(path, `Excluded` or None) of each file under `folder` that is or could be a document,
        in the walk's order; `unlistable(path, error)` hears of folders that cannot be listed,
        and `linked(path)` of each link to a folder the walk would enter and does not exclude
        (it says whether to follow it, as `files.walk` does)."""
        top = os.path.dirname(os.path.join(folder, "x"))
        places = {top: self._start(top)}  # each folder entered -> its `_Place`

        def enter(path: str) -> bool:
            place = self._step(places[os.path.dirname(path)], path)
            if place is not None:
                places[path] = place
            return place is not None

        def follow(path: str) -> bool:
            return linked is not None and not places[path].excluded and linked(path)

        for path in walk(folder, enter=enter, unlistable=unlistable, linked=follow):
            found = self._found(places[os.path.dirname(path)], path)
            if found is not None:
                yield path, (Excluded(path, found, folder) if found else None)

    def finds(self, path, folder) -> bool:
        """Whether walking `folder` finds the file at `path` and keeps it (not excluded): the
        editor's index takes a saved file only if `policy check` on the folder would read it."""
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
        if relative.startswith(".." + os.sep) or relative in ("..", "."):
            return False
        parts = relative.split(os.sep)
        current = os.path.abspath(folder)
        place = self._start(current)
        for name in parts[:-1]:
            current = os.path.join(current, name)
            place = self._step(place, current)
            if place is None:
                return False
        return self._found(place, os.path.join(current, parts[-1])) == ""

    def _kind(self, relative: Optional[str]) -> Optional[str]:
        if relative is None:
            return None
        return next((kind for kind, globs in self.kinds if any(_matches(g, relative) for g in globs)), None)

    def _start(self, folder: str) -> "_Place":
        """Where a walk starts: every file there is looked at, whatever the folder's name."""
        relative = self.relative(folder)
        if relative is None:
            return _Place(False, None, (), None)
        relative = "" if relative == "." else relative
        parts = relative.split("/") if relative else []
        reach = self._reach_start()
        for name in parts:
            reach = _advance(reach, name)
        return _Place(False, self._over(relative) if parts and self.exclude else None, reach, relative)

    def _step(self, place: "_Place", path: str) -> Optional["_Place"]:
        """The walk's place in the subfolder `path` of `place`; None: the walk does not enter it.
        A hidden or tool folder, and all below it, is entered only while a `documents` glob may
        match a file below and names each such folder with its own name (not a wildcard)."""
        name = os.path.basename(path)
        narrow = place.narrow or named_only(name)
        reach = _advance(place.reach, name)
        if name in NEVER_WALKED or (narrow and not any(index < len(segments) for segments, states in reach
                                                       for index in states)):
            return None
        relative = _below(place.relative, name)
        excluded = place.excluded or (self._excluding(relative) if relative and self.exclude else None)
        return _Place(narrow, excluded, reach, relative)

    def _found(self, place: "_Place", path: str) -> Optional[str]:
        """For a file in `place`: None when it is no candidate, else the `exclude` glob that
        leaves it out, or "" when it is kept."""
        relative = _below(place.relative, os.path.basename(path))
        if self._kind(relative if self.kinds else None) is None and \
                (place.narrow or not path.lower().endswith(DOCUMENT_SUFFIXES)):
            return None
        if place.excluded or not relative:
            return place.excluded or ""
        return next((g for g in self.exclude if _matches(g, relative)), "")

    def _over(self, folder: str) -> Optional[str]:
        """The `exclude` glob that matches the root-relative `folder` or one above it."""
        parts = folder.split("/") if folder else []
        return next((glob for depth in range(1, len(parts) + 1)
                     for glob in [self._excluding("/".join(parts[:depth]))] if glob), None)

    def _excluding(self, folder: str) -> Optional[str]:
        """The `exclude` glob that matches the root-relative `folder` itself (`docs`, `docs/`)."""
        return next((g for g in self.exclude if _matches(g, folder) or _matches(g, folder + "/")), None)

    def _reach_start(self) -> tuple:
        """At the root: each `documents` glob with a `/`, split, and where matching it stands."""
        return tuple((segments, _closure(segments, {0})) for segments in
                     (tuple(glob.split("/")) for _, globs in self.kinds for glob in globs if "/" in glob))


@dataclass(frozen=True)
class _Place:
    """The walk's state in a folder: whether only files the globs name are looked at, the
    `exclude` glob over it, and how far each `documents` glob has matched the folders so far."""

    narrow: bool
    excluded: Optional[str]
    reach: tuple   # ((segments, frozenset of positions in them), ...)
    relative: Optional[str]  # the folder as the globs read it ("" the root); None outside the root


def _below(folder: Optional[str], name: str) -> Optional[str]:
    """The root-relative path of `name` in the root-relative `folder` (None: outside the root)."""
    if folder is None:
        return None
    return f"{folder}/{name}" if folder else name


def _advance(reach: tuple, name: str) -> tuple:
    """`reach` one folder deeper, into `name`: a hidden or tool folder moves a glob on only
    where the glob writes its name (`.github`, `.git*`), never through `*`, `?` or `**`."""
    narrow = named_only(name)
    moved = []
    for segments, states in reach:
        following = set()
        for index in states:
            if index >= len(segments):
                continue
            segment = segments[index]
            if "**" in segment:
                if not narrow:
                    following.add(index)
            elif glob_search(segment)(name) and not (narrow and segment[0] in "*?"):
                following.add(index + 1)
        if following:
            moved.append((segments, _closure(segments, following)))
    return tuple(moved)


def _closure(segments: tuple, states: set) -> frozenset:
    """`states` with the positions after each `**` reached (a `**` may match no folder)."""
    pending = list(states)
    while pending:
        index = pending.pop()
        if index < len(segments) and "**" in segments[index] and index + 1 not in states:
            states.add(index + 1)
            pending.append(index + 1)
    return frozenset(states)


def _matches(glob: str, relative: str) -> bool:
    """`glob` against a root-relative path; a glob without `/` (but a last one) against the last name."""
    if "/" not in glob.rstrip("/"):
        tail = "/" if relative.endswith("/") else ""
        relative = relative.rstrip("/").rsplit("/", 1)[-1] + tail
    return glob_search(glob)(relative)


def configured_kind(config_globs, path: str):
    """The kind the configuration's `documents` globs give `path`, else None (`detect.detect` asks
    them first; the extraction cache keys on the answer)."""
    globs = config_globs if isinstance(config_globs, DocumentGlobs) else DocumentGlobs.of(config_globs)
    return globs.kind_of(path) if globs.kinds and path not in ("", "-") else None
