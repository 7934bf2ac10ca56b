"""The run's configuration: `.policy.yaml` found at or above the first PATH, with defaults.

Every default lives in one place, `schemas/config.schema.json` (the `default` of each `data`
key), so what the editor shows and what the engine uses cannot disagree.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

from ..files import shown_path
from ..documents.discovery import DocumentGlobs, glob_problem
from ..located_yaml import LoadedYaml, remembered_yaml
from ..resources import resource_dir
from .file_errors import STRUCTURE, structure_errors
from .model import LocatedError, PolicyError
from .structure import CONFIG_FILE_NAMES, check_structure, load_file_schema

BUILTIN_PREFIX = "builtin:"
DEFAULT_PACKS = ("builtin:hotfix",)


@dataclass
class Config:
    path: Optional[str] = None                       # the .policy.yaml, when one was found
    directory: Path = field(default_factory=Path.cwd)
    packs: tuple = DEFAULT_PACKS
    policies: tuple = ()                             # extra policy files or folders (absolute)
    documents: dict = field(default_factory=dict)    # kind -> globs relative to `directory`
    exclude: tuple = ()                              # globs relative to `directory`: never documents
    data: dict = field(default_factory=dict)         # effective: defaults, then the file's
    rules: dict = field(default_factory=dict)        # rule id -> error|warning|info|off
    waivers: list = field(default_factory=list)      # raw entries; judged by waivers.py
    clock: Optional[datetime] = None
    loaded: Optional[LoadedYaml] = None              # for positions of waivers and overrides
    base: Optional[object] = None                    # a pull-request run's base commit (base_policies.BaseSnapshot)

    def policy_paths(self) -> list:
        """(path, pack name) for every pack and extra policy path, packs first."""
        local = self.base.policy_directory if self.base is not None else self.directory
        paths = []
        for pack in self.packs:
            if pack.startswith(BUILTIN_PREFIX):
                paths.append((resource_dir("policies") / pack[len(BUILTIN_PREFIX):], pack))
            else:
                paths.append((local / pack, pack))
        paths += [(local / p, "") for p in self.policies]
        return paths

    def document_globs(self) -> DocumentGlobs:
        """`documents` and `exclude`, anchored at the configuration's folder."""
        return DocumentGlobs.of(self.documents, self.exclude, self.directory)


def default_data() -> dict:
    """`data` as the config schema's defaults give it."""
    schema = load_file_schema("config")
    properties = schema["$defs"]["data"]["properties"]
    return {key: copy.deepcopy(spec["default"]) for key, spec in properties.items() if "default" in spec}


def data_near(path: Path) -> dict:
    """The `data` that policies at `path` are checked with: the nearest configuration's, a team's
    own keys included, else the defaults. A configuration with mistakes gives the defaults here;
    its mistakes are reported where it is loaded or validated itself."""
    found = find_config(path)
    if found is None:
        return default_data()
    try:
        return load_config(found).data
    except PolicyError:
        return default_data()


def find_config(start: Path) -> Optional[Path]:
    """The nearest `.policy.yaml` at or above `start` (a file's folder, or a folder), found where
    the path is written, not where its links lead: a link cannot choose the configuration."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILE_NAMES:
            if (candidate / name).is_file():
                return Path(shown_path(candidate / name))
    return None


def load_config(path: Optional[Path]) -> Config:
    """The configuration in `path`, or the defaults when None; PolicyError lists its mistakes."""
    if path is None:
        return Config(data=default_data())
    from . import cache
    from .loader import loaded_yaml, read_yaml_bytes

    errors: list = []
    raw = read_yaml_bytes(path, errors)
    if raw is None:
        raise PolicyError(errors)
    key = cache.config_key(raw)
    known = cache.sound_config(key)
    if known is not None:
        return config_from_yaml(remembered_yaml(raw, shown_path(path), known["sound"]), path, sound=True)
    loaded = loaded_yaml(raw, path, errors)
    if loaded is None:
        raise PolicyError(errors)
    config = config_from_yaml(loaded, path)
    cache.remember_sound(key, loaded.data)
    return config


def config_from_yaml(loaded: LoadedYaml, path: Path, errors_out: Optional[list] = None, base=None,
                     sound: bool = False) -> Config:
    """The configuration a loaded `.policy.yaml` gives (the file on disk or an editor's unsaved
    text); relative paths are taken from `path`'s folder; PolicyError lists its mistakes.

    With `errors_out` (`policy validate`, which reports every mistake in one pass), the mistakes
    go there and the configuration is built from the entries without one, so the policies, rule
    ids and waivers can still be checked against it. With `base` (a pull-request run), it is
    the base commit's configuration: named as `<commit>:<path>`, its policies read from there.
    `sound`: this very text passed before (`load_config`), so its structure is not checked again."""
    data = default_data()
    structural = [] if sound else check_structure(loaded, "config")
    errors = structure_errors(structural)
    values = _sound(loaded.data, {_entry_of(e.keys) for e in structural})
    data.update(_masked(values.get("data") or {}))
    try:
        clock = _clock(values.get("clock"), loaded)
    except PolicyError as error:
        errors, clock = errors + error.errors, None
    errors += _glob_errors(values, loaded) + _no_policies(values, loaded)
    if errors_out is not None:
        errors_out.extend(errors)
    elif errors:
        raise PolicyError(errors)
    return Config(path=loaded.path if base is not None else str(path), directory=path.parent.resolve(), packs=tuple(values.get("packs", DEFAULT_PACKS)),
                  policies=tuple(values.get("policies") or ()), documents=dict(values.get("documents") or {}),
                  exclude=tuple(values.get("exclude") or ()),
                  data=data, rules=dict(values.get("rules") or {}), waivers=list(values.get("waivers") or []),
                  clock=clock, loaded=loaded, base=base)


def _masked(data: dict) -> dict:
    """`data` with every secret in its strings masked before any rule reads it, as a document's
    values are: a message that quotes part of one (`data.token.substring(4)`) cannot rebuild it."""
    from ..documents.secrets import mask_strings

    return mask_strings(data)


_MAPPINGS = ("data", "rules", "documents")
"""Sections whose entries stand alone: a mistake in one entry leaves the others in force."""


def _entry_of(keys: tuple) -> tuple:
    """What a structural mistake spoils: an entry of a mapping section, else its whole section."""
    return tuple(keys[:2]) if keys[:1] and keys[0] in _MAPPINGS and len(keys) > 1 else tuple(keys[:1])


def _sound(values, broken: set) -> dict:
    """The configuration's sections and mapping entries that have no structural mistake."""
    if not isinstance(values, dict) or () in broken:
        return {}
    sound = {}
    for section, value in values.items():
        if (section,) in broken:
            continue
        if section in _MAPPINGS and isinstance(value, dict):
            value = {key: item for key, item in value.items() if (section, key) not in broken}
        sound[section] = value
    return sound


def _no_policies(values: dict, loaded: LoadedYaml) -> list:
    """`packs: []` without `policies` leaves no rule in force: every document would pass. That is
    a mistake in the configuration, never a clean run (fail closed)."""
    if values.get("packs", DEFAULT_PACKS) or values.get("policies"):
        return []
    return [LocatedError(loaded.path, loaded.span_of(("packs",)), "packs: no pack and no `policies`: no rule would "
                         "judge the documents; name a pack (builtin:hotfix) or a policy file", STRUCTURE)]


def _glob_errors(values: dict, loaded: LoadedYaml) -> list:
    """Every `documents` and `exclude` glob that cannot be used, at its place (the schema has
    checked they are strings)."""
    located = [(("exclude", index), glob) for index, glob in enumerate(values.get("exclude") or ())]
    located += [(("documents", kind, index), glob) for kind, globs in (values.get("documents") or {}).items()
                for index, glob in enumerate(globs or ())]
    return [LocatedError(loaded.path, loaded.span_of(where), f"{'.'.join(map(str, where))}: {problem}", STRUCTURE)
            for where, glob in located for problem in [glob_problem(glob)] if problem]


def _clock(value, loaded: LoadedYaml) -> Optional[datetime]:
    if value is None:
        return None
    parsed = parse_time(value)
    if parsed is None:
        raise PolicyError([LocatedError(loaded.path, loaded.span_of(("clock",)),
                                        f"clock must be a time such as 2026-11-20T11:00:00Z; found {value!r}", STRUCTURE)])
    return parsed


def parse_time(value) -> Optional[datetime]:
    """An aware UTC datetime from a timestamp or date string (or value); None if it is not one."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
