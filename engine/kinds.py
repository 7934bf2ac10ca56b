"""The document kinds: the one list every other list of kinds in the code is derived from.

A kind is a name rules use (`appliesTo: incident`, `docs.incident`), a JSON Schema saying the
shape of its documents and where extraction finds each value (`schemas/<kind>.schema.json`),
templates to start one from (`engine/documents/templates/`) and policies judging it (a pack
file such as `policies/hotfix/<kind>.yaml`). This module holds what the code needs to know of
each kind besides its schema: how its documents are read, the order content detection tries
the Markdown kinds, its template variants and where its documents name an incident.

The command line builds its argument parser from these lists, so this is a leaf module: it
imports nothing of the project but `errors`. Files that cannot import Python (the policy,
policy test and config JSON Schemas) repeat the names; `tests/test_kinds.py` checks that they
agree with this registry and that every kind has its schema, template and pack files.

Adding a kind: an entry in `REGISTRY`, `schemas/<kind>.schema.json` (with `x-detect` for a
Markdown kind), its name in the three file schemas' lists (`tests/test_kinds.py` says where),
its template(s), and its policies (a new rule id also goes in the catalogue, and
`policy rules --markdown > docs/rules.md` regenerates the rules page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .errors import UsageError, did_you_mean

MARKDOWN = "markdown"
"""A Markdown file, recognised by its content (its schema's `x-detect`) or named by front
matter `kind:`, a config glob or `--kind`."""
MESSAGE = "message"
"""A plain message (commit, tag): from git, or a file whose kind is named (front matter, a
config glob, `--kind`); never recognised by content."""
GIT = "git"
"""Facts read from git for the run; never a file, so no template and no `--kind`."""


@dataclass(frozen=True)
class Kind:
    """One document kind and what the code needs to know of it besides its schema."""

    name: str
    source: str                              # MARKDOWN, MESSAGE or GIT
    description: str                         # what its documents are: hover, completion, the schemas' text
    detection_rank: Optional[int] = None     # Markdown kinds: lower is tried first (DESIGN.md's order)
    variants: tuple = ()                     # named templates (`policy new KIND --variant V`); the first is the default
    incident_number: tuple = ()              # keys in `doc` to the incident number it is or names (`docs.by_incident`)
    timeline: bool = False                   # its template's blocks are posted over time (an update, the
                                             # resolution): one not reached yet may be deleted, not filled

    @property
    def markdown(self) -> bool:
        return self.source == MARKDOWN

    @property
    def from_file(self) -> bool:
        """Whether a file can hold a document of this kind (and so it has a template)."""
        return self.source != GIT

    @property
    def template_files(self) -> tuple:
        """Its template files in `engine/documents/templates/`: `<kind>.md` for Markdown,
        `<kind>.txt` for a message, `<kind>.<variant>.md` per variant; none for git facts."""
        if not self.from_file:
            return ()
        suffix = ".md" if self.markdown else ".txt"
        return tuple(f"{self.name}.{v}{suffix}" for v in self.variants) or (f"{self.name}{suffix}",)

    def template_file(self, variant: Optional[str] = None) -> str:
        """The template file of `variant` (None: the default); KeyError for a variant it lacks
        or a kind without templates."""
        if not self.from_file:
            raise KeyError(self.name)
        if not self.variants:
            if variant is not None:
                raise KeyError(variant)
            return self.template_files[0]
        chosen = variant or self.variants[0]
        if chosen not in self.variants:
            raise KeyError(chosen)
        return self.template_files[self.variants.index(chosen)]


REGISTRY = (
    Kind("incident", MARKDOWN, "An incident record (Markdown): declaration, status updates, resolution, closing.",
         detection_rank=30, incident_number=("number",), timeline=True),
    Kind("status_update", MARKDOWN, "One chat message of the workflow's communication templates.",
         detection_rank=40, variants=("update", "declaration", "in_progress", "resolution")),
    Kind("pull_request", MARKDOWN, "A hotfix pull request body (a file or --github-event).",
         detection_rank=20, incident_number=("incident_reference", "number")),
    Kind("post_incident_review", MARKDOWN, "A post-incident review (the workflow's review template).",
         detection_rank=10, incident_number=("incident", "number")),
    Kind("commit", MESSAGE, "A commit message (each non-merge commit of --commits A..B, or a message file).",
         incident_number=("incident", "number")),
    Kind("tag", MESSAGE, "An annotated tag matching --tags (default v*).", incident_number=("incident", "number")),
    Kind("repository", GIT, "The git facts of the run (merges, branches, tags); one per run."),
)
"""Every kind, in the order lists show them (DESIGN.md's table). A Markdown kind's
`detection_rank` places it in the order content detection tries the kinds (gaps leave room)."""

_BY_NAME = {kind.name: kind for kind in REGISTRY}

KINDS = tuple(_BY_NAME)
"""Every kind's name: `policy schema`, `docs.<kind>`, `appliesTo`."""
FILE_KINDS = tuple(k.name for k in REGISTRY if k.from_file)
"""Kinds a file can hold: `--kind`, front matter `kind:`, config globs, `policy new` templates."""
MARKDOWN_KINDS = tuple(k.name for k in REGISTRY if k.markdown)
"""Kinds written as Markdown (the editor offers their whole templates)."""
DETECTION_ORDER = tuple(k.name for k in sorted((k for k in REGISTRY if k.markdown), key=lambda k: k.detection_rank))
"""The Markdown kinds in the order content detection tries them; the first match wins."""
INCIDENT_LINKED_KINDS = tuple(k.name for k in REGISTRY if k.incident_number)
"""Kinds whose documents are or name an incident: the lists of each `docs.by_incident[N]`."""

WORKSPACE = "workspace"
"""`appliesTo: workspace`: the policy runs once per run, over `docs`."""
ANY = "any"
"""`appliesTo: any`: the policy runs on every document, whatever its kind."""
SCOPES = (WORKSPACE, ANY)
APPLIES_TO = KINDS + SCOPES
"""Every value of a policy's `appliesTo`."""
APPLIES_TO_DESCRIPTIONS = {**{kind.name: kind.description for kind in REGISTRY},
                           WORKSPACE: "Runs once per run, over all documents (`docs`).",
                           ANY: "Runs on every document of every kind."}
"""What each value of `appliesTo` means (hover and completion; the file schemas repeat it)."""


class UnknownKind(UsageError, ValueError):
    """A kind name that is not a kind, or not one allowed where it was given (exit 2 on the
    command line; a ValueError for library callers)."""


def kind_named(name: str) -> Kind:
    """The registry's entry for `name`; UnknownKind when there is none."""
    if name not in _BY_NAME:
        raise UnknownKind(unknown_kind_message(name, KINDS))
    return _BY_NAME[name]


def check_kind(name: str, allowed: tuple = KINDS) -> str:
    """`name` when it is one of `allowed`; else UnknownKind saying why, with "did you mean"."""
    if name in allowed:
        return name
    raise UnknownKind(unknown_kind_message(name, allowed))


def unknown_kind_message(name, allowed: tuple = KINDS, where: str = "") -> str:
    """Why `name` (written `where`, e.g. "front matter") is not a kind allowed there, and which
    are; every such message comes from here."""
    named = f"{name!r} in {where}" if where else repr(name)
    expected = f"expected one of {', '.join(allowed)}"
    known = _BY_NAME.get(name) if isinstance(name, str) else None
    if known is not None and not known.from_file:
        return f"kind {named} comes from git, not from a file; {expected}"
    if known is not None:
        return f"kind {named} is not allowed here; {expected}"
    return f"unknown kind {named}; {expected}{did_you_mean(str(name), allowed)}"


def incident_number(kind: Optional[str], data: dict) -> Optional[int]:
    """The number of the incident a document of `kind` is or names (from its `data`), or None."""
    entry = _BY_NAME.get(kind)
    if entry is None or not entry.incident_number:
        return None
    value = data
    for key in entry.incident_number:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if type(value) is int else None
