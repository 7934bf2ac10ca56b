"""Where a run's documents are, for the formats: `DocumentInfo` per document, built from the
run's `Document`s and the checkout they were read from.

Code scanning places a result in a file of the checkout, by a path relative to the checkout's
root (the git work tree's top, as `actions/checkout` lays it out), whatever folder `policy
check` ran in. A document is such a file only when its lines are the file's: a PR body read
from an event file is not (the event lives in the runner's temp folder, and the body's lines are
not the event file's). A commit or tag has no file, but it names its incident (`Incident: #N`,
the key `docs.by_incident` joins on): its findings are placed at that incident's record, at its
number, when the run read the record.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path

from ..documents.git import work_tree_top
from ..documents.schemas import load_schema
from ..kinds import incident_number, kind_named
from .model import DocumentInfo, Place, is_file_path

INCIDENT = "incident"


def checkout_root(fallback) -> str:
    """The folder SARIF paths are relative to: the top of the git work tree the command runs in,
    else `fallback` (the run's root: the configuration's folder, else the working directory)."""
    return os.path.realpath(work_tree_top(None) or fallback)


def document_infos(documents: list, context: list = (), *, root, files: dict | None = None) -> dict:
    """path -> DocumentInfo for every judged document, and for `files` (path -> kind name, such as
    the configuration, whose findings name it); `context` documents are only candidates for a
    commit's or tag's incident record."""
    checkout = _Checkout(os.path.realpath(root))
    records = _incident_records(list(documents) + list(context), checkout)
    infos = {path: DocumentInfo(kind=kind, id=path, file=checkout.file(path)) for path, kind in (files or {}).items()}
    for document in documents:
        own = None if _from_event(document) else checkout.file(document.path)
        if own is None and not document.read and not document.read_in_full:
            own = _unread_file(document.path, checkout.root)
        record = None
        if own is None and not is_file_path(document.path) and document.read:
            record = records.get(incident_number(document.kind, document.data))
        infos[document.path] = DocumentInfo(kind=document.kind or "", id=document.id or document.path,
                                            file=own, record=record)
    return infos


def checkout_file(path: str, root: str) -> str | None:
    """`path` relative to `root` with `/` separators, links resolved (code scanning cannot show a
    result in a link); None when it is no regular file below `root`."""
    if not is_file_path(path) or path == "-" or not os.path.isfile(path):
        return None
    return _below(os.path.realpath(path), root)


def _unread_file(path: str, root: str) -> str | None:
    """Where a file of the checkout that could not be read (DOC003: a link leading outside the
    root or in a loop, a FIFO) is shown: at its own name, not resolved. Its error fails the run,
    so code scanning must show it; a folder or what is not below `root` is not placed."""
    if not is_file_path(path) or path == "-" or not os.path.lexists(path) or os.path.isdir(path):
        return None
    folder, name = os.path.split(os.path.abspath(path))
    return _below(os.path.join(os.path.realpath(folder), name), root)


def _below(real: str, root: str) -> str | None:
    """The real path `real` relative to `root`, or None when it is not below it."""
    inside = root if root.endswith(os.sep) else root + os.sep
    if real.startswith(inside):  # both real paths, so the rest is the relative path (a run's every file)
        return real[len(inside):].replace(os.sep, "/")
    try:
        if os.path.commonpath([real, root]) != root:
            return None
    except ValueError:  # another drive
        return None
    return Path(os.path.relpath(real, root)).as_posix()


class _Checkout:
    """`checkout_file` for the many paths of one run, each path and each folder resolved once
    (a run of 1,000 records resolved every folder of every path twice: a tenth of its report)."""

    def __init__(self, root: str):
        self.root = root
        self._files: dict = {}
        self._folders: dict = {}

    def file(self, path: str) -> str | None:
        if path not in self._files:
            self._files[path] = self._resolved(path)
        return self._files[path]

    def _resolved(self, path: str) -> str | None:
        if not is_file_path(path) or path == "-":
            return None
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):  # a link (resolved in full) or no regular file
            return checkout_file(path, self.root) if stat.S_ISLNK(info.st_mode) else None
        folder, name = os.path.split(path)
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(folder or ".")
        return _below(os.path.join(self._folders[folder], name), self.root)


def _incident_records(documents: list, checkout: _Checkout) -> dict:
    """incident number -> the Place of its number in the first record (by path) in the checkout."""
    records: dict = {}
    number_path = kind_named(INCIDENT).incident_number
    for document in sorted((d for d in documents if d.kind == INCIDENT and d.read), key=lambda d: d.path):
        number = incident_number(INCIDENT, document.data)
        file = checkout.file(document.path) if number is not None and number not in records else None
        if file is not None:
            records[number] = Place(file, document.span_of(number_path))
    return records


def _from_event(document) -> bool:
    """Whether the document holds values read from a GitHub event: its path then names the event
    file, whose lines are not the document's."""
    return document.kind is not None and any(key in document.data for key in _event_keys(document.kind))


@cache
def _event_keys(kind: str) -> frozenset:
    """The top-level keys of a kind's documents that only an event fills (`x-source: {event}`)."""
    properties = load_schema(kind).get("properties", {})
    return frozenset(name for name, prop in properties.items()
                     if isinstance(prop.get("x-source"), dict) and "event" in prop["x-source"])
