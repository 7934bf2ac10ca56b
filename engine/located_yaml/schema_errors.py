"""JSON Schema errors over loaded YAML -> `StructureError`s in plain words, at the right span.

A file with a typo (`severty:`) must be rejected with a message a person understands, pointing
at the typo. jsonschema says what is wrong in its own terms (a validator keyword, a schema path,
the instance); each keyword this layer knows has one small function here that says it in plain
words and names where it belongs: an unknown key at the key itself, a wrong value at the value,
a missing key at the key of the mapping that lacks it (or the mapping's first key for a list
item). `_EXPLAIN_BY_KEYWORD` maps each keyword to its function; any other keyword gets
jsonschema's own message at the value.

What a schema's own patterns mean is the caller's knowledge: `NamedPattern` lets a message say
"must be a rule id: capital letters then three digits" rather than show the regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..span import Span
from .located import LoadedYaml
from .schema_validator import TYPO_CHECK, likely_typo_of


@dataclass(frozen=True)
class StructureError:
    """One structural problem of a file; `str()` is `path:line:col: message`."""

    message: str
    span: Span
    path: str
    keys: tuple = ()
    """The data path the problem is about (`("spec", "rules", 2, "severity")`)."""
    suggestion: str | None = None
    """What the key or value at span most likely should be (the message's "did you mean")."""

    def __str__(self) -> str:
        return f"{self.path}:{self.span.line}:{self.span.column}: {self.message}"


@dataclass(frozen=True)
class NamedPattern:
    """A schema `pattern` that messages call by name instead of showing the regular expression."""

    noun: str       # "a rule id"
    rule: str       # "capital letters then three digits"
    example: str    # "PR009", shown when the schema gives no `examples`


@dataclass(frozen=True)
class _Wording:
    root: str                                   # how messages name the whole file or value
    named_patterns: Mapping[str, NamedPattern]


@dataclass(frozen=True)
class _Problem:
    keys: tuple
    message: str
    at: str  # "key": the key at keys; "value": the value; "mapping": the mapping missing a key
    suggests: str | None = None  # an unknown key's likely intended name, a wrong value's likely intended one
    missing: str | None = None  # the key a "mapping" problem says is missing


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty"}
_FORMAT_WORDS = {"date": "a date such as 2026-12-15",
                 "date-time": "a date and time with a time zone such as 2026-11-20T09:00:00Z"}
_MINIMUM_UNITS = {"minItems": "items", "minLength": "characters", "minProperties": "keys"}
_NOT_BLANK = r"\S"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _describe_value(value: Any) -> str:
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


def _type_words(types) -> str:
    return _join(dict.fromkeys(_TYPE_WORDS.get(t, t) for t in types if t != "null"))


def _suggestion(key: Any, known) -> str | None:
    import difflib

    if not isinstance(key, str):
        return None
    close = likely_typo_of(key, known)
    if close is not None:
        return close
    matches = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _keys(error) -> tuple:
    return tuple(error.absolute_path)


def _schema(error) -> dict:
    return error.schema if isinstance(error.schema, dict) else {}


def _value_problem(error, wording: _Wording, requirement: str) -> _Problem:
    """`<name> <requirement>; found <value>`, at the value."""
    keys = _keys(error)
    return _Problem(keys, f"{_name(keys, wording.root)} {requirement}; "
                          f"found {_describe_value(error.instance)}", "value")


# ---------------------------------------------------------------------------------------------
# One function per keyword
# ---------------------------------------------------------------------------------------------

def _as_jsonschema_says(error, wording: _Wording) -> list[_Problem]:
    """Any keyword without a function of its own: jsonschema's message, at the value."""
    keys = _keys(error)
    return [_Problem(keys, f"{_name(keys, wording.root)}: {error.message}", "value")]


def _unknown_keys(error, wording: _Wording) -> list[_Problem]:
    """`additionalProperties: false`: each key the schema does not declare, with a suggestion."""
    value, schema, keys = error.instance, _schema(error), _keys(error)
    if error.validator_value is not False or not isinstance(value, dict):
        return _as_jsonschema_says(error, wording)
    known = list(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    problems = []
    for key in value:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        message = f"unknown key {key!r} in {_noun(schema, keys, wording.root)}"
        close = _suggestion(key, known)
        if close:
            message += f"; did you mean {close!r}?"
        elif known:
            message += f"; expected {_join(known)}"
        problems.append(_Problem(keys + (key,), message, "key", close))
    return problems


def _likely_typo(error, wording: _Wording) -> list[_Problem]:
    """`x-typo-check`: a key of an open mapping one edit away from a declared one."""
    keys = _keys(error)
    meant = error.validator_value
    return [_Problem(keys, f"unknown key {keys[-1]!r} in {_noun(_schema(error), keys[:-1], wording.root)}; "
                           f"did you mean {meant!r}?", "key", meant)]


def _missing_keys(error, wording: _Wording) -> list[_Problem]:
    """`required`: one problem per missing key, at the mapping that lacks it."""
    if not isinstance(error.instance, dict):
        return _as_jsonschema_says(error, wording)
    keys = _keys(error)
    name = _name(keys, wording.root)
    return [_Problem(keys, f"{name} is missing {key!r}", "mapping", missing=key)
            for key in error.validator_value if key not in error.instance]


def _wrong_type(error, wording: _Wording) -> list[_Problem]:
    expected = error.validator_value
    types = [expected] if isinstance(expected, str) else expected
    if error.instance is None and types == ["string"] and _schema(error).get("minLength", 0) >= 1:
        # `justification:` written with nothing after it: the author left it empty
        return [_Problem(_keys(error), f"{_name(_keys(error), wording.root)} must not be empty", "value")]
    return [_value_problem(error, wording, f"must be {_type_words(types)}")]


def _not_allowed(error, wording: _Wording) -> list[_Problem]:
    """`enum`: the allowed values, and the closest one to what was written."""
    allowed = error.validator_value
    problem = _value_problem(error, wording, f"must be one of {', '.join(map(str, allowed))}")
    close = _suggestion(error.instance, [a for a in allowed if isinstance(a, str)])
    if close:
        problem = _Problem(problem.keys, f"{problem.message}; did you mean {close!r}?", "value", close)
    return [problem]


def _not_the_constant(error, wording: _Wording) -> list[_Problem]:
    return [_value_problem(error, wording, f"must be {error.validator_value!r}")]


def _pattern_mismatch(error, wording: _Wording) -> list[_Problem]:
    """`pattern`, on a value or (under `propertyNames`) on a key; named patterns say their name."""
    keys, value, pattern = _keys(error), error.instance, error.validator_value
    named = wording.named_patterns.get(pattern)
    if "propertyNames" in error.absolute_schema_path:
        owner = _name(keys, wording.root)
        message = (f"{value!r} in {owner} is not {named.noun} ({named.rule}, e.g. {named.example})"
                   if named else f"key {value!r} in {owner} must match {pattern}")
        return [_Problem(keys + (value,), message, "key")]
    if pattern == _NOT_BLANK:
        if value == "" and _schema(error).get("minLength", 0) >= 1:
            return []  # `minLength` says it: "must not be empty", once
        return [_Problem(keys, f"{_name(keys, wording.root)} must not be blank", "value")]
    example = _schema(error).get("examples")
    hint = f" (e.g. {example[0]})" if example else ""
    if named:
        hint = hint or f" (e.g. {named.example})"
        return [_value_problem(error, wording, f"must be {named.noun}: {named.rule}{hint}")]
    return [_value_problem(error, wording, f"must match {pattern}{hint}")]


def _wrong_format(error, wording: _Wording) -> list[_Problem]:
    words = _FORMAT_WORDS.get(error.validator_value, f"in {error.validator_value} format")
    return [_value_problem(error, wording, f"must be {words}")]


def _too_small(error, wording: _Wording) -> list[_Problem]:
    """`minItems`, `minLength`, `minProperties`: a minimum of 1 reads "must not be empty"."""
    keys, limit = _keys(error), error.validator_value
    name = _name(keys, wording.root)
    if limit == 1:
        return [_Problem(keys, f"{name} must not be empty", "value")]
    return [_Problem(keys, f"{name} must have at least {limit} {_MINIMUM_UNITS[error.validator]}", "value")]


def _below_minimum(error, wording: _Wording) -> list[_Problem]:
    return [_value_problem(error, wording, f"must be at least {error.validator_value}")]


def _alternatives(error, wording: _Wording) -> list[_Problem]:
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
        return [_value_problem(error, wording, f"must be {_type_words(wrong_type)}")]
    problems = []
    for sub in min(fitting, key=len):
        problems.extend(_explain(sub, wording))
    return problems or _as_jsonschema_says(error, wording)


_EXPLAIN_BY_KEYWORD: dict[str, Callable[[Any, _Wording], list[_Problem]]] = {
    "additionalProperties": _unknown_keys,
    TYPO_CHECK: _likely_typo,
    "required": _missing_keys,
    "type": _wrong_type,
    "enum": _not_allowed,
    "const": _not_the_constant,
    "pattern": _pattern_mismatch,
    "format": _wrong_format,
    "minItems": _too_small,
    "minLength": _too_small,
    "minProperties": _too_small,
    "minimum": _below_minimum,
    "anyOf": _alternatives,
    "oneOf": _alternatives,
}
"""The validator keywords this layer words itself; the rest get `_as_jsonschema_says`."""


def _explain(error, wording: _Wording) -> list[_Problem]:
    return _EXPLAIN_BY_KEYWORD.get(error.validator, _as_jsonschema_says)(error, wording)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

def _explained(instance: Any, validator, wording: _Wording) -> list[_Problem]:
    """Every problem once, in the validator's order, without those another one implies: no
    "missing 'severity'" when the same mapping has `severty:` (its message says it all)."""
    problems = [p for error in validator.iter_errors(instance) for p in _explain(error, wording)]
    meant = {(p.keys[:-1], p.suggests) for p in problems if p.at == "key" and p.suggests}
    unique: dict = {}
    for problem in problems:
        if not (problem.missing and (problem.keys, problem.missing) in meant):
            unique.setdefault((problem.keys, problem.message), problem)
    return list(unique.values())


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


def check_against_schema(loaded: LoadedYaml, validator,
                         named_patterns: Mapping[str, NamedPattern] | None = None) -> list[StructureError]:
    """Every error of a loaded file against `validator`'s schema, in file order, each at the
    offending key or value. Messages name the whole file after the schema's `title`."""
    wording = _Wording(_root_name(validator.schema), named_patterns or {})
    found = [StructureError(p.message, _span(loaded, p), loaded.path, p.keys, p.suggests)
             for p in _explained(loaded.data, validator, wording)]
    return sorted(found, key=lambda e: (e.span.start, e.span.end, e.message))


def schema_problems(instance: Any, validator, root: str,
                    named_patterns: Mapping[str, NamedPattern] | None = None) -> list[tuple[tuple, str]]:
    """What is wrong with a value that has no file of its own, as (keys inside it, message)
    pairs ordered by keys; `root` is how messages name the value (`the waiver`)."""
    wording = _Wording(root, named_patterns or {})
    found = [(p.keys, p.message) for p in _explained(instance, validator, wording)]
    return sorted(found, key=lambda item: [str(k) for k in item[0]])
