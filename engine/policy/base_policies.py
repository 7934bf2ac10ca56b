"""Where a pull-request run's configuration and policies come from: the pull request's base commit.

On a pull request the working tree is the pull request's own: read from there, `.policy.yaml`
and the team's policy files would let a PR switch a rule off, add a waiver or its author to
`data.admins`, drop the pack or rewind `clock`, and be judged by its own weakened rules. So a
pull-request run (an event whose `pull_request.base.sha` names the base) reads the configuration
and every local policy file it names from that commit with git, never from the working tree,
and never falls back to it: a base commit missing from the clone (a shallow checkout) is one
line and exit 2 saying how to fetch it. The documents still come from the working tree (they
are what is judged); built-in packs from the installed package. `--policy-from working-tree`
is for a local run that wants its edited policies (policy_sources.py).

The files read are written to a private temporary folder for the loader and named
`<commit>:<path>` in messages, as `git show` names them. policy_changes.py compares them with
the working tree.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from pathlib import Path, PurePosixPath
from typing import Optional

from ..documents.git import GitError
from ..documents.git import work_tree_top
from ..documents.git_tree import TreeEntry, blob, has_commit, is_commit_id, relative_to_top, tree_entries
from ..files import shown_path
from ..limits import MAX_BASE_POLICY_FILES, MAX_YAML_BYTES
from ..located_yaml import YamlError, load_yaml_bytes
from .config import BUILTIN_PREFIX
from .inputs import InputError, RunInputs, event_path, git_folder
from .policy_sources import BASE, WORKING_TREE
from .loader import is_policy_file
from .model import LocatedError, PolicyError
from .structure import CONFIG_FILE_NAMES


def base_commit(inputs: RunInputs) -> Optional[str]:
    """The commit whose configuration and policies judge the run, or None to read the working
    tree: the event's base commit in a pull-request run unless `--policy-from working-tree`."""
    sha = _event_base_sha(inputs)
    if inputs.policy_from == WORKING_TREE:
        return None
    if inputs.policy_from == BASE and sha is None:
        raise InputError("--policy-from base needs a pull request's event whose pull_request.base.sha names "
                         "the base commit (--github-event F)")
    return sha


def _event_base_sha(inputs: RunInputs) -> Optional[str]:
    from ..documents.github import EventError, read_event

    path = event_path(inputs)
    if not path:
        return None
    try:
        event = read_event(path)
    except (EventError, OSError) as error:
        raise InputError(str(error)) from None
    base = event.data["pull_request"].get("base")
    sha = base.get("sha") if isinstance(base, dict) else None
    if sha is None:
        return None
    if not is_commit_id(sha):
        raise InputError(f"{path}: pull_request.base.sha must be a commit id (40 hexadecimal digits); found {sha!r}")
    return sha


def fetch_advice(sha: str) -> str:
    """The one line a run prints when the base commit is not in the clone."""
    return (f"the pull request's base commit {sha} is not in this clone, and a pull-request run reads its "
            f"configuration and policies from it, never from the pull request's own files: fetch it with "
            f"`git fetch --no-tags --depth=1 origin {sha}` and run again")


class BaseSnapshot:
    """The configuration and local policy files of the base commit, as read for one run."""

    def __init__(self, sha: str, top: str):
        self.sha, self.top = sha, top
        self.config_rel: Optional[str] = None     # the configuration in the base, None: the defaults
        self.config_path: Optional[Path] = None   # where it sits in the working tree (anchors `documents`)
        self.config_named = False                 # named by --config (else the nearest to the first PATH)
        self.loaded = None                        # its LoadedYaml
        self.files: dict = {}                     # path in the base -> bytes: the configuration and policy files
        self._folder = tempfile.TemporaryDirectory(prefix="hotfix-policy-base-")  # removed with the snapshot

    @property
    def short(self) -> str:
        return self.sha[:7]

    def shown(self, rel: str) -> str:
        return f"{self.short}:{rel}"

    @property
    def policy_directory(self) -> Path:
        """The copy of the configuration's folder: relative policy paths are read from there."""
        folder = posixpath.dirname(self.config_rel or "")
        return Path(self._folder.name, *PurePosixPath(folder).parts)

    def shown_of(self, path) -> str:
        """A loaded file's name: `<commit>:<path>` for the base's files, else as usual."""
        relative = os.path.relpath(os.path.abspath(path), self._folder.name)
        if relative.startswith(os.pardir):
            return shown_path(path)
        return self.shown(relative.replace(os.sep, "/"))

    def read(self, rel: str) -> Optional[bytes]:
        """A file of the base commit (None when absent or not a regular file), read once."""
        if rel not in self.files:
            entries = [e for e in tree_entries(self.sha, [rel], self.top, recursive=False) if e.path == rel]
            self.files[rel] = self._bytes(entries[0]) if entries and entries[0].is_file else None
        return self.files[rel]

    def _bytes(self, entry: TreeEntry) -> bytes:
        if entry.size > MAX_YAML_BYTES:
            raise PolicyError([LocatedError(self.shown(entry.path), None, f"file is {entry.size:,} bytes, over "
                                                                         f"the size limit of {MAX_YAML_BYTES:,} bytes")])
        return blob(entry.oid, self.top)

    def copy(self, entry: TreeEntry) -> None:
        """Write a file of the base into the copy the loader reads."""
        target = Path(self._folder.name, *PurePosixPath(entry.path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.files.setdefault(entry.path, self._bytes(entry)))


def read_base(inputs: RunInputs, sha: str, config_arg: Optional[str]) -> BaseSnapshot:
    """The base commit's configuration (the nearest to the first PATH, or `--config`) with the
    local policy files it names copied for loading; InputError or PolicyError: exit 2."""
    folder = git_folder(inputs) or os.getcwd()
    top = work_tree_top(folder)
    if top is None:
        raise InputError(f"a pull-request run reads its configuration and policies from the base commit "
                         f"{sha[:7]} with git, but {folder} is not in a git work tree")
    if not has_commit(sha, top):
        raise InputError(fetch_advice(sha))
    snapshot = BaseSnapshot(sha, top)
    try:
        _read_configuration(snapshot, folder, config_arg)
    except GitError as error:
        raise InputError(f"reading the base commit {sha[:7]}: {error}") from None
    return snapshot


def _read_configuration(snapshot: BaseSnapshot, folder: str, config_arg: Optional[str]) -> None:
    if config_arg:
        snapshot.config_named = True
        rel = relative_to_top(config_arg, snapshot.top)
        if rel is None:
            raise InputError(f"--config {config_arg} is outside the repository; a pull-request run reads its "
                             "configuration from the base commit: name one inside the repository")
        if snapshot.read(rel) is None:
            raise PolicyError([LocatedError(snapshot.shown(rel), None, "no such configuration file in the pull "
                                                                       "request's base commit")])
    else:
        rel = _nearest_configuration(snapshot, folder)
        if rel is None:
            return
    snapshot.config_rel = rel
    snapshot.config_path = Path(shown_path(Path(snapshot.top, *PurePosixPath(rel).parts)))
    try:
        snapshot.loaded = load_yaml_bytes(snapshot.read(rel), snapshot.shown(rel))
    except YamlError as error:
        raise PolicyError([LocatedError(snapshot.shown(rel), error.span, error.message)]) from None
    _copy_named_policies(snapshot)


def _nearest_configuration(snapshot: BaseSnapshot, folder: str) -> Optional[str]:
    """The base's configuration at or above `folder`, up to the repository's top (above it
    nothing is the repository's)."""
    start = relative_to_top(folder, snapshot.top) or ""
    levels = [start]
    while levels[-1]:
        levels.append(posixpath.dirname(levels[-1]))
    for level in levels:
        for name in CONFIG_FILE_NAMES:
            if snapshot.read(posixpath.join(level, name)) is not None:
                return posixpath.join(level, name)
    return None


def named_policy_paths(loaded, config_rel: str, shown) -> tuple:
    """(paths, errors): the repository paths of the local packs and `policies` a loaded
    configuration names, and an error at each that leaves the repository."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    folder = posixpath.dirname(config_rel)
    paths, errors = [], []
    for key in ("packs", "policies"):
        entries = data.get(key) if isinstance(data.get(key), list) else []
        for index, entry in enumerate(entries):
            if not isinstance(entry, str) or entry.startswith(BUILTIN_PREFIX):
                continue
            rel = posixpath.normpath(posixpath.join(folder, entry.replace("\\", "/")))
            if posixpath.isabs(entry) or os.path.isabs(entry) or rel == ".." or rel.startswith("../"):
                errors.append(LocatedError(shown, loaded.span_of((key, index)),
                                           f"{key}: {entry} is outside the repository; a pull-request run reads "
                                           "policies from the base commit: keep them in the repository"))
            else:
                paths.append(rel)
    return paths, errors


def in_named_path(path: str, named: str) -> bool:
    """Whether a file at `path` is loaded for the named file or folder `named`."""
    if path == named:
        return True
    prefix = "" if named == "." else f"{named}/"
    return path.startswith(prefix) and is_policy_file(PurePosixPath(path[len(prefix):]))


def _copy_named_policies(snapshot: BaseSnapshot) -> None:
    named, errors = named_policy_paths(snapshot.loaded, snapshot.config_rel, snapshot.shown(snapshot.config_rel))
    if errors:
        raise PolicyError(errors)
    entries = [e for e in tree_entries(snapshot.sha, named, snapshot.top)
               if e.is_file and any(in_named_path(e.path, n) for n in named)]
    if len(entries) > MAX_BASE_POLICY_FILES:
        raise PolicyError([LocatedError(snapshot.shown(snapshot.config_rel), None,
                                        f"the policies it names hold {len(entries):,} files in the base commit, "
                                        f"over the limit of {MAX_BASE_POLICY_FILES:,}")])
    for entry in entries:
        snapshot.copy(entry)
