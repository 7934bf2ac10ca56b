"""The documents a run reads without judging them: every document under the run's root that was
not named, so rules that read `docs` see what the editor sees.

`policy check incidents/INC-1.md` judges the record alone, but INC010 and INC015 look for the
review that names it: without the review in `docs` they would say "no review yet" while the
review sits beside the record. So the named files are judged with every other document under the
root (`inputs.run_root`: the configuration's folder, else the git work tree's top, else the
working directory) as context, and findings are reported for the named files only. The context
is found with the walk named folders get (`document_files.candidate_files`: the config's globs
and `exclude`, no links out of the root, regular files within the size limit); a context file that cannot be
read is left out, not reported (nobody named it), and no file is extracted twice.
"""

from __future__ import annotations

import os
from typing import Optional

from .config import Config
from .document_files import candidate_files
from .inputs import RunInputs, extracted_chunks, run_root


def context_documents(inputs: RunInputs, config: Config, named: list, progress=None, workers: int = 0,
                      candidates: Optional[list] = None) -> list:
    """The documents of known kind under the run's root that are not among `named` (the run's
    documents); empty when the named folders already cover the root. `candidates`: what
    `context_candidates` gave, when the caller already has it."""
    candidates = context_candidates(inputs, config) if candidates is None else candidates
    read = {os.path.realpath(d.path) for d in named if d.path != "-" and os.path.exists(d.path)}
    files = [file for file in candidates if os.path.realpath(file.path) not in read]
    if progress is not None:
        progress.start("reading context", len(files))
    documents = []
    for chunk in extracted_chunks(files, None, config.document_globs(), workers):
        documents += [d for d in chunk if d.kind is not None]
        if progress is not None:
            progress.advance(len(chunk))
    return documents


def context_candidates(inputs: RunInputs, config: Config) -> list:
    """The readable candidate files under the run's root, the named ones among them, or none
    when the named folders already cover the root."""
    root = run_root(inputs, config)
    real_root = os.path.realpath(root)
    if any(_covers(given, real_root) for given in inputs.paths if given != "-"):
        return []
    shown_root = os.path.relpath(root)  # paths in messages relative to the working directory, as named ones are
    return [file for file in candidate_files([shown_root], config.document_globs(), root,
                                             follow_outside_links=inputs.follow_outside_links)
            if file.problem is None]


def _covers(given: str, real_root: str) -> bool:
    """Whether a named path is a folder at or above the root (its walk read every document)."""
    if not os.path.isdir(given):
        return False
    real = os.path.realpath(given)
    try:
        return os.path.commonpath([real, real_root]) == real
    except ValueError:  # another drive
        return False
