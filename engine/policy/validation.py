"""Checking policy, policy test and config files without running them (`policy validate`, the
editor): every structural, expression and reference error, each at its place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

from ..located_yaml import YamlError, load_yaml
from .config import data_near, default_data, find_config
from .loader import DEPRECATED_DOCS_KEY, compile_policy, read_yaml
from .file_errors import DEPRECATED, RULE_ID, STRUCTURE, structure_errors
from .model import LocatedError, in_file_order
from ..files import walk
from ..documents.discovery import TOOL_FOLDERS
from .structure import CONFIG_FILE_NAMES, RULE_ID_PATTERN, check_structure, detect_file_kind



def yaml_files(target: Path) -> list:
    if target.is_file():
        return [target]
    return sorted(Path(p) for p in walk(target, enter=lambda path: os.path.basename(path) not in TOOL_FOLDERS)
                  if Path(p).suffix in (".yaml", ".yml"))


def validate_files(targets: list) -> tuple:
    """(number of our files checked, errors, waiver problems, warnings), each list in file and
    line order.

    Errors stop a run; waiver problems are waivers `policy check` will never honour (a mistake
    too, though the run goes on); warnings (a deprecated key) are worth fixing, not a stop.
    Files that are none of ours are skipped in folders. Besides the files named, the
    configuration that governs them (`.policy.yaml` at or above the first target, found as
    `policy check` finds it) is checked with every policy it loads, so a named policy whose rule
    id a pack already defines is reported as the run would report it."""
    checked, errors, waivers, warnings, configs = 0, [], [], [], set()
    for target in targets:
        for path in yaml_files(target):
            found = validate_file(path, target.is_file())
            if found is None:
                continue
            checked += 1
            errors += found.errors
            waivers += found.waivers
            warnings += found.warnings
            if found.kind == "config":
                configs.add(os.path.realpath(path))
    governing = find_config(targets[0]) if targets else None
    if governing is not None and os.path.realpath(governing) not in configs:
        found = validate_file(governing)
        checked += 1
        errors += found.errors
        waivers += found.waivers
        warnings += found.warnings
    return checked, in_file_order(errors), in_file_order(waivers), in_file_order(warnings)


def validate_file(path: Path, explicit: bool = True) -> Optional["FileProblems"]:
    """What is wrong with one file, or None when it is not a policy, test or config file (in a folder)."""
    errors: list = []
    loaded = read_yaml(path, errors)
    if loaded is None:
        return FileProblems("unknown", errors)
    found = _validate_loaded(loaded, path, data_near(path), explicit)
    return None if found.kind is None and not found.errors else found


@dataclass
class FileProblems:
    """What is wrong with one policy, policy test or config file."""

    kind: Optional[str]                                # policy | policy_test | config | None (not ours)
    errors: list = field(default_factory=list)         # LocatedError: these stop a run
    waivers: list = field(default_factory=list)        # LocatedError: a waiver `check` never honours
    warnings: list = field(default_factory=list)       # LocatedError: worth fixing, not a stop
    loaded_by: dict = field(default_factory=dict)      # config: a file with mistakes -> span of the entry loading it


_OURS = re.compile(r"^kind:[ \t]*[\"']?(Policy|PolicyTest)\b", re.MULTILINE)


def validate_text(text: str, path: str, data: Optional[dict] = None) -> FileProblems:
    """`validate_file` on a file's text (an editor's unsaved buffer): kind None and no errors for
    YAML that is none of ours, so an editor can call it on every YAML file. Besides the errors,
    warns about waivers naming unknown rule ids and malformed waiver entries."""
    try:
        loaded = load_yaml(text, path)
    except YamlError as error:
        if _OURS.search(text) or PurePath(path).name in CONFIG_FILE_NAMES:
            return FileProblems("unknown", [LocatedError(path, error.span, error.message, STRUCTURE)])
        return FileProblems(None)
    return _validate_loaded(loaded, Path(path), data if data is not None else default_data(), explicit=False)


def _validate_loaded(loaded, path: Path, data: dict, explicit: bool) -> FileProblems:
    kind = detect_file_kind(loaded)
    found = FileProblems(kind)
    if kind == "policy":
        compile_policy(loaded, data, found.errors)
        found.warnings += deprecation_warnings(loaded)
    elif kind == "policy_test":
        found.errors += structure_errors(check_structure(loaded, "policy_test"))
    elif kind == "config":
        from .check import configuration_mistakes

        config, policies, errors = configuration_mistakes(loaded, path)
        found.errors += errors
        found.loaded_by = _entries_loading(config, loaded, errors)
        found.waivers += waiver_warnings(config, policies)
    elif explicit:
        found.errors.append(LocatedError(str(path), None, "not a policy (`kind: Policy`), policy test "
                                                          "(`kind: PolicyTest`) or configuration (.policy.yaml) file",
                                          STRUCTURE))
    return found


def _entries_loading(config, loaded, errors) -> dict:
    """The path of each other file with mistakes -> the span of the `packs:` or `policies:` entry
    of the configuration that loads it (a file, or a folder it lies in), for showing it there."""
    entries = []
    for (target, name), key in zip(config.policy_paths(), [("packs", n) for n in config.packs] +
                                    [("policies", n) for n in config.policies]):
        listed = loaded.data.get(key[0]) if isinstance(loaded.data, dict) else None
        if isinstance(listed, list) and key[1] in listed:
            entries.append((os.path.realpath(target), loaded.value_span((key[0], listed.index(key[1])))))
    found: dict = {}
    for error in errors:
        real = os.path.realpath(error.path)
        for target, span in entries:
            if span is not None and (real == target or real.startswith(target.rstrip(os.sep) + os.sep)):
                found.setdefault(error.path, span)
                break
    return found


def deprecation_warnings(loaded) -> list:
    """Rules whose docs use a deprecated key: they load, but the name should change."""
    rules = (loaded.data.get("spec") or {}).get("rules") if isinstance(loaded.data, dict) else None
    found = []
    for index, entry in enumerate(rules if isinstance(rules, list) else []):
        docs = entry.get("docs") if isinstance(entry, dict) else None
        if isinstance(docs, dict) and DEPRECATED_DOCS_KEY in docs:
            found.append(LocatedError(loaded.path, loaded.key_span(("spec", "rules", index, "docs", DEPRECATED_DOCS_KEY)),
                                      f"`docs.{DEPRECATED_DOCS_KEY}` is deprecated: rename it to `workflow` "
                                      "(it is read as `workflow` until then)", DEPRECATED))
    return found


def waiver_warnings(config, policies) -> list:
    """Waiver entries that `policy check` will not honour whatever the documents and the date
    (WVR003: malformed, unjustified, not approved by an admin) or that name rule ids no policy
    defines."""
    from .engine_rules import ENGINE_RULES
    from .waivers import admins_of, entry_problems
    from ..errors import closest_rule, meant

    loaded = config.loaded
    if loaded is None:
        return []
    known = set(policies.rules()) | set(ENGINE_RULES)
    found = []
    admins = admins_of(config)
    for index, entry in enumerate(config.waivers):
        for keys, message in entry_problems(entry, admins).items():
            found.append(LocatedError(loaded.path, loaded.span_of(("waivers", index) + keys),
                                      f"invalid waiver, not honoured: {message}", "WVR003"))
        rules = entry.get("rules") if isinstance(entry, dict) else None
        for position, rule in enumerate(rules if isinstance(rules, list) else []):
            if isinstance(rule, str) and re.match(RULE_ID_PATTERN, rule) and rule not in known and policies.complete:
                suggestion = closest_rule(rule, known)
                found.append(LocatedError(loaded.path, loaded.span_of(("waivers", index, "rules", position)),
                                          f"waivers: unknown rule id {rule}{meant(suggestion)}", RULE_ID, suggestion))
    return found
