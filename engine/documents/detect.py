"""Kind detection, first match wins (DESIGN.md "Document kinds and formats").

Front matter `kind:`; the config's globs; then each Markdown kind's `x-detect` conditions in
the schema, tried in the registry's `DETECTION_ORDER` (`engine/kinds.py`): a first heading
`Post-Incident Review`; the `HOTFIX - EMERGENCY DEPLOYMENT` heading; a first heading `INC-<n>:`
or the DECLARED block followed by other blocks; a file that is one message block.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache

from ..kinds import DETECTION_ORDER, FILE_KINDS
from . import scopes
from .schemas import load_schema


def glob_match(path: str, pattern: str) -> bool:
    """`fnmatch` with `**/` also matching no directory (`incidents/**/*.md` matches
    `incidents/a.md`), on `/`-separated paths; a pattern without `/` matches the file name."""
    path = path.replace("\\", "/")
    if path.startswith("./"):
        path = path[2:]
    if "/" not in pattern:
        return fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    if fnmatchcase(path, pattern):
        return True
    reduced = pattern.replace("**/", "")
    return reduced != pattern and (fnmatchcase(path, reduced) or fnmatchcase(path.rsplit("/", 1)[-1], reduced))


@cache
def _rx(pattern: str):
    return re.compile(pattern, re.I)


def detect(text: str, entries: list, *, path: str = "", front_matter: dict | None = None,
           config_globs: dict | None = None, structures: dict | None = None):
    """(kind or None, reason) for a Markdown document.

    `structures` (a dict) receives the scope structures built while detecting, keyed by kind,
    so extraction need not build them again. A front matter kind that is not a kind a file can
    hold gives (None, "front matter"): the caller reports it (DOC001).
    """
    front_matter = front_matter or {}
    declared = front_matter.get("kind")
    if declared:
        return (str(declared) if str(declared) in FILE_KINDS else None), "front matter"
    for kind, patterns in (config_globs or {}).items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if any(glob_match(path, pattern) for pattern in patterns or ()):
            return kind, "config"
    headings = [e for e in entries if e.kind == "heading"]
    first_heading = None
    if headings:
        start, end = scopes.heading_text(text, headings[0])
        first_heading = text[start:end]
    structures = structures if structures is not None else {}
    for kind in DETECTION_ORDER:
        schema = load_schema(kind)
        for condition in schema.get("x-detect", ()):
            if _holds(condition, kind, schema, text, entries, headings, first_heading, structures):
                return kind, "content"
    return None, "content"


def _holds(condition, kind, schema, text, entries, headings, first_heading, structures) -> bool:
    if "first_heading" in condition:
        return first_heading is not None and _rx(condition["first_heading"]).match(first_heading) is not None
    if "any_heading" in condition:
        rx = _rx(condition["any_heading"])
        return any(rx.search(text, h.start, h.end) for h in headings)
    if "marker" in condition:
        structure = structures.get(kind)
        if structure is None:
            structure = structures[kind] = scopes.build(text, entries, schema)
        markers = {name for name, spec in schema.get("x-scopes", {}).items() if spec.get("marker")}
        blocks = [s for s in structure.scopes if s.name in markers]
        wanted = condition["marker"]
        if wanted != "*" and (not blocks or blocks[0].name != wanted):
            return False
        count = len(blocks)
        return condition.get("min_blocks", 0) <= count <= condition.get("max_blocks", count)
    return False
