"""JSON Schema errors worded and located: one case per validator keyword, over a small schema of
its own (the product's schemas are tested in tests/policy/test_structure.py)."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.located_yaml import (
    NamedPattern,
    check_against_schema,
    load_yaml,
    schema_problems,
    schema_validator,
)

CODE = r"^[A-Z]{2}[0-9]$"
NAMED = {CODE: NamedPattern("a code", "two capitals then a digit", "AB1")}

SCHEMA = {
    "title": "Sample file",
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": r"\S"},
        "version": {"const": "v1"},
        "level": {"enum": ["low", "high"]},
        "count": {"type": "integer", "minimum": 0},
        "when": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "date-time"},
        "code": {"type": "string", "pattern": CODE},
        "shown": {"type": "string", "pattern": CODE, "examples": ["XY7"]},
        "slug": {"type": "string", "pattern": "^[a-z]+$"},
        "tags": {"type": "array", "minItems": 1, "maxItems": 2},
        "pair": {"type": "array", "minItems": 2},
        "word": {"type": "string", "minLength": 3},
        "options": {"type": "object", "minProperties": 1},
        "extra": {"type": "object", "x-typo-check": True, "properties": {"colour": {}}},
        "codes": {"type": "object", "propertyNames": {"pattern": CODE}},
        "slugs": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
        "either": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]},
        "one": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "people": {"type": "array", "items": {
            "title": "Person", "type": "object", "additionalProperties": False,
            "required": ["login", "role"], "properties": {"login": {}, "role": {}}}},
    },
}


def located(text: str, named=NAMED) -> list[tuple[int, int, str, str]]:
    """(line, column, spanned text, message) of each error of `text` against SCHEMA."""
    loaded = load_yaml(text, "f.yaml")
    return [(e.span.line, e.span.column, e.span.slice(text), e.message)
            for e in check_against_schema(loaded, schema_validator(SCHEMA), named)]


@pytest.mark.parametrize(("body", "expected"), [
    # additionalProperties: a suggestion when one is close, else the declared keys
    ("nmae: x\n", [(1, 1, "nmae", "unknown key 'nmae' in the sample file; did you mean 'name'?")]),
    ("people: [{login: a, role: b, zzz: 1}]\n",
     [(1, 30, "zzz", "unknown key 'zzz' in person; expected login or role")]),
    # x-typo-check: only keys one edit away from a declared one
    ("extra: {color: red, mine: 1}\n",
     [(1, 9, "color", "unknown key 'color' in extra; did you mean 'colour'?")]),
    # required: at the item's first key, one message per key
    ("people:\n  - role: r\n", [(2, 5, "role", "people[0] is missing 'login'")]),
    ("people:\n  - {}\n", [(2, 5, "{}", "people[0] is missing 'login'"),
                          (2, 5, "{}", "people[0] is missing 'role'")]),
    # type, const, enum (with and without a suggestion), minimum
    ("count: many\n", [(1, 8, "many", "count must be a whole number; found 'many'")]),
    ("version: v2\n", [(1, 10, "v2", "version must be 'v1'; found 'v2'")]),
    ("level: hihg\n", [(1, 8, "hihg", "level must be one of low, high; found 'hihg'; did you mean 'high'?")]),
    ("level: 3\n", [(1, 8, "3", "level must be one of low, high; found 3")]),
    ("count: -1\n", [(1, 8, "-1", "count must be at least 0; found -1")]),
    # format
    ("when: 2026-02-30\n", [(1, 7, "2026-02-30", "when must be a date such as 2026-12-15; found '2026-02-30'")]),
    ("at: 2026-11-20T09:00\n", [(1, 5, "2026-11-20T09:00", "at must be a date and time with a time zone "
                                                          "such as 2026-11-20T09:00:00Z; found '2026-11-20T09:00'")]),
    # pattern: named (its example, or the schema's), unnamed, and on keys
    ("code: ab1\n", [(1, 7, "ab1", "code must be a code: two capitals then a digit (e.g. AB1); found 'ab1'")]),
    ("shown: ab1\n", [(1, 8, "ab1", "shown must be a code: two capitals then a digit (e.g. XY7); found 'ab1'")]),
    ("slug: A\n", [(1, 7, "A", "slug must match ^[a-z]+$; found 'A'")]),
    ("codes: {ab1: x}\n", [(1, 9, "ab1", "'ab1' in codes is not a code (two capitals then a digit, e.g. AB1)")]),
    ("slugs: {A: x}\n", [(1, 9, "A", "key 'A' in slugs must match ^[a-z]+$")]),
    # minItems, minLength, minProperties
    ("tags: []\n", [(1, 7, "[]", "tags must not be empty")]),
    ("pair: [a]\n", [(1, 7, "[a]", "pair must have at least 2 items")]),
    ("word: ab\n", [(1, 7, "ab", "word must have at least 3 characters")]),
    ("options: {}\n", [(1, 10, "{}", "options must not be empty")]),
    # anyOf/oneOf: the branch of the value's type explains; no such branch: the types
    ("either: [1, x]\n", [(1, 13, "x", "either[1] must be a whole number; found 'x'")]),
    ("either: {a: 1}\n", [(1, 9, "{a: 1}", "either must be a string or a list; found a mapping")]),
    ("one: 1.5\n", [(1, 6, "1.5", "one must be a string or a whole number; found 1.5")]),
    # any other keyword: jsonschema's own message, at the value
    ("tags: [a, b, c]\n", [(1, 7, "[a, b, c]", "tags: ['a', 'b', 'c'] is too long")]),
])
def test_each_keyword_is_worded_and_located(body, expected):
    assert located("name: n\n" + body) == [(line + 1, column, spanned, message)
                                           for line, column, spanned, message in expected]


def test_the_not_blank_pattern():
    assert located("name: ' '\n") == [(1, 7, "' '", "name must not be blank")]


def test_a_pattern_without_a_name_shows_the_expression():
    assert located("name: n\ncode: ab1\n", named=None) == [
        (2, 7, "ab1", f"code must match {CODE}; found 'ab1'")]


def test_root_is_named_after_the_schema_title():
    assert located("") == [(1, 1, "", "the sample file must be a mapping; found nothing")]
    assert located("level: low\n") == [(1, 1, "level", "the sample file is missing 'name'")]


def test_a_likely_typo_implies_the_missing_key_and_errors_come_in_file_order():
    text = "level: hihg\nnme: x\ncount: many\n"
    assert [message for *_, message in located(text)] == [
        "level must be one of low, high; found 'hihg'; did you mean 'high'?",
        "unknown key 'nme' in the sample file; did you mean 'name'?",
        "count must be a whole number; found 'many'",
    ]


def test_schema_problems_of_a_value_without_a_file():
    validator = schema_validator(SCHEMA["properties"]["people"]["items"])
    assert schema_problems({"login": "a", "rol": "x"}, validator, "the person") == [
        (("rol",), "unknown key 'rol' in the person; did you mean 'role'?")]
    assert schema_problems({"zzz": 1}, validator, "the person") == [
        ((), "the person is missing 'login'"), ((), "the person is missing 'role'"),
        (("zzz",), "unknown key 'zzz' in the person; expected login or role")]
    assert schema_problems("x", validator, "the person") == [((), "the person must be a mapping; found 'x'")]
    assert schema_problems({"login": "a", "role": "b"}, validator, "the person") == []
