"""A run cache entry's lines, written and read back (run_cache.py keys, reads and writes them).

An entry is lines of compact JSON (which escapes every line break inside a string), so a reader
decodes only the lines it needs:

- the header: key, the run's `now`, until when its findings hold, what git was asked, and how
  many verdict and document lines follow;
- the outcome, in three lines: its findings; its facts (counts, notes on finding the files, each
  document's placement); the masked text of each document a finding names;
- the workspace policies' verdict, then one line per judged document's verdict;
- the documents (`StoredDocument`): a line saying which are judged, which are context and which
  are other pull requests' bodies, then one line per document.

The last line is the checksum of the others (run_cache.py writes and checks it).

Everything but the findings and the verdicts follows from the run's inputs alone, which the key
covers: a run past the entry's time keeps those lines as they were (rejudge.py).

Lines are written and read by orjson (`line`, `read_line`), at several times json's speed (a
1,000-record entry's findings: 16 ms with json, 4 with orjson). Document lines are json's: their
`data` may hold a float that is not finite, which orjson would write as null, and times that
`data_hook` reads back, which only json can call.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Optional

import orjson

from ..documents.cache import repeats_a_secret
from ..documents.discovery import Excluded
from ..documents.secrets import names_hold_a_secret
from ..documents.stored import DAMAGED, Unstorable, data_hook, value_to_data
from ..policy.document_files import Discovered
from ..policy.verdicts import Verdict
from ..report.model import DocumentInfo, Place
from .outcome import RunOutcome
from .stored_values import count, finding_from, finding_to, moment, shaped, span_of, text

DAMAGED_ENTRY = (*DAMAGED, AttributeError)
"""What reading an entry's lines back raises when the entry is damaged (a stored document's
errors, and a line of another shape): the entry is then a miss."""
_DATA_DECODER = json.JSONDecoder(object_hook=data_hook)
"""Document lines hold `data` with its times and durations marked (documents/stored.py)."""
_JSON_LINES = json.JSONEncoder(separators=(",", ":"))
"""json's encoder for every document line and what orjson refuses (`json.dumps` with options
makes one per call)."""


def line(value) -> bytes:
    """One line of an entry (UTF-8). What orjson refuses, a lone surrogate from an undecodable
    file name, json writes (escaped)."""
    try:
        return orjson.dumps(value, default=_as_list)
    except orjson.JSONEncodeError:
        return _JSON_LINES.encode(value).encode("ascii")


def _as_list(value) -> list:
    if isinstance(value, tuple):  # a span: orjson writes plain tuples only
        return list(value)
    raise TypeError(f"a value of type {type(value).__name__}")


def read_line(stored: bytes):
    """One line as `line` wrote it; orjson refuses a lone surrogate's escape, which json reads.
    An integer past 64 bits (no line holds one) would read back as a float, which every reader's
    type check refuses: a miss, never another value."""
    try:
        return orjson.loads(stored)
    except orjson.JSONDecodeError:
        return json.loads(stored)


def outcome_lines(outcome: RunOutcome) -> list:
    """The outcome's three lines: findings, facts, sources."""
    named = {finding.path for finding in outcome.findings}
    facts = {"documents": outcome.documents, "written": outcome.written, "context": outcome.context,
             "excluded": [[e.path, e.glob, e.folder] for e in outcome.discovered.excluded],
             "empty_folders": [list(folder) for folder in outcome.discovered.empty_folders],
             "docs": {path: [info.kind, info.id, info.file, info.record and [info.record.path, info.record.span]]
                      for path, info in outcome.docs.items()},
             "event_files": outcome.event_files}
    return [findings_line(outcome.findings), line(facts), sources_line(outcome.sources, named)]


def findings_line(findings: list) -> bytes:
    return line([finding_to(finding) for finding in findings])


def sources_line(sources: dict, named: set) -> bytes:
    # no format reads the text of a document no finding names (report/)
    return line({path: source if path in named else None for path, source in sources.items()})


def outcome_from(findings: bytes, facts: bytes, sources: bytes) -> RunOutcome:
    """The outcome `outcome_lines` wrote; ValueError, TypeError, KeyError or IndexError for
    anything else."""
    return with_findings(facts_from(facts), sources_from(sources), findings_from(findings))


def findings_from(stored: bytes) -> list:
    items = read_line(stored)
    shaped(items, list)
    return [finding_from(item) for item in items]


def sources_from(stored: bytes) -> dict:
    sources = read_line(stored)
    shaped(sources, dict)
    return {text(path): text(source, True) for path, source in sources.items()}


def facts_from(stored: bytes) -> RunOutcome:
    """The outcome's facts, without findings or sources."""
    data = read_line(stored)
    shaped(data, dict)
    for part in ("excluded", "empty_folders", "event_files"):
        shaped(data[part], list)
    shaped(data["docs"], dict)
    discovered = Discovered(excluded=[Excluded(text(path), text(glob), text(folder, True))
                                      for path, glob, folder in data["excluded"]],
                            empty_folders=[(text(folder), count(read), count(left_out))
                                           for folder, read, left_out in data["empty_folders"]])
    docs = {text(path): DocumentInfo(text(kind), text(id_), text(file, True),
                                     None if record is None else Place(text(record[0]), span_of(record[1])))
            for path, (kind, id_, file, record) in data["docs"].items()}
    return RunOutcome(findings=[], documents=count(data["documents"]), written=count(data["written"]),
                      context=count(data["context"]), discovered=discovered, sources={}, docs=docs,
                      event_files=[text(path) for path in data["event_files"]])


def with_findings(facts: RunOutcome, sources: dict, findings: list) -> RunOutcome:
    return replace(facts, findings=findings, sources=sources)


def verdict_line(verdict: Optional[Verdict]) -> bytes:
    if verdict is None:
        return line(None)
    return line([verdict.path, [finding_to(finding) for finding in verdict.findings], verdict.judged_at.isoformat(),
                 None if verdict.valid_until is None else verdict.valid_until.isoformat()])


def verdict_from(stored: bytes, about_itself: bool) -> Optional[Verdict]:
    """A verdict (None: the line says none); a document's holds findings about that document
    only (the workspace's, about any)."""
    item = read_line(stored)
    if item is None and not about_itself:
        return None
    shaped(item, list)
    path, findings, judged_at, valid_until = item
    shaped(findings, list)
    decoded = tuple(finding_from(finding) for finding in findings)
    if about_itself and any(finding.path != path for finding in decoded):
        raise ValueError("a document's verdict with a finding about another file")
    return Verdict(text(path), decoded, moment(judged_at), moment(valid_until, True))


class StoredDocument:
    """A document as an entry keeps it: what judging reads of a document it does not judge
    (`check.judgement`: its own findings, its authors in `data`; the evaluator: kind, id, path,
    `data` for `docs`, the title a workspace finding about it points at). No text, spans or
    placeholders: a document judged again is read back whole from the extraction cache."""

    __slots__ = ("path", "kind", "id", "read", "title", "findings", "data")

    def __init__(self, path: str, kind: Optional[str], id_: Optional[str], read: bool, title, findings: list,
                 data: dict):
        self.path, self.kind, self.id, self.read, self.title, self.findings, self.data = \
            path, kind, id_, read, title, findings, data


def document_lines(documents: list, context: list, other_pull_requests: list) -> Optional[list]:
    """The lines of a run's documents (its judged ones, then those read as context), or None
    when one cannot be kept exactly (a value of no known type) or its line would repeat a
    secret found in its text or held in its name."""
    if names_hold_a_secret(name for document in (*documents, *context) for name in (document.path, document.id or "")):
        return None
    others = [index for index, document in enumerate(documents) if any(document is o for o in other_pull_requests)]
    lines = [line([len(documents), len(context), others])]
    try:
        for document in (*documents, *context):
            stored = _JSON_LINES.encode([
                document.path, document.kind, document.id, document.read,
                None if document.title is None else list(document.title),
                [finding_to(finding) for finding in document.findings], value_to_data(document.data)]).encode("ascii")
            if document.secrets and repeats_a_secret(stored.decode("ascii"), document):
                return None
            lines.append(stored)
    except (Unstorable, TypeError, ValueError, RecursionError):
        return None
    return lines


def documents_from(layout: bytes, stored: list) -> tuple:
    """(documents, context, the indexes in documents of other pull requests' bodies) as
    `document_lines` wrote them; the errors of `outcome_from` for anything else."""
    judged, context, others = read_line(layout)
    if count(judged) + count(context) != len(stored):
        raise ValueError("not the documents the entry says")
    shaped(others, list)
    read = [_document_from(_DATA_DECODER.decode(item.decode("ascii"))) for item in stored]
    if not all(type(index) is int and 0 <= index < judged for index in others):
        raise ValueError("not a document's index")
    return read[:judged], read[judged:], others


def _document_from(item) -> StoredDocument:
    shaped(item, list)
    path, kind, id_, read, title, findings, data = item
    shaped(findings, list)
    shaped(data, dict)
    if type(read) is not bool:
        raise TypeError("not true or false")
    return StoredDocument(text(path), text(kind, True), text(id_, True), read, span_of(title),
                          [finding_from(finding) for finding in findings], data)
