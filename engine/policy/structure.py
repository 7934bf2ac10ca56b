"""The shape of policy, policy test and config files: every structural error, at its key.

A policy file with a typo (`severty:`) must stop the run with a message a person understands,
pointing at the typo. JSON Schema (`schemas/policy.schema.json`, `policy_test.schema.json`,
`config.schema.json`, draft 2020-12, the same files VS Code's YAML extension reads) says what
is allowed; this module runs jsonschema over the loaded data and turns each of its errors into
a `StructureError` with a plain-words message and the span of the offending key (an unknown
key: the key itself; a wrong value: the value; a missing key: the key of the mapping that lacks
it, or the mapping's first key for a list item).

Waivers are the exception: a malformed waiver entry is a WVR003 finding, not a stop, so the
config schema accepts any list item under `waivers` and `waiver_problems` checks an entry's
shape against `$defs/waiver` for the evaluator.

The schemas may carry `x-typo-check: true` on an open mapping (the config's `data`, where teams
add keys of their own): a key there that is one edit away from a declared key is an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import PurePath
from typing import Any, Iterator

from ..resources import resource_dir
from ..span import Span
from .yaml_source import LoadedYaml

SCHEMA_NAMES = ("policy", "policy_test", "config")
CONFIG_FILE_NAMES = (".policy.yaml", ".policy.yml")


@dataclass(frozen=True)
class StructureError:
    """One structural problem of a file; `str()` is `path:line:col: message`."""

    message: str
    span: Span
    path: str
    keys: tuple = ()
    """The data path the problem is about (`("spec", "rules", 2, "severity")`)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.span.line}:{self.span.column}: {self.message}"


# ---------------------------------------------------------------------------------------------
# Schemas and the validator
# ---------------------------------------------------------------------------------------------

def _schema_file(name: str) -> str:
    name = name.removesuffix(".json").removesuffix(".schema")
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    return f"{name}.schema.json"


@cache
def load_file_schema(name: str) -> dict:
    """The JSON Schema of `policy`, `policy_test` or `config` files (parsed once)."""
    return json.loads((resource_dir("schemas") / _schema_file(name)).read_text(encoding="utf-8"))


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                        r"(?:[Zz]|[+-](\d{2}):(\d{2}))")


def is_date(value: str) -> bool:
    """`YYYY-MM-DD`, a real day."""
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    try:
        date(*map(int, match.groups()))
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    """RFC 3339 with a time zone (`Z` or an offset); seconds may be left out (`2026-11-20T09:10Z`)."""
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second, off_hour, off_minute = match.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return (int(hour) < 24 and int(minute) < 60 and int(second or 0) <= 60
            and int(off_hour or 0) < 24 and int(off_minute or 0) < 60)


def _normalized(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _one_edit_apart(a: str, b: str) -> bool:
    """Equal, or one insertion, deletion, substitution or swap of neighbours apart."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def likely_typo_of(key: str, known) -> str | None:
    """The declared key `key` is probably a misspelling of (same letters ignoring case, `_`, `-`,
    or one edit apart on keys of 4+ characters), or None."""
    if not isinstance(key, str):
        return None
    norm = _normalized(key)
    for candidate in known:
        other = _normalized(candidate)
        if norm == other or (min(len(norm), len(other)) >= 4 and _one_edit_apart(norm, other)):
            return candidate
    return None


def _suggestion(key: Any, known) -> str | None:
    import difflib

    if not isinstance(key, str):
        return None
    close = likely_typo_of(key, known)
    if close is not None:
        return close
    matches = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _typo_check(validator, enabled, instance, schema) -> Iterator:
    from jsonschema.exceptions import ValidationError

    if not enabled or not validator.is_type(instance, "object"):
        return
    known = list(schema.get("properties", {}))
    for key in instance:
        if key in known:
            continue
        close = likely_typo_of(key, known)
        if close is not None:
            yield ValidationError(f"unknown key {key!r}", path=[key], validator_value=close)


@cache
def _validator_class():
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend

    checker = FormatChecker(formats=())
    checker.checks("date")(lambda value: not isinstance(value, str) or is_date(value))
    checker.checks("date-time")(lambda value: not isinstance(value, str) or is_date_time(value))
    cls = extend(Draft202012Validator, {"x-typo-check": _typo_check})
    return cls, checker


@cache
def _validator(name: str):
    cls, checker = _validator_class()
    return cls(load_file_schema(name), format_checker=checker)


@cache
def _waiver_validator():
    cls, checker = _validator_class()
    schema = load_file_schema("config")
    waiver = dict(schema["$defs"]["waiver"])
    return cls(waiver, format_checker=checker)


# ---------------------------------------------------------------------------------------------
# jsonschema errors -> plain words
# ---------------------------------------------------------------------------------------------

_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty"}
_FORMAT_WORDS = {"date": "a date such as 2026-12-15",
                 "date-time": "a date and time with a time zone such as 2026-11-20T09:00:00Z"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def describe_value(value: Any) -> str:
    """A value as a message shows it: `'fatal'`, `3`, `true`, `a list`, `a mapping`, `nothing`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    return repr(value)


def _name(keys: tuple, root: str) -> str:
    """How a message names the value at keys: `severity`, `rules[2]`, `documents['pr.md']`."""
    last = None
    for position in range(len(keys) - 1, -1, -1):
        if isinstance(keys[position], str):
            last = position
            break
    if last is None:
        return root + "".join(f"[{k}]" for k in keys) if keys else root
    key = keys[last]
    if _IDENTIFIER.fullmatch(key):
        head = key
    else:
        head = f"{_name(keys[:last], root)}[{key!r}]"
    return head + "".join(f"[{k}]" for k in keys[last + 1:])


def _noun(schema: dict, keys: tuple, root: str) -> str:
    if not keys:
        return root
    title = schema.get("title") if isinstance(schema, dict) else None
    return title.lower() if title else _name(keys, root)


def _join(values) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@dataclass(frozen=True)
class _Problem:
    keys: tuple
    message: str
    at: str  # "key": the key at keys; "value": the value; "mapping": the mapping missing a key
    suggests: str | None = None  # an unknown key's likely intended name
    missing: str | None = None  # the key a "mapping" problem says is missing


def _problems(error, root: str) -> list[_Problem]:
    keys = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    name = _name(keys, root)
    if kind == "additionalProperties" and error.validator_value is False and isinstance(value, dict):
        known = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        problems = []
        for key in value:
            if key in known or any(re.search(p, key) for p in patterns):
                continue
            message = f"unknown key {key!r} in {_noun(schema, keys, root)}"
            close = _suggestion(key, known)
            if close:
                message += f"; did you mean {close!r}?"
            elif known:
                message += f"; expected {_join(known)}"
            problems.append(_Problem(keys + (key,), message, "key", close))
        return problems
    if kind == "x-typo-check":
        owner = keys[:-1]
        return [_Problem(keys, f"unknown key {keys[-1]!r} in {_noun(schema, owner, root)}; "
                               f"did you mean {error.validator_value!r}?", "key", error.validator_value)]
    if kind == "required" and isinstance(value, dict):
        return [_Problem(keys, f"{name} is missing {key!r}", "mapping", missing=key)
                for key in error.validator_value if key not in value]
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        words = _join(_TYPE_WORDS.get(t, t) for t in expected if t != "null")
        return [_Problem(keys, f"{name} must be {words}; found {describe_value(value)}", "value")]
    if kind == "enum":
        allowed = error.validator_value
        message = f"{name} must be one of {', '.join(map(str, allowed))}; found {describe_value(value)}"
        close = _suggestion(value, [a for a in allowed if isinstance(a, str)])
        if close:
            message += f"; did you mean {close!r}?"
        return [_Problem(keys, message, "value")]
    if kind == "const":
        return [_Problem(keys, f"{name} must be {error.validator_value!r}; found {describe_value(value)}", "value")]
    if kind == "pattern":
        in_names = "propertyNames" in error.absolute_schema_path
        pattern = error.validator_value
        if in_names:
            owner = _name(keys, root)
            return [_Problem(keys + (value,), f"{value!r} in {owner} is not a rule id "
                             f"(capital letters then three digits, e.g. PR009)"
                             if pattern == r"^[A-Z]+[0-9]{3}$" else
                             f"key {value!r} in {owner} must match {pattern}", "key")]
        if pattern == r"\S":
            return [_Problem(keys, f"{name} must not be blank", "value")]
        example = schema.get("examples")
        hint = f" (e.g. {example[0]})" if example else ""
        if pattern == r"^[A-Z]+[0-9]{3}$":
            return [_Problem(keys, f"{name} must be a rule id: capital letters then three digits"
                                   f"{hint or ' (e.g. PR009)'}; found {describe_value(value)}", "value")]
        return [_Problem(keys, f"{name} must match {pattern}{hint}; found {describe_value(value)}", "value")]
    if kind == "format":
        words = _FORMAT_WORDS.get(error.validator_value, f"in {error.validator_value} format")
        return [_Problem(keys, f"{name} must be {words}; found {describe_value(value)}", "value")]
    if kind in ("minItems", "minLength", "minProperties"):
        limit = error.validator_value
        if limit == 1:
            return [_Problem(keys, f"{name} must not be empty", "value")]
        unit = {"minItems": "items", "minLength": "characters", "minProperties": "keys"}[kind]
        return [_Problem(keys, f"{name} must have at least {limit} {unit}", "value")]
    if kind == "minimum":
        return [_Problem(keys, f"{name} must be at least {error.validator_value}; found "
                               f"{describe_value(value)}", "value")]
    if kind in ("anyOf", "oneOf"):
        return _alternatives(error, keys, name, root)
    return [_Problem(keys, f"{name}: {error.message}", "value")]


def _alternatives(error, keys: tuple, name: str, root: str) -> list[_Problem]:
    """anyOf/oneOf: the branch of the value's type explains the error; no such branch: its type."""
    by_branch: dict[int, list] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    wrong_type: list[str] = []
    fitting = []
    for index in range(len(error.validator_value)):
        errors = by_branch.get(index, [])
        type_errors = [e for e in errors if e.validator == "type" and not e.relative_path]
        if type_errors:
            expected = type_errors[0].validator_value
            wrong_type.extend([expected] if isinstance(expected, str) else expected)
        else:
            fitting.append(errors)
    if not fitting:
        words = _join(dict.fromkeys(_TYPE_WORDS.get(t, t) for t in wrong_type if t != "null"))
        return [_Problem(keys, f"{name} must be {words}; found {describe_value(error.instance)}", "value")]
    problems = []
    for sub in min(fitting, key=len):
        problems.extend(_problems(sub, root))
    return problems or [_Problem(keys, f"{name}: {error.message}", "value")]


def _without_implied(problems: list[_Problem]) -> list[_Problem]:
    """Drop "missing 'severity'" when the same mapping has `severty:` (its message says it all)."""
    meant = {(p.keys[:-1], p.suggests) for p in problems if p.at == "key" and p.suggests}
    return [p for p in problems if not (p.missing and (p.keys, p.missing) in meant)]


def _span(loaded: LoadedYaml, problem: _Problem) -> Span:
    keys = problem.keys
    if problem.at == "key":
        return loaded.key_span(keys) or loaded.span_of(keys)
    if problem.at == "mapping":
        if keys and isinstance(keys[-1], str) and loaded.key_span(keys) is not None:
            return loaded.key_span(keys)
        first = loaded.key_paths(keys)
        if first:
            return loaded.key_span(first[0]) or loaded.span_of(keys)
        return loaded.span_of(keys)
    return loaded.span_of(keys)


def _root_name(schema: dict) -> str:
    title = schema.get("title", "file")
    return "the " + title[0].lower() + title[1:]


def check_structure(loaded: LoadedYaml, schema_name: str) -> list[StructureError]:
    """Every structural error of a loaded file, in file order, each at the offending key."""
    schema = load_file_schema(schema_name.removesuffix(".json").removesuffix(".schema"))
    root = _root_name(schema)
    problems: list[_Problem] = []
    for error in _validator(schema_name.removesuffix(".json").removesuffix(".schema")).iter_errors(loaded.data):
        problems.extend(_problems(error, root))
    seen = set()
    result = []
    for problem in _without_implied(problems):
        if (problem.keys, problem.message) in seen:
            continue
        seen.add((problem.keys, problem.message))
        result.append(StructureError(problem.message, _span(loaded, problem), loaded.path, problem.keys))
    result.sort(key=lambda e: (e.span.start, e.span.end, e.message))
    return result


# ---------------------------------------------------------------------------------------------
# Waivers and file kinds
# ---------------------------------------------------------------------------------------------

def waiver_problem_details(entry: Any) -> list[tuple[tuple, str]]:
    """What is wrong with one waiver entry's shape, as (keys inside the entry, message) pairs.

    Shape only (`$defs/waiver` of config.schema.json); whether the approver is an admin, wrote
    a waived document, or the waiver has expired is the evaluator's judgement.
    """
    problems = []
    for error in _waiver_validator().iter_errors(entry):
        problems.extend(_problems(error, "the waiver"))
    result: list[tuple[tuple, str]] = []
    for problem in _without_implied(problems):
        if (problem.keys, problem.message) not in result:
            result.append((problem.keys, problem.message))
    return sorted(result, key=lambda item: [str(k) for k in item[0]])


def waiver_problems(entry: Any) -> list[str]:
    """The messages of `waiver_problem_details` (empty when the entry is well formed)."""
    return [message for _, message in waiver_problem_details(entry)]


_CONFIG_KEYS = frozenset(("packs", "policies", "documents", "data", "rules", "waivers", "clock"))


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
