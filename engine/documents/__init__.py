"""Documents: incident records, status messages, hotfix PRs, reviews, commits, tags and the
repository's git facts as typed data whose every value knows its place in the source.

Public API (stable; the policy layer and the language server build on it):

    load_document(source, *, path=None, kind=None, config_globs=None,
                  size_limit=DEFAULT_SIZE_LIMIT, timezone=None) -> Document
        `source` is a `pathlib.Path` (or a str naming a file when `path` is not given), or the
        content itself (str or bytes) with `path` naming it. `config_globs`: the configuration's
        `documents` globs, a `discovery.DocumentGlobs` (`Config.document_globs()`, anchored at
        its folder) or a dict kind -> globs matched against `path` as written. `cache`: a
        `cache.DocumentCache` (`cache.document_cache()`, None when caching is off) to read
        back an unchanged document instead of extracting it again. Never raises
        for bad content: problems are findings (DOC001 unknown kind, DOC002 placeholder, DOC003
        unreadable, DOC004 unfilled block, SCHEMA001 wrong type or format).
    read_document(path, ...) / parse_document(content, *, path="-", ...): the two halves.
    read_stream_document(stream, *, path="-", ...): stdin, read at most one byte past the limit.
    commits(rev_range, *, cwd=None) -> list[Document]          non-merge commits of A..B
    tags(pattern="v*", *, cwd=None) -> list[Document]          annotated (and light) tags
    repository_facts(*, cwd=None, tag_pattern="v*") -> Document | None   (None outside git)
    pull_request(event_path_or_dict, *, path=None) -> Document  from a `pull_request` event
    load_reviews(path_or_list) -> list[dict]                    GitHub list-reviews JSON
    approvals(reviews) -> list[dict]                            [{login, at}] latest APPROVED
    load_changed_files(path_or_text) -> list[str]               one a line, or list-files JSON
    schema_for(kind) -> dict, KINDS, template_for(kind) -> str
    to_json(document) -> dict                                  (`policy parse`'s output)

`Document` is in `engine.documents.model`; see its docstring for the fields.
"""

from __future__ import annotations

import os

from ..kinds import KINDS, UnknownKind
from ..limits import MAX_DOCUMENT_BYTES as DEFAULT_SIZE_LIMIT
from .model import Document, LineIndex, Placeholder, Secret
from .schemas import load_schema as schema_for


def load_document(source, *, path: str | None = None, kind: str | None = None,
                  config_globs: dict | None = None, size_limit: int = DEFAULT_SIZE_LIMIT,
                  timezone: str | None = None, cache=None) -> Document:
    """Load one document from a file or from its content (see the module docstring)."""
    from .loader import parse_document, read_document

    if isinstance(source, os.PathLike) or (isinstance(source, str) and path is None):
        return read_document(source, kind=kind, config_globs=config_globs, size_limit=size_limit,
                             timezone=timezone, cache=cache)
    return parse_document(source, path=path or "-", kind=kind, config_globs=config_globs,
                          size_limit=size_limit, timezone=timezone, cache=cache)


def __getattr__(name: str):
    # extraction, git, the GitHub event, templates and JSON output load on first use: a command
    # that only masks a string (`policy eval`) imports the scanner, not Markdown parsing.
    lazy = {
        "parse_document": ("loader", "parse_document"), "read_document": ("loader", "read_document"),
        "read_stream_document": ("loader", "read_stream_document"),
        "commits": ("git", "commits"), "tags": ("git", "tags"),
        "repository_facts": ("git", "repository_facts"),
        "pull_request": ("github", "pull_request"), "load_reviews": ("github", "load_reviews"),
        "approvals": ("github", "approvals"), "load_changed_files": ("github", "load_changed_files"),
        "template_for": ("templates", "template_for"), "to_json": ("serialize", "to_json"),
    }
    if name in lazy:
        from importlib import import_module
        module, attribute = lazy[name]
        return getattr(import_module(f"{__name__}.{module}"), attribute)
    raise AttributeError(name)


__all__ = ["Document", "LineIndex", "Placeholder", "Secret", "KINDS", "UnknownKind", "DEFAULT_SIZE_LIMIT",
           "load_document", "read_document", "parse_document", "schema_for", "commits", "tags",
           "repository_facts", "pull_request", "load_reviews", "approvals", "load_changed_files",
           "template_for", "to_json"]
