"""Checking policy, policy test and config files without running them (`policy validate`, the
editor): every structural, expression and reference error, each at its place."""

from __future__ import annotations

from pathlib import Path

from .config import default_data, load_config
from .loader import compile_policy, read_yaml
from .model import LocatedError, PolicyError
from .structure import check_structure, detect_file_kind

_SKIPPED = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})


def yaml_files(target: Path) -> list:
    if target.is_file():
        return [target]
    found = []
    for path in sorted(target.rglob("*")):
        if path.is_file() and (path.suffix in (".yaml", ".yml")) and not (set(path.parts) & _SKIPPED):
            found.append(path)
    return found


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
    kind = detect_file_kind(loaded)
    if kind == "policy":
        compile_policy(loaded, default_data(), errors)
    elif kind == "policy_test":
        errors += [LocatedError(loaded.path, p.span, p.message) for p in check_structure(loaded, "policy_test")]
    elif kind == "config":
        try:
            config = load_config(path)
            from .check import load_run_policies

            load_run_policies(config)
        except PolicyError as error:
            errors += error.errors
    elif explicit:
        errors.append(LocatedError(str(path), None, "not a policy (`kind: Policy`), policy test (`kind: PolicyTest`) "
                                                    "or configuration (.policy.yaml) file"))
    else:
        return None
    return errors
