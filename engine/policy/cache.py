"""The policy load cache: compiled-once facts of a policy file, keyed by its content.

A cold `policy check` would otherwise parse the pack's YAML (pure-Python ruamel, the slowest
step) and every expression on each run. Cached per file: the plain YAML data, the spans the
engine reports, and each expression's parsed AST. An entry is written only for a file that
compiled without a mistake, so its expressions are type-checked and built when a run first
evaluates them (`model.Expression`): a run that replays its outcome evaluates none. The key
covers the file's bytes and shown path, the engine's code (`code_digest.py`: every file of it,
whatever its version number says) and the types of `data`, so any change misses. Entries live
in the `policies` folder of the cache folder (`cache_folder.py`: where it is, how to turn it
off, and why only this user's own entries are read).

The configuration file would otherwise be loaded by ruamel (20 ms, most of it the import) and
checked against its schema (jsonschema alone takes longer to import than the rest of a warm
run's configuration) on every run: a file whose bytes loaded and passed is remembered under its
own key (`config_key`: the bytes, the engine's code, the schema) as an entry whose data is
`{"sound": <the file's YAML data>}`; a run then parses the text again only when it needs a
position in it (`located_yaml.remembered_yaml`).

Each entry names its own key inside, so an entry copied or renamed to another policy's key is a
miss too, and ends with a CRC-32 of the rest (`cache_folder.sealed`), so damage that still parses
(an edited severity, a waiver's approver) is a miss, as in the other caches. An entry whose text
holds a detected secret (a token pasted into a policy or the configuration) is never written
(the built-in pack's own examples excepted: the package's files lie installed on disk).
Entries are JSON, read back into known types only (`cel.ast_data`), never pickle: even a planted
file could never run code. What remains: whoever can write files as this user can change the
policies themselves.
"""

from __future__ import annotations

import hashlib
import json
from typing import Optional

from ..cache_folder import cache_folder, intact_length, private, read_entry, sealed, write_lines
from ..cel.ast_data import from_data, span_from_data, span_to_data, to_data
from ..documents.secrets import mask_text
from ..limits import MAX_CACHE_ENTRY_BYTES
from ..span import Span

_FORMAT = 7  # 7: sealed with a checksum, as the other caches' entries are


def key(raw: bytes, shown_path: str, data: dict) -> str:
    from .code_digest import code_digest
    from .environment import data_type

    types = sorted((name, str(t)) for name, t in data_type(data).fields.items())
    digest = hashlib.sha256()
    for part in (str(_FORMAT), code_digest(), shown_path, repr(types)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def read(entry: str) -> Optional[dict]:
    """The snapshot stored under `entry` (without the file's path: the key covers it, and the
    caller knows it), or None (absent, unreadable, not ours alone, or made for another key: a miss)."""
    folder = cache_folder("policies")
    if folder is None or not private(folder):
        return None
    raw = read_entry(folder, f"{entry}.json", MAX_CACHE_ENTRY_BYTES)
    length = intact_length(raw) if raw is not None else None
    if length is None:
        return None
    try:
        stored = json.loads(raw[:length].decode("utf-8"))
        if not isinstance(stored, dict) or stored.get("format") != _FORMAT or stored.get("key") != entry:
            return None
        return {"data": stored["data"],
                "spans": {_keys(keys): span_from_data(span) for keys, span in stored["spans"]},
                "asts": {_keys(keys): tree for keys, tree in stored["asts"]}}  # each built when compiled
    except (UnicodeDecodeError, KeyError, TypeError, ValueError, RecursionError):
        return None


def write(entry: str, snapshot: dict, packaged: bool = False) -> None:
    """Store `snapshot` under `entry`; not when its text holds a detected secret, unless
    `packaged`: the package's own pack, whose examples show what a secret looks like, lies on disk
    as installed."""
    folder = cache_folder("policies")
    if folder is None:
        return
    stored = {"format": _FORMAT, "key": entry, "data": snapshot["data"],
              "spans": [[list(keys), span_to_data(span)] for keys, span in snapshot["spans"].items()],
              "asts": [[list(keys), to_data(tree)] for keys, tree in snapshot["asts"].items()]}
    try:
        text = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return
    if not packaged and mask_text(text) != text:  # a token pasted into a policy or the configuration
        return
    write_lines(folder, f"{entry}.json", sealed([text.encode("utf-8")]), MAX_CACHE_ENTRY_BYTES)


def config_key(raw: bytes) -> str:
    """The key of a configuration file's bytes: with the engine's code (which loads them) and the
    configuration schema (which checks them), so a new engine or schema loads every file again."""
    from ..resources import resource_dir
    from .code_digest import code_digest

    digest = hashlib.sha256()
    for part in (str(_FORMAT), code_digest(), "config"):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update((resource_dir("schemas") / "config.schema.json").read_bytes() + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def sound_config(entry: str) -> Optional[dict]:
    """`{"sound": data}` when a configuration file with this key loaded to `data` before and
    passed its schema without a mistake, else None: a run then needs neither ruamel, nor the
    check, nor jsonschema."""
    stored = read(entry)
    if stored is None or type(stored["data"]) is not dict or list(stored["data"]) != ["sound"]:
        return None
    return stored["data"]


def remember_sound(entry: str, data) -> None:
    """Note that the configuration file keyed `entry` loaded to `data` (plain YAML data, which
    JSON gives back as it was: keys are strings, json writes a float that is not finite) and
    passed its schema."""
    write(entry, {"data": {"sound": data}, "spans": {}, "asts": {}})


def _keys(keys) -> tuple:
    if not isinstance(keys, list) or not all(type(key) in (str, int) for key in keys):
        raise ValueError(f"not a path of keys: {keys!r}")
    return tuple(keys)


class CachedSource:
    """A policy file as the cache remembers it (see loader.YamlSource)."""

    checked_before = True  # written only for a file whose every expression compiled: each is compiled when first used

    def __init__(self, snapshot: dict, path: str):
        self.path = path
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
        """The expression's stored tree, built now (a run builds the trees of the expressions it
        evaluates alone); None when it has none or a malformed one: its text is parsed instead."""
        tree = self.asts.get(keys)
        if tree is None:
            return None
        try:
            return from_data(tree)
        except (KeyError, TypeError, ValueError, RecursionError):
            return None

    def remember(self, keys: tuple, ast) -> None:
        return None

    def error_span(self, keys: tuple, error) -> Span:
        return self.span_of(keys)
