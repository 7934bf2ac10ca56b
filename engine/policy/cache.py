"""The policy load cache: compiled-once facts of a policy file, keyed by its content.

A cold `policy check` would otherwise parse the pack's YAML (pure-Python ruamel, the slowest
step) and every expression on each run. Cached per file: the plain YAML data, the spans the
engine reports, and each expression's parsed AST; type checking and closure building stay per
run (they depend on nothing but these and are fast). The key covers the file's bytes and
shown path, the engine version and the types of `data`, so any change misses. Entries live
in `$XDG_CACHE_HOME/hotfix-policy/policies` (else `~/.cache/hotfix-policy/policies`);
`HOTFIX_POLICY_NO_CACHE=1` turns the cache off; an unreadable or unwritable cache is simply
not used.

What is read back could change verdicts, so only what this user's own runs wrote is read, the
way ssh's StrictModes and git's safe.directory decide: both folders and each entry must be
owned by the user running and writable by neither group nor others (`files.only_this_user_writes`),
else the cache is neither read nor written and the run goes on uncached. Each entry names its
own key inside, so an entry copied or renamed to another policy's key is a miss too. Entries
are JSON, read back into known types only (`cel.ast_data`), never pickle: even a planted file
could never run code. What remains: whoever can write files as this user can change the
policies themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Optional

from .. import __version__
from ..cel.ast_data import from_data, span_from_data, span_to_data, to_data
from ..files import only_this_user_writes, read_regular_file
from ..limits import MAX_CACHE_ENTRY_BYTES
from ..span import Span

_FORMAT = 4


def _folder() -> Optional[Path]:
    if os.environ.get("HOTFIX_POLICY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hotfix-policy" / "policies"


def key(raw: bytes, shown_path: str, data: dict) -> str:
    from .environment import data_type

    types = sorted((name, str(t)) for name, t in data_type(data).fields.items())
    digest = hashlib.sha256()
    for part in (str(_FORMAT), __version__, shown_path, repr(types)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def read(entry: str) -> Optional[dict]:
    """The snapshot stored under `entry`, or None (absent, unreadable, not ours alone, or made for
    another key: a miss)."""
    folder = _folder()
    if folder is None or not _private(folder):
        return None
    try:
        raw = read_regular_file(folder / f"{entry}.json", MAX_CACHE_ENTRY_BYTES, private=True)
        stored = json.loads(raw.decode("utf-8"))
        if not isinstance(stored, dict) or stored.get("format") != _FORMAT or stored.get("key") != entry:
            return None
        return {"path": str(stored["path"]), "data": stored["data"],
                "spans": {_keys(keys): span_from_data(span) for keys, span in stored["spans"]},
                "asts": {_keys(keys): from_data(tree) for keys, tree in stored["asts"]}}
    except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError, RecursionError):
        return None


def write(entry: str, snapshot: dict) -> None:
    folder = _folder()
    if folder is None:
        return
    stored = {"format": _FORMAT, "key": entry, "path": snapshot["path"], "data": snapshot["data"],
              "spans": [[list(keys), span_to_data(span)] for keys, span in snapshot["spans"].items()],
              "asts": [[list(keys), to_data(tree)] for keys, tree in snapshot["asts"].items()]}
    try:
        text = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(text) > MAX_CACHE_ENTRY_BYTES:
            return
        for level in (folder.parent, folder):
            level.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # readable by this user only
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        os.replace(temporary, folder / f"{entry}.json")
    except (OSError, TypeError, ValueError, RecursionError):
        return


def _private(folder: Path) -> bool:
    """Whether the cache folder and the one above it are this user's alone (see the module)."""
    try:
        return all(only_this_user_writes(os.stat(level)) for level in (folder.parent, folder))
    except OSError:
        return False


def _keys(keys) -> tuple:
    if not isinstance(keys, list) or not all(type(key) in (str, int) for key in keys):
        raise ValueError(f"not a path of keys: {keys!r}")
    return tuple(keys)


class CachedSource:
    """A policy file as the cache remembers it (see loader.YamlSource)."""

    def __init__(self, snapshot: dict):
        self.path = snapshot["path"]
        self.data = snapshot["data"]
        self.spans = snapshot["spans"]
        self.asts = snapshot["asts"]

    def span_of(self, keys: tuple) -> Span:
        return self.spans.get(keys) or Span(0, 0, 1, 1, 1, 1)

    def text(self, keys: tuple) -> Optional[str]:
        value = self.data
        try:
            for part in keys:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
        return value if isinstance(value, str) else None

    def ast(self, keys: tuple):
        return self.asts.get(keys)

    def remember(self, keys: tuple, ast) -> None:
        return None

    def error_span(self, keys: tuple, error) -> Span:
        return self.span_of(keys)
