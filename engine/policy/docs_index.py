"""What rules see as `docs`, kept current one document at a time.

`docs` is every kind's documents (an empty list when none) and `docs.by_incident`: incident
number -> {kind: [documents that are or name it]}. The incident number is the workflow's join
key (a PR's Incident Reference, a review's Incident, a commit's or tag's `Incident: #N`; where
each kind keeps it is the registry's `Kind.incident_number`); indexing it once keeps
cross-document rules linear in the number of documents.

A `policy check` builds the binding once (`DocsIndex.of`). The editor's index replaces one
document's entry per change (`replaced`): the lists and the one or two incident entries that
change are copied, nothing is read again from the other documents, and the index it came from
stays as it was (a check running on another thread keeps reading the binding it was given).
Each document has a sort key; the lists keep the documents in key order, which is the order a
`policy check` of the same files reads them in.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Optional

from ..kinds import INCIDENT_LINKED_KINDS, KINDS, incident_number


class DocsIndex:
    __slots__ = ("binding", "_keys", "_linked", "_filed")

    filed = 0
    """Documents filed into any binding by this process (all of them when one is built): a test
    tells a binding kept per change from one rebuilt per edit by this count, not by timing."""

    def __init__(self, binding: dict, keys: dict, linked: dict, filed: dict):
        self.binding = binding  # `docs`; never changed once made
        self._keys = keys       # kind -> the sort keys of binding[kind], in the same order
        self._linked = linked   # number -> kind -> the sort keys of by_incident[number][kind]
        self._filed = filed     # sort key -> (document, its incident number or None)

    @classmethod
    def of(cls, documents: list, keys: Optional[list] = None) -> "DocsIndex":
        """The index of `documents` in their order; their sort keys are `keys` (ascending) or
        their positions."""
        binding: dict = {kind: [] for kind in KINDS}
        sorted_keys: dict = {kind: [] for kind in KINDS}
        by_incident: dict = {}
        linked: dict = {}
        filed: dict = {}
        for position, document in enumerate(documents):
            if not (document.kind and document.read):
                continue
            key = position if keys is None else keys[position]
            kind, data = document.kind, document.data
            binding.setdefault(kind, []).append(data)
            sorted_keys.setdefault(kind, []).append(key)
            number = incident_number(kind, data)
            if number is not None:
                _entry(by_incident, number)[kind].append(data)
                _entry(linked, number)[kind].append(key)
            filed[key] = (document, number)
        binding["by_incident"] = by_incident
        DocsIndex.filed += len(filed)
        return cls(binding, sorted_keys, linked, filed)

    def replaced(self, key, document) -> "DocsIndex":
        """This index with the document at `key` replaced by `document` (added when there was
        none; removed when `document` is None or not a document rules read)."""
        old = self._filed.get(key)
        counts = document is not None and document.kind and document.read
        if old is None and not counts:
            return self
        binding, keys = dict(self.binding), dict(self._keys)
        by_incident, linked, filed = dict(binding["by_incident"]), dict(self._linked), dict(self._filed)
        firsts = {number: _first(linked, number) for number in _numbers(old, document)}
        if old is not None:
            kind, number = old[0].kind, old[1]
            at = bisect_left(keys[kind], key)
            binding[kind] = binding[kind][:at] + binding[kind][at + 1:]
            keys[kind] = keys[kind][:at] + keys[kind][at + 1:]
            if number is not None:
                entry, entry_keys = dict(by_incident[number]), dict(linked[number])
                at = bisect_left(entry_keys[kind], key)
                entry[kind] = entry[kind][:at] + entry[kind][at + 1:]
                entry_keys[kind] = entry_keys[kind][:at] + entry_keys[kind][at + 1:]
                by_incident[number], linked[number] = entry, entry_keys
            del filed[key]
        if counts:
            kind, data = document.kind, document.data
            at = bisect_left(keys.get(kind, ()), key)
            binding[kind] = _inserted(binding.get(kind, []), at, data)
            keys[kind] = _inserted(keys.get(kind, []), at, key)
            number = incident_number(kind, data)
            if number is not None:
                entry = dict(by_incident[number]) if number in by_incident else _entry({}, number)
                entry_keys = dict(linked[number]) if number in linked else _entry({}, number)
                at = bisect_left(entry_keys[kind], key)
                entry[kind] = _inserted(entry[kind], at, data)
                entry_keys[kind] = _inserted(entry_keys[kind], at, key)
                by_incident[number], linked[number] = entry, entry_keys
            filed[key] = (document, number)
        for number in firsts:
            if not any(linked[number].values()):  # no document names it any more: as if never seen
                del by_incident[number], linked[number]
        if any(_first(linked, number) != first for number, first in firsts.items()):
            # numbers are listed in the order of their first document, as a fresh index lists them
            order = sorted((_first(linked, number), number) for number in linked)
            by_incident = {number: by_incident[number] for _, number in order}
            linked = {number: linked[number] for _, number in order}
        binding["by_incident"] = by_incident
        DocsIndex.filed += 1 if counts else 0
        return DocsIndex(binding, keys, linked, filed)

    def documents(self) -> list:
        """The documents filed, in key order."""
        return [self._filed[key][0] for key in sorted(self._filed)]


def _entry(index: dict, number) -> dict:
    entry = index.get(number)
    if entry is None:
        entry = index[number] = {kind: [] for kind in INCIDENT_LINKED_KINDS}
    return entry


def _numbers(old: Optional[tuple], document) -> set:
    """The incident numbers whose entries a replacement may touch."""
    numbers = {old[1]} if old is not None else set()
    if document is not None and document.kind and document.read:
        numbers.add(incident_number(document.kind, document.data))
    return numbers - {None}


def _first(linked: dict, number):
    """The smallest sort key among the documents filed under `number` (None when none is)."""
    entry = linked.get(number)
    return min((keys[0] for keys in entry.values() if keys), default=None) if entry else None


def _inserted(items: list, at: int, item) -> list:
    return items[:at] + [item] + items[at:]
