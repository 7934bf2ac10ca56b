"""Kind detection, first match wins (DESIGN.md "Document kinds and formats").

Front matter `kind:`; the config's `documents` globs; then each Markdown kind's `x-detect`
conditions in the schema, tried in the registry's `DETECTION_ORDER` (`engine/kinds.py`).

Content detection asks that a document BE one, not mention one: a runbook that explains the
workflow quotes every template, so a template's heading or block somewhere in a document says
nothing. What counts is the document's own structure:

* `first_heading`: its title, the first heading outside code fences, matches (`Post-Incident
  Review`, `HOTFIX - EMERGENCY DEPLOYMENT`, `INC-<n>:`).
* `marker`: the document opens with its first block and has enough blocks of its own: blocks
  outside code fences, and those in the fence that opens it (a chat log pasted in one fence). A
  template quoted in a fence further on is not counted, though every block counts against
  `max_blocks` (a file that is one message). Before a block written outside fences there is at
  most a title heading, no prose ("Copy this:" introduces an example); a line may introduce a
  pasted chat log's fence. A title that names a text about the workflow (`GUIDE_TITLE`: `#
  Incident runbook`, `# How to declare`) is a guide's, not a record's or a message's.
"""

from __future__ import annotations

import re
from functools import cache

from ..kinds import DETECTION_ORDER, FILE_KINDS
from . import scopes
from .discovery import configured_kind
from .schemas import load_schema


GUIDE_TITLE = re.compile(
    r"\b(?:run ?books?|play ?books?|guides?|guidelines?|how[- ]?tos?|how (?:to|we)|templates?|examples?|"
    r"process(?:es)?|procedures?|workflows?|handbooks?|checklists?|instructions?|documentation|tutorials?|"
    r"cheat ?sheets?|policy|policies|readme)\b", re.I)
"""Words that make a title name a text about the workflow (one that explains or quotes its
templates) rather than one incident or one message."""


@cache
def _rx(pattern: str):
    return re.compile(pattern, re.I)


def detect(text: str, entries: list, *, path: str = "", front_matter: dict | None = None,
           config_globs=None, structures: dict | None = None):
    """(kind or None, reason) for a Markdown document.

    `config_globs` is a `DocumentGlobs` (paths relative to its root), or a dict kind -> globs
    matched against `path` as written. `structures` (a dict) receives the scope structures
    built while detecting, keyed by kind, so extraction need not build them again. A front
    matter kind that is not a kind a file can hold gives (None, "front matter"): the caller
    reports it (DOC001).
    """
    front_matter = front_matter or {}
    declared = front_matter.get("kind")
    if declared:
        return (str(declared) if str(declared) in FILE_KINDS else None), "front matter"
    configured = configured_kind(config_globs, path)
    if configured is not None:
        return configured, "config"
    own_headings = [e for e in entries if e.kind == "heading" and not e.fence]
    title = None
    if own_headings:
        start, end = scopes.heading_text(text, own_headings[0])
        title = text[start:end]
    structures = structures if structures is not None else {}
    for kind in DETECTION_ORDER:
        schema = load_schema(kind)
        for condition in schema.get("x-detect", ()):
            if _holds(condition, kind, schema, text, entries, own_headings, title, structures):
                return kind, "content"
    return None, "content"


def _holds(condition, kind, schema, text, entries, own_headings, title, structures) -> bool:
    if "first_heading" in condition:
        return title is not None and _rx(condition["first_heading"]).match(title) is not None
    if "marker" in condition:
        structure = structures.get(kind)
        if structure is None:
            structure = structures[kind] = scopes.build(text, entries, schema)
        markers = {name for name, spec in schema.get("x-scopes", {}).items() if spec.get("marker")}
        blocks = [s for s in structure.scopes if s.name in markers]
        wanted = condition["marker"]
        if not blocks or (wanted != "*" and blocks[0].name != wanted):
            return False
        opening = blocks[0]
        if sum(1 for heading in own_headings if heading.start < opening.title_start) > 1:
            return False  # a block further into a document that is about something else
        if title is not None and GUIDE_TITLE.search(title):
            return False
        fence_of = {entry.start: entry.fence for entry in entries}
        opening_fence = fence_of.get(opening.title_start, 0)
        if not opening_fence and any(entry.start < opening.title_start and not entry.fence and entry.kind != "heading"
                                     for entry in entries):
            return False  # prose before the block: it introduces an example
        own = sum(1 for block in blocks if fence_of.get(block.title_start, 0) in (0, opening_fence))
        return own >= condition.get("min_blocks", 0) and len(blocks) <= condition.get("max_blocks", len(blocks))
    return False
