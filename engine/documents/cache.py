"""The extraction cache: a document extracted once is read back, not extracted again, while
neither its bytes nor the extractor changed.

Extraction is most of a whole-repository `policy check`, and a repository's records rarely
change once closed, so a second run, a pre-commit run or a CI run with the folder restored
re-extracts only what changed (ruff's cache is the model: content in the key, the tool's
version in the key, a plain file per entry, always safe to delete). An entry's key covers:

- the file's bytes (their SHA-256, which the entry also names inside and is checked against
  the bytes just read before it is used);
- the extractor: the package version, a digest of the extraction code, the schemas and the
  templates, the Markdown parser's version and Python's, so an upgrade or a local edit is a
  miss, never a stale document;
- what else decides the result: the path as shown (kinds by folder, messages), `--kind`,
  the kind the configuration's `documents` globs give the path, the size limit and zone.

Entries live in the `documents` folder beside the policy cache, under the same rules
(`engine/cache_folder.py`: where, `HOTFIX_POLICY_NO_CACHE`, only this user's own entries are
read). They are JSON (`stored.py`), never pickle, and hold no text: a detected secret can
only be in the text, and an entry that would repeat one anyway is not written. The folder is
bounded (`MAX_DOCUMENT_CACHE_ENTRIES`, oldest first out) and each entry too
(`MAX_DOCUMENT_CACHE_ENTRY_BYTES`); anything wrong with an entry makes it a miss: the file is
extracted as if there were no cache.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Optional

from .. import __version__
from ..cache_folder import cache_folder, opened, read_entry, touch, write_entry
from ..limits import MAX_DOCUMENT_CACHE_ENTRIES, MAX_DOCUMENT_CACHE_ENTRY_BYTES
from ..resources import resource_dir
from .blocks import parser_versions
from .model import Document
from .stored import Unstorable, data_hook, document_from_data, document_to_data

_FORMAT = 2
_SUFFIX = ".json"
_DECODER = json.JSONDecoder(object_hook=data_hook)
"""One decoder for every entry (`json.loads` with a hook makes one per call)."""


class DocumentCache:
    """One run's view of the cache folder (already checked to be this user's alone)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def key(self, content: bytes, *, path: str, kind: Optional[str], configured: Optional[str],
            size_limit: int, timezone: Optional[str]) -> tuple:
        """(entry key, content hash) of a document extracted with these inputs."""
        content_hash = hashlib.sha256(content).hexdigest()
        digest = hashlib.sha256(extractor_digest().encode("ascii"))
        for part in (content_hash, path, kind, configured, size_limit, timezone):
            digest.update(b"\0" + repr(part).encode("utf-8"))
        return digest.hexdigest(), content_hash

    def get(self, key: str, content_hash: str, text: str) -> Optional[Document]:
        """The stored document over `text`, or None (absent, foreign, malformed or made for
        other bytes: a miss)."""
        raw = read_entry(self.folder, key + _SUFFIX, MAX_DOCUMENT_CACHE_ENTRY_BYTES)
        if raw is None:
            return None
        try:
            stored = _DECODER.decode(raw.decode("utf-8"))
            if (type(stored) is not dict or stored.get("format") != _FORMAT or stored.get("key") != key
                    or stored.get("content") != content_hash):
                return None
            document = document_from_data(stored["document"], text)
        except (UnicodeDecodeError, KeyError, IndexError, TypeError, ValueError, RecursionError):
            return None
        touch(self.folder / (key + _SUFFIX))
        return document

    def put(self, key: str, content_hash: str, document: Document) -> bool:
        """Store `document` under `key`, unless it cannot be stored exactly or would repeat a
        secret found in its text; whether it was stored."""
        try:
            entry = json.dumps({"format": _FORMAT, "key": key, "content": content_hash,
                                "document": document_to_data(document)},
                               ensure_ascii=False, separators=(",", ":"))
        except (Unstorable, TypeError, ValueError, RecursionError):
            return False
        if _repeats_a_secret(entry, document):
            return False
        return write_entry(self.folder, key + _SUFFIX, entry.encode("utf-8"), MAX_DOCUMENT_CACHE_ENTRY_BYTES)


def document_cache() -> Optional[DocumentCache]:
    """The cache for this process's runs, or None when turned off or not this user's alone."""
    folder = cache_folder("documents")
    if folder is None:
        return None
    return _opened(str(folder))


@cache
def _opened(folder_name: str) -> Optional[DocumentCache]:
    folder = Path(folder_name)
    return DocumentCache(folder) if opened(folder, MAX_DOCUMENT_CACHE_ENTRIES) else None


@cache
def extractor_digest() -> str:
    """What the extractor is: this package's version, its extraction code, schemas and
    templates, the Markdown parsers extraction may use and Python's (read once per process)."""
    digest = hashlib.sha256()
    for part in (str(_FORMAT), __version__, parser_versions(), sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    here = Path(__file__).resolve().parent
    engine = here.parent
    files = [*sorted(here.glob("*.py")), *sorted((here / "templates").iterdir()),
             *sorted(resource_dir("schemas").glob("*.json")),
             *(engine / name for name in ("kinds.py", "span.py", "findings.py", "limits.py", "files.py"))]
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
    return digest.hexdigest()


def _repeats_a_secret(entry: str, document: Document) -> bool:
    """Whether any secret found in the document's text appears in the entry as written or as
    JSON spells it (the scanner masks before anything is read, so this holds by construction;
    checked all the same, since an entry outlives the run)."""
    text = document.text
    for secret in document.secrets:
        value = text[secret.span.start:secret.span.end]
        if value and (value in entry or json.dumps(value, ensure_ascii=False)[1:-1] in entry):
            return True
    return False
