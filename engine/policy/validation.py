"""Checking policy, policy test and config files without running them (`policy validate`, the
editor): every structural, expression and reference error, each at its place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

from ..located_yaml import YamlError, load_yaml
from .config import config_from_yaml, default_data
from .loader import compile_policy, read_yaml
from .model import LocatedError, PolicyError
from ..files import walk
from ..documents.discovery import TOOL_FOLDERS
from .structure import CONFIG_FILE_NAMES, check_structure, detect_file_kind, waiver_problem_details



def yaml_files(target: Path) -> list:
    if target.is_file():
        return [target]
    return sorted(Path(p) for p in walk(target, enter=lambda path: os.path.basename(path) not in TOOL_FOLDERS)
                  if Path(p).suffix in (".yaml", ".yml"))


def validate_files(targets: list) -> tuple:
    """(number of our files checked, errors). Files that are none of ours are skipped in folders."""
    errors: list = []
    checked = 0
    for target in targets:
        for path in yaml_files(target):
            explicit = target.is_file()
            found = validate_file(path, explicit)
            if found is None:
                continue
            checked += 1
            errors += found
    return checked, errors


def validate_file(path: Path, explicit: bool = True):
    """The errors of one file, or None when it is not a policy, test or config file (in a folder)."""
    errors: list = []
    loaded = read_yaml(path, errors)
    if loaded is None:
        return errors
    found = _validate_loaded(loaded, path, default_data(), explicit)
    return None if found.kind is None and not found.errors else found.errors


@dataclass
class FileProblems:
    """What is wrong with one policy, policy test or config file."""

    kind: Optional[str]                                # policy | policy_test | config | None (not ours)
    errors: list = field(default_factory=list)         # LocatedError: these stop a run
    warnings: list = field(default_factory=list)       # LocatedError: worth fixing, not a stop


_OURS = re.compile(r"^kind:[ \t]*[\"']?(Policy|PolicyTest)\b", re.MULTILINE)


def validate_text(text: str, path: str, data: Optional[dict] = None) -> FileProblems:
    """`validate_file` on a file's text (an editor's unsaved buffer): kind None and no errors for
    YAML that is none of ours, so an editor can call it on every YAML file. Besides the errors,
    warns about waivers naming unknown rule ids and malformed waiver entries."""
    try:
        loaded = load_yaml(text, path)
    except YamlError as error:
        if _OURS.search(text) or PurePath(path).name in CONFIG_FILE_NAMES:
            return FileProblems("unknown", [LocatedError(path, error.span, error.message)])
        return FileProblems(None)
    return _validate_loaded(loaded, Path(path), data if data is not None else default_data(), explicit=False)


def _validate_loaded(loaded, path: Path, data: dict, explicit: bool) -> FileProblems:
    kind = detect_file_kind(loaded)
    found = FileProblems(kind)
    if kind == "policy":
        compile_policy(loaded, data, found.errors)
    elif kind == "policy_test":
        found.errors += [LocatedError(loaded.path, p.span, p.message) for p in check_structure(loaded, "policy_test")]
    elif kind == "config":
        try:
            config = config_from_yaml(loaded, path)
            from .check import load_run_policies

            policies = load_run_policies(config)
        except PolicyError as error:
            found.errors += error.errors
        else:
            found.warnings += waiver_warnings(config, policies)
    elif explicit:
        found.errors.append(LocatedError(str(path), None, "not a policy (`kind: Policy`), policy test "
                                                          "(`kind: PolicyTest`) or configuration (.policy.yaml) file"))
    return found


def waiver_warnings(config, policies) -> list:
    """Waiver entries that are malformed (WVR003 when checked) or name rule ids no policy defines."""
    from .engine_rules import ENGINE_RULES
    from ..errors import did_you_mean

    loaded = config.loaded
    if loaded is None:
        return []
    known = set(policies.rules()) | set(ENGINE_RULES)
    found = []
    for index, entry in enumerate(config.waivers):
        for keys, message in waiver_problem_details(entry):
            found.append(LocatedError(loaded.path, loaded.span_of(("waivers", index) + tuple(keys)),
                                      f"invalid waiver (WVR003, not honoured): {message}"))
        rules = entry.get("rules") if isinstance(entry, dict) else None
        for position, rule in enumerate(rules if isinstance(rules, list) else []):
            if isinstance(rule, str) and rule not in known:
                found.append(LocatedError(loaded.path, loaded.span_of(("waivers", index, "rules", position)),
                                          f"waivers: unknown rule id {rule}{did_you_mean(rule, known)}"))
    return found
