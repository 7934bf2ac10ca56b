"""Kind detection, first match wins (DESIGN.md "Document kinds and formats").

Front matter `kind:`; the config's `documents` globs; then each Markdown kind's `x-detect`
conditions in the schema, tried in the registry's `DETECTION_ORDER` (`engine/kinds.py`): a
first heading `Post-Incident Review`; the `HOTFIX - EMERGENCY DEPLOYMENT` heading; a first
heading `INC-<n>:` or the DECLARED block followed by other blocks; a file that is one message block.
"""

from __future__ import annotations

import re
from functools import cache

from ..kinds import DETECTION_ORDER, FILE_KINDS
from . import scopes
from .discovery import DocumentGlobs
from .schemas import load_schema


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
    globs = config_globs if isinstance(config_globs, DocumentGlobs) else DocumentGlobs.of(config_globs)
    configured = globs.kind_of(path) if globs.kinds and path not in ("", "-") else None
    if configured is not None:
        return configured, "config"
    own_headings = [e for e in entries if e.kind == "heading"]
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
    if "any_heading" in condition:
        rx = _rx(condition["any_heading"])
        return any(rx.search(text, h.start, h.end) for h in own_headings)
    if "marker" in condition:
        structure = structures.get(kind)
        if structure is None:
            structure = structures[kind] = scopes.build(text, entries, schema)
        markers = {name for name, spec in schema.get("x-scopes", {}).items() if spec.get("marker")}
        blocks = [s for s in structure.scopes if s.name in markers]
        wanted = condition["marker"]
        if not blocks or (wanted != "*" and blocks[0].name != wanted):
            return False
        count = len(blocks)
        return condition.get("min_blocks", 0) <= count <= condition.get("max_blocks", count)
    return False
