"""The bundled JSON Schemas, one per document kind: loaded once, looked up by kind.

The schemas in `schemas/` are the source of truth for a document's shape (what the rule
language's type checker sees) and, through their `x-` annotations, for how extraction finds
each value (`schemas/README.md` documents the vocabulary).
"""

from __future__ import annotations

import json
from functools import cache

from ..kinds import check_kind
from ..resources import resource_dir


def schema_path(kind: str):
    """The file of a kind's schema (UnknownKind, with "did you mean", for a name of no kind)."""
    return resource_dir("schemas") / f"{check_kind(kind)}.schema.json"


@cache
def load_schema(kind: str) -> dict:
    """A kind's schema as a dict (cached: treat it as read-only)."""
    with open(schema_path(kind), encoding="utf-8") as handle:
        return json.load(handle)


def schema_text(kind: str) -> str:
    """A kind's schema file as written (for `policy schema KIND`)."""
    return schema_path(kind).read_text(encoding="utf-8")
