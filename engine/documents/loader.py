"""Reading a document: a file, a stream or content -> its `Document`, read back from the
extraction cache when it holds the same content and inputs, else extracted (`pipeline.py`, the
steps from a decoded text to a located, typed, validated document). Nothing here raises for bad
input: an unreadable file is a DOC003 finding on its document.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO

from ..files import FileTooLarge, read_regular_file
from ..findings import Severity
from ..limits import OVERSIZED_DOCUMENT_START_BYTES
from .discovery import configured_kind
from .model import Document
from .reader import DEFAULT_SIZE_LIMIT, SourceText, decode, judged_text, prepare

if TYPE_CHECKING:
    from .cache import DocumentCache


def read_document(path: str | os.PathLike, *, kind: str | None = None, config_globs: dict | None = None,
                  size_limit: int = DEFAULT_SIZE_LIMIT, display_path: str | None = None,
                  timezone: str | None = None, cache: DocumentCache | None = None) -> Document:
    """Read and extract a file; an unreadable file becomes a DOC003 finding. With `cache`
    (`cache.document_cache()`), an unchanged file's document is read back, not extracted."""
    shown = display_path or str(path)
    try:
        raw = read_regular_file(path, size_limit, keep_start=OVERSIZED_DOCUMENT_START_BYTES)
    except FileTooLarge as error:
        start_kind = kind or _start_kind(error.start, shown, config_globs)[0]
        return _unreadable(SourceText("", readable=False), shown, start_kind,
                           [f"file is {error}"])
    except OSError as error:
        document = Document(kind, None, shown, "", read_in_full=False, read=False)
        document.add_finding("DOC003", Severity.ERROR, f"cannot read file: {error.strerror or error}", None)
        return document
    return parse_document(raw, path=shown, kind=kind, config_globs=config_globs, size_limit=size_limit,
                          timezone=timezone, cache=cache)


def read_stream_document(stream: BinaryIO, *, path: str = "-", kind: str | None = None,
                         config_globs: dict | None = None, size_limit: int = DEFAULT_SIZE_LIMIT) -> Document:
    """Read and extract what a stream (stdin) holds, at most one byte past `size_limit`: a stream
    says nothing of its size and may never end (`< /dev/zero`). Over the limit is DOC003, worded
    as for a file."""
    raw = stream.read(size_limit + 1)
    if len(raw) > size_limit:
        return _unreadable(SourceText("", readable=False), path, kind or _start_kind(raw, path, config_globs)[0],
                           [f"file is {FileTooLarge(size_limit)}"])
    return parse_document(raw, path=path, kind=kind, config_globs=config_globs, size_limit=size_limit)


def parse_document(content: str | bytes, *, path: str = "-", kind: str | None = None,
                   config_globs: dict | None = None, size_limit: int = DEFAULT_SIZE_LIMIT,
                   timezone: str | None = None, cache: DocumentCache | None = None) -> Document:
    """Extract a document from its content (bytes are decoded as UTF-8 with checks), or read it
    back from `cache` when it holds the document of the same content and inputs."""
    source = decode(content, size_limit=size_limit) if isinstance(content, bytes) else \
        prepare(content, size_limit=size_limit)
    if not source.readable:
        settled = kind is not None
        if kind is None and source.oversized:
            kind, settled = _start_kind(content, path, config_globs)
        document = _unreadable(source, path, kind, [problem.message for problem in source.problems])
        # too large: a folder's walk passes over it only when its start shows a title none of ours
        document.read_in_full = source.oversized and settled
        return document
    if cache is None:
        return _extracted(source, path, kind, config_globs, timezone)
    key, content_hash = cache.key(content if isinstance(content, bytes) else content.encode("utf-8"), path=path,
                                  kind=kind, configured=configured_kind(config_globs, path),
                                  size_limit=size_limit, timezone=timezone)
    document = cache.get(key, content_hash, judged_text(source.text, kind))
    if document is None:
        document = _extracted(source, path, kind, config_globs, timezone)
        cache.put(key, content_hash, document)
    return document


def cached_document(path: str | os.PathLike, cache: DocumentCache, *, kind: str | None = None,
                    config_globs: dict | None = None, size_limit: int = DEFAULT_SIZE_LIMIT,
                    timezone: str | None = None) -> Document | None:
    """The document `cache` holds for the file at `path` as it is now, as `read_document` with
    that cache would give it; None when it holds none (nothing is extracted here)."""
    try:
        raw = read_regular_file(path, size_limit)
    except (FileTooLarge, OSError):  # `read_document` says why
        return None
    source = decode(raw, size_limit=size_limit)
    if not source.readable:
        return None
    shown = str(path)
    key, content_hash = cache.key(raw, path=shown, kind=kind, configured=configured_kind(config_globs, shown),
                                  size_limit=size_limit, timezone=timezone)
    return cache.get(key, content_hash, judged_text(source.text, kind))


def _extracted(source: SourceText, path: str, kind: str | None, config_globs, timezone) -> Document:
    from .pipeline import extracted

    return extracted(source, path, kind, config_globs, timezone)


def _start_kind(content: str | bytes, path: str, config_globs) -> tuple:
    from .pipeline import kind_of_start

    return kind_of_start(content, path, config_globs)


def _unreadable(source: SourceText, path: str, kind, messages) -> Document:
    document = Document(kind, None, path, source.text, data={"secrets": []}, read_in_full=False, read=False)
    for message in messages:
        document.add_finding("DOC003", Severity.ERROR, message, None)
    return document
