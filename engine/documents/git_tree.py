"""Files of a commit, read without checking it out: what a pull-request run needs to read the
configuration and policies of the pull request's base commit (`engine/policy/base_policies.py`).

Format plumbing only: `git ls-tree` lists paths (literal pathspecs, so a `*` in a name is a
name) with their sizes, and a blob is read by its object id only when it is within the caller's
limit, so a huge file in the base is never loaded to be refused.
"""

from __future__ import annotations

import os
from typing import NamedTuple, Optional

from .git import GitError, git_bytes

_SHA = frozenset("0123456789abcdef")


class TreeEntry(NamedTuple):
    path: str          # relative to the repository's top, "/" separated
    mode: str          # 100644, 100755 (a file), 120000 (a symbolic link), 160000 (a submodule)
    oid: str
    size: int          # -1 when git gives none (a submodule)

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


def is_commit_id(value: str) -> bool:
    """Whether `value` is a full SHA-1 or SHA-256 object name (what GitHub's events carry)."""
    return isinstance(value, str) and len(value) in (40, 64) and set(value) <= _SHA


def has_commit(sha: str, top: str) -> bool:
    """Whether the commit is in this clone (a shallow clone holds only what it fetched)."""
    try:
        git_bytes(["cat-file", "-e", f"{sha}^{{commit}}"], top)
    except GitError:
        return False
    return True


def tree_entries(sha: str, paths: list, top: str, recursive: bool = True) -> list:
    """The entries of the commit at `paths` (relative to the top): each file, and with
    `recursive` every file under each folder."""
    if not paths:
        return []
    args = ["--literal-pathspecs", "ls-tree", "-l", "-z", "--full-tree"] + (["-r"] if recursive else [])
    output = git_bytes(args + [sha, "--", *paths], top)
    entries = []
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.split()
        if kind == b"tree":
            continue
        entries.append(TreeEntry(name.decode("utf-8", "surrogateescape"), mode.decode(), oid.decode(),
                                 int(size) if size.isdigit() else -1))
    return entries


def blob(oid: str, top: str) -> bytes:
    """A blob's bytes (the caller has checked its size)."""
    return git_bytes(["cat-file", "blob", oid], top)


def relative_to_top(path, top: str) -> Optional[str]:
    """`path` relative to the work tree's top, "/" separated ("" for the top itself), or None
    when it lies outside (links resolved on both sides, as git sees the tree)."""
    real, real_top = os.path.realpath(path), os.path.realpath(top)
    try:
        if os.path.commonpath([real, real_top]) != real_top:
            return None
    except ValueError:  # another drive
        return None
    relative = os.path.relpath(real, real_top)
    return "" if relative == "." else relative.replace(os.sep, "/")
