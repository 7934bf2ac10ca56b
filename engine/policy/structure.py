"""The shape of policy, policy test and config files: which schema, which file kind, waiver shapes.

JSON Schema (`schemas/policy.schema.json`, `policy_test.schema.json`, `config.schema.json`,
draft 2020-12, the same files VS Code's YAML extension reads) says what is allowed in each
kind of file; `located_yaml` runs a schema over a loaded file and words each error at its key.
This module holds what is particular to this product's files: the schema names, the config's
file names, telling the kinds apart, and the rule id pattern that messages call by name.

Waivers are the exception: a malformed waiver entry is a WVR003 finding, not a stop, so the
config schema accepts any list item under `waivers` and `waiver_problem_details` checks an entry's
shape against `$defs/waiver` for the evaluator.

The schemas carry `x-typo-check: true` on an open mapping (the config's `data`, where teams add
keys of their own): a key there that is one edit away from a declared key is an error.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ..located_yaml import LoadedYaml, schema_validator
from ..resources import resource_dir

if TYPE_CHECKING:
    from ..located_yaml import StructureError

SCHEMA_NAMES = ("policy", "policy_test", "config")
CONFIG_FILE_NAMES = (".policy.yaml", ".policy.yml")

RULE_ID_PATTERN = r"^[A-Z]+[0-9]{3}$"
"""A rule id (the schemas write the same pattern)."""


@cache
def _named_patterns() -> dict:
    """The schemas' patterns that messages name rather than show."""
    from ..located_yaml import NamedPattern

    return {RULE_ID_PATTERN: NamedPattern("a rule id", "capital letters then three digits", "PR009")}


def _schema_name(name: str) -> str:
    name = name.removesuffix(".json").removesuffix(".schema")
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    return name


@cache
def load_file_schema(name: str) -> dict:
    """The JSON Schema of `policy`, `policy_test` or `config` files (parsed once)."""
    path = resource_dir("schemas") / f"{_schema_name(name)}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    return schema_validator(load_file_schema(name))


@cache
def _waiver_validator():
    return schema_validator(dict(load_file_schema("config")["$defs"]["waiver"]))


def check_structure(loaded: LoadedYaml, schema_name: str) -> list[StructureError]:
    """Every structural error of a loaded file, in file order, each at the offending key."""
    from ..located_yaml import check_against_schema

    return check_against_schema(loaded, _validator(_schema_name(schema_name)), _named_patterns())


def waiver_problem_details(entry: Any) -> list[tuple[tuple, str]]:
    """What is wrong with one waiver entry's shape, as (keys inside the entry, message) pairs.

    Shape only (`$defs/waiver` of config.schema.json); whether the approver is an admin, wrote
    a waived document, or the waiver has expired is the evaluator's judgement.
    """
    from ..located_yaml import schema_problems

    return schema_problems(entry, _waiver_validator(), "the waiver", _named_patterns())


_CONFIG_KEYS = frozenset(("packs", "policies", "documents", "exclude", "data", "rules", "waivers", "clock"))


def detect_file_kind(loaded: LoadedYaml) -> str | None:
    """`policy`, `policy_test` or `config` by name and content, else None.

    `.policy.yaml` (or `.yml`) is the config whatever it holds; otherwise `kind: Policy` and
    `kind: PolicyTest` decide, and a mapping whose keys are all config keys is a config.
    """
    if PurePath(loaded.path).name in CONFIG_FILE_NAMES:
        return "config"
    data = loaded.data
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if kind == "Policy":
        return "policy"
    if kind == "PolicyTest":
        return "policy_test"
    if data and "kind" not in data and "apiVersion" not in data and set(data) <= _CONFIG_KEYS:
        return "config"
    return None
