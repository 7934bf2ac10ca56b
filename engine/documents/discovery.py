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

from ..cel.regex import RegexError, glob_regex
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
        glob_regex(pattern)
    except RegexError as error:
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
        relative = self.relative(path) if self.kinds else None
        if relative is None:
            return None
        return next((kind for kind, globs in self.kinds if any(_matches(g, relative) for g in globs)), None)

    def excluded_by(self, path) -> Optional[str]:
        """The `exclude` glob that matches the file at `path` or a folder above it, else None."""
        relative = self.relative(path) if self.exclude else None
        if relative is None:
            return None
        folder = relative.rsplit("/", 1)[0] if "/" in relative else ""
        return self._over(folder) or next((g for g in self.exclude if _matches(g, relative)), None)

    def files(self, folder: str, unlistable: Optional[Callable] = None) -> Iterator[tuple]:
        """(path, `Excluded` or None) of each file under `folder` that is or could be a document,
        in the walk's order; `unlistable(path, error)` hears of folders that cannot be listed."""
        top = os.path.dirname(os.path.join(folder, "x"))
        folders = {top: self._start(top)}  # folder path -> (only what globs name, exclude glob over it)

        def enter(path: str) -> bool:
            state = self._step(folders[os.path.dirname(path)], path)
            if state is not None:
                folders[path] = state
            return state is not None

        for path in walk(folder, enter=enter, unlistable=unlistable):
            found = self._found(folders[os.path.dirname(path)], path)
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
        state = self._start(current)
        for name in parts[:-1]:
            current = os.path.join(current, name)
            state = self._step(state, current)
            if state is None:
                return False
        return self._found(state, os.path.join(current, parts[-1])) == ""

    def _start(self, folder: str) -> tuple:
        """The walk's state in the folder it starts from: everything is looked at; excluded or not."""
        relative = self.relative(folder) if self.exclude else None
        return False, (self._over(relative) if relative not in (None, ".") else None)

    def _step(self, state: tuple, path: str) -> Optional[tuple]:
        """The walk's state in the subfolder `path` of a folder in `state`; None: not entered."""
        above_narrow, above_glob = state
        name = os.path.basename(path)
        narrow = above_narrow or named_only(name)
        if name in NEVER_WALKED or (narrow and not self._reaches(path)):
            return None
        relative = self.relative(path) if self.exclude and above_glob is None else None
        return narrow, above_glob or (self._excluding(relative) if relative else None)

    def _found(self, state: tuple, path: str) -> Optional[str]:
        """For a file in a folder in `state`: None when it is no candidate, else the `exclude`
        glob that leaves it out, or "" when it is kept."""
        narrow, glob = state
        if self.kind_of(path) is None and (narrow or not path.lower().endswith(DOCUMENT_SUFFIXES)):
            return None
        relative = self.relative(path) if self.exclude and glob is None else None
        return glob or (next((g for g in self.exclude if _matches(g, relative)), "") if relative else "")

    def _over(self, folder: str) -> Optional[str]:
        """The `exclude` glob that matches the root-relative `folder` or one above it."""
        parts = folder.split("/") if folder else []
        return next((glob for depth in range(1, len(parts) + 1)
                     for glob in [self._excluding("/".join(parts[:depth]))] if glob), None)

    def _excluding(self, folder: str) -> Optional[str]:
        """The `exclude` glob that matches the root-relative `folder` itself (`docs`, `docs/`)."""
        return next((g for g in self.exclude if _matches(g, folder) or _matches(g, folder + "/")), None)

    def _reaches(self, folder: str) -> bool:
        """Whether a `documents` glob may match a file below `folder` and names each hidden or
        tool folder on the way with its own name (not with a wildcard)."""
        relative = self.relative(folder)
        if relative is None or relative == ".":
            return False
        parts = relative.split("/")
        return any(_may_hold(glob.split("/"), parts) for _, globs in self.kinds for glob in globs if "/" in glob)


def _matches(glob: str, relative: str) -> bool:
    """`glob` against a root-relative path; a glob without `/` (but a last one) against the last name."""
    if "/" not in glob.rstrip("/"):
        tail = "/" if relative.endswith("/") else ""
        relative = relative.rstrip("/").rsplit("/", 1)[-1] + tail
    return glob_regex(glob).search(relative)


def _may_hold(segments: list, folders: list) -> bool:
    """Whether a glob split at `/` may match a file below the folder path `folders`."""
    def closure(states: set) -> set:  # a `**` may also match no folder
        pending = list(states)
        while pending:
            index = pending.pop()
            if index < len(segments) and "**" in segments[index] and index + 1 not in states:
                states.add(index + 1)
                pending.append(index + 1)
        return states

    states = closure({0})
    for name in folders:
        narrow = named_only(name)
        following = set()
        for index in states:
            if index >= len(segments):
                continue
            segment = segments[index]
            if "**" in segment:
                if not narrow:
                    following.add(index)
            elif glob_regex(segment).search(name) and not (narrow and segment[0] in "*?"):
                following.add(index + 1)
        states = closure(following)
        if not states:
            return False
    return any(index < len(segments) for index in states)
