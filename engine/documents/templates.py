"""The templates `policy new KIND` prints: the seed's, with this design's additions.

Additions (DESIGN.md): the incident record's `INC-<n>` title, `Criterion:`, `Declared:` and
closing block; the review's `Incident:` and `Review date:`; the PR's `**Skipped Checks:**`
line, and its Emergency Bypass section as a comment to uncomment when used.
"""

from __future__ import annotations

from pathlib import Path

_DIR = Path(__file__).resolve().parent / "templates"
VARIANTS = {"status_update": ("update", "declaration", "in_progress", "resolution")}
FILES = {
    "incident": "incident.md", "pull_request": "pull_request.md",
    "post_incident_review": "post_incident_review.md", "commit": "commit.txt", "tag": "tag.txt",
}


def template_kinds() -> tuple:
    """Kinds that have a template (the repository's facts come from git, not a file)."""
    return ("incident", "status_update", "pull_request", "post_incident_review", "commit", "tag")


def template_for(kind: str, variant: str | None = None) -> str:
    """The template text; `variant` picks a status message (update, declaration, in_progress,
    resolution; default update). KeyError for a kind without a template or a bad variant."""
    if kind in VARIANTS:
        variant = variant or VARIANTS[kind][0]
        if variant not in VARIANTS[kind]:
            raise KeyError(variant)
        return (_DIR / f"{kind}.{variant}.md").read_text(encoding="utf-8")
    if variant is not None:
        raise KeyError(variant)
    return (_DIR / FILES[kind]).read_text(encoding="utf-8")
