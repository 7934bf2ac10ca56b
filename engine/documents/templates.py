"""The templates `policy new KIND` prints: the seed's, with this design's additions.

Additions (DESIGN.md): the incident record's `INC-<n>` title, `Criterion:`, `Declared:` and
closing block; the review's `Incident:` and `Review date:`; the PR's `**Skipped Checks:**`
line, and its Emergency Bypass section as a comment to uncomment when used.
"""

from __future__ import annotations

from pathlib import Path

from ..kinds import kind_named

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
"""The template files; which a kind has is the registry's (`engine/kinds.py`, `Kind.template_files`)."""


def template_for(kind: str, variant: str | None = None) -> str:
    """The template text; `variant` picks one of the kind's named templates (a status message:
    update, declaration, in_progress, resolution; default the first). UnknownKind for a name of
    no kind; KeyError for a kind without a template (git facts) or a variant it lacks."""
    return (TEMPLATE_DIR / kind_named(kind).template_file(variant)).read_text(encoding="utf-8")
