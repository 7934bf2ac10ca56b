"""What `policy check` reports of a run, without its documents: the findings, the counts, the
notes on finding the files, each document's masked text and placement.

A report needs no document once these are known, so the run cache (run_cache.py) can store
them and a replayed run prints what the run it replays printed, without reading a document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..policy.document_files import Discovered
from ..policy.inputs import RunInputs, run_root


@dataclass
class RunOutcome:
    findings: list
    documents: int        # documents judged, the repository's git facts included (none judged: exit 2)
    written: int          # ... less the repository's git facts, nobody's document: the report's count
    context: int          # documents read for `docs` only
    discovered: Discovered  # its `excluded` and `empty_folders`
    sources: dict         # path -> the document's text, secrets masked (None: no report reads it)
    docs: dict            # path -> `report.DocumentInfo`, the configuration's included
    event_files: list     # paths of stored bodies of the event's PR, read only

    def names(self):
        """Every path, id and folder the outcome holds (the run cache keeps none holding a secret)."""
        for finding in self.findings:
            yield finding.path
            yield finding.document
        yield from self.sources
        for path, info in self.docs.items():
            yield from (path, info.id, info.file or "", info.record.path if info.record else "")
        for excluded in self.discovered.excluded:
            yield from (excluded.path, excluded.glob, excluded.folder or "")
        yield from (folder for folder, _, _ in self.discovered.empty_folders)
        yield from self.event_files


def outcome_of(result, inputs: RunInputs) -> RunOutcome:
    """The outcome of a `check.CheckResult`."""
    documents = result.documents
    return RunOutcome(findings=result.findings, documents=len(documents),
                      written=sum(1 for d in documents if d.kind != "repository"), context=len(result.context),
                      discovered=result.discovered, sources=_sources(documents), docs=_document_infos(result, inputs),
                      event_files=[d.path for d in result.event_pull_request_files])


def _sources(documents: list) -> dict:
    """Each document's text with detected secrets masked: no output repeats a secret."""
    return {d.path: masked_text(d) for d in documents}


def masked_text(document) -> str:
    """The document's text with its detected secrets masked."""
    from ..documents.secrets import mask

    return mask(document.text, document.secrets) if document.secrets else document.text


def _document_infos(result, inputs: RunInputs) -> dict:
    """How the formats name and place each document (SARIF: relative to the checkout's root)."""
    from ..report.placement import checkout_root, document_infos

    files = {result.config.path: "config"} if result.config.loaded is not None else {}
    infos = document_infos(result.documents, result.context, files=files,
                           root=checkout_root(run_root(inputs, result.config)))
    base = result.config.base
    if base is not None and base.config_rel and result.config.path in infos:
        # named `<sha>:.policy.yaml` in messages, but one test case from base commit to base commit
        infos[result.config.path] = replace(infos[result.config.path], id=f"{base.config_rel} (base commit)")
    return infos
