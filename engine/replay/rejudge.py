"""A run past its run cache entry's time, judged from the entry: only the documents whose
verdict ran out are read back and judged again.

Under one key a run reads the same bytes, so all it knows of its documents but the rules'
findings is what the stored run knew: each document's kind, id, own findings, `data` (what
`docs` lists), title (where a workspace finding about it points), and the outcome's parts that
follow from the documents (counts, placements, masked texts). Such a run reads back from the
extraction cache only the documents it judges again, gives `check.judgement` the others as the
entry keeps them (`entry.StoredDocument`), and keeps the stored outcome but for its findings.
Reading every document back was a third of such a run (benchmarks/README.md, Scale).

It gives up, and the caller judges as if the entry kept no documents, when what it needs is not
where the entry says: a document judged again that the run no longer finds as it was stored, or
a finding about a document whose masked text the entry does not hold.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple, Optional

from ..policy import check
from ..policy.check import Gathered
from ..policy.config import Config
from ..policy.inputs import RunInputs, file_documents
from ..policy.model import PolicySet
from ..policy.verdicts import Verdicts
from .entry import DAMAGED_ENTRY, documents_from, facts_from, findings_line, sources_from, sources_line, with_findings
from .outcome import RunOutcome, masked_text


class StoredRun:
    """The lines of an entry past its time that follow from the run's inputs alone (entry.py):
    kept as read, decoded only when the run is judged from them."""

    def __init__(self, facts: bytes, sources: bytes, documents: list, asked: Optional[tuple]):
        self.facts, self.sources, self.documents, self.asked = facts, sources, documents, asked
        self._sources_read: Optional[dict] = None

    def sources_read(self) -> dict:
        if self._sources_read is None:
            self._sources_read = sources_from(self.sources)
        return self._sources_read

    def outcome_lines(self, outcome: RunOutcome) -> list:
        """The lines of an outcome judged from this entry: its findings anew, its facts as read,
        its sources as read unless they changed."""
        named = {finding.path for finding in outcome.findings}
        sources = self.sources if outcome.sources == self.sources_read() else sources_line(outcome.sources, named)
        return [findings_line(outcome.findings), self.facts, sources]


class JudgedAgain(NamedTuple):
    outcome: RunOutcome
    valid_until: Optional[datetime]  # as check.Judgement's
    verdicts: Verdicts


def judged_again(stored: StoredRun, earlier: Verdicts, gathered: Gathered, inputs: RunInputs, config: Config,
                 policies: PolicySet) -> Optional[JudgedAgain]:
    """The run judged from the entry (see the module), or None when it cannot be; the errors of
    `entry.outcome_from` are None too."""
    try:
        documents, context, others = documents_from(stored.documents[0], stored.documents[1:])
        facts = facts_from(stored.facts)
        sources = stored.sources_read()
    except DAMAGED_ENTRY:
        return None
    now = gathered.now
    subjects = [index for index, document in enumerate(documents) if document.kind and document.read]
    if len(subjects) != len(earlier.documents) or \
            any(documents[index].path != verdict.path for index, verdict in zip(subjects, earlier.documents)):
        return None
    again = [index for index, verdict in zip(subjects, earlier.documents) if not verdict.holds_at(now)]
    read = _read_again([documents[index] for index in again], gathered, inputs, config)
    if read is None:
        return None
    for index, document in zip(again, read):
        documents[index] = document
    judged = check.judgement(documents, gathered.ctx, now, config, policies, workers=os.cpu_count() or 1,
                             context=context, other_pull_requests=[documents[index] for index in others],
                             earlier=earlier)
    named = {finding.path for finding in judged.findings}
    texts = {document.path: masked_text(document) for document in read}
    patched = {path: (source if source is not None else texts.get(path)) if path in named else None
               for path, source in sources.items()}
    if any(patched[path] is None for path in named if path in patched):
        return None
    return JudgedAgain(with_findings(facts, patched, judged.findings), judged.valid_until, judged.verdicts)


def _read_again(stored: list, gathered: Gathered, inputs: RunInputs, config: Config) -> Optional[list]:
    """The documents the entry keeps as `stored`, read whole: from their files (through the
    extraction cache) or as the run gave them (an event's body, commits, tags); None when one
    is not what the entry says it was."""
    files = _files_shown_as([document.path for document in stored], gathered.files)
    given = {document.path: document for document in gathered.given}
    from_files = [files[document.path] for document in stored if document.path in files]
    read_files = iter(file_documents(from_files, inputs, config) if from_files else ())
    read = []
    for document in stored:
        whole = next(read_files, None) if document.path in files else given.get(document.path)
        if whole is None or (whole.path, whole.kind, whole.id, whole.read) != \
                (document.path, document.kind, document.id, document.read) or list(whole.findings) != document.findings:
            return None
        read.append(whole)
    return read


def _files_shown_as(paths: list, files: list) -> dict:
    """The path a document shows (`str(Path(file.path))`) -> its file, for those of `paths` a
    file holds. Found by each file's path as written first: making a `Path` of every one of a
    run's files took 9 ms a 1,000, to find the two or three judged again."""
    written = {file.path: file for file in files}
    found = {path: written[path] for path in paths if path in written and str(Path(path)) == path}
    if len(found) == len(paths):
        return found
    shown = {str(Path(file.path)): file for file in files}  # some written otherwise (`./a.md`), or no file's
    return {path: shown[path] for path in paths if path in shown}
