"""The schemas: valid draft 2020-12, described, closed, and every annotation understood."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from hotfix_policy.engine.documents.extraction_plan import sources_of, value_type
from hotfix_policy.engine.documents.schemas import load_schema
from hotfix_policy.engine.kinds import KINDS
from hotfix_policy.engine.resources import resource_dir

SOURCE_KEYS = {"engine", "event", "git", "label", "blocks", "items", "body", "scope", "capture", "implied",
               "scope_name", "present", "title", "front_matter", "from", "last_of", "headings", "labels", "line",
               "item", "item_label", "x-aliases", "pattern", "field"}
VALUE_TYPES = {"text", "timestamp", "duration", "handle", "incident_ref", "int", "bool", "semver", "list",
               "checklist", "timeline", "action_items"}


def walk(schema, path=()):
    yield path, schema
    for name, prop in schema.get("properties", {}).items():
        yield from walk(prop, path + (name,))
    if isinstance(schema.get("items"), dict):
        yield from walk(schema["items"], path + ("[]",))


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_and_described(kind):
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/{kind}.schema.json") and schema["title"] and schema["x-kind"] == kind
    assert (resource_dir("schemas") / f"{kind}.schema.json").read_text().endswith("\n")
    for path, node in walk(schema):
        if path:
            assert node.get("description"), path
        assert "enum" not in node and "required" not in node, path  # allowed values are the pack's rules
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path
        if node.get("format") in ("date-time", "duration"):
            assert node["type"] == "string", path
        for source in sources_of(node):
            assert set(source) <= SOURCE_KEYS, (path, source)
        if "x-value" in node:
            assert value_type(node) in VALUE_TYPES, path
        for choice in node.get("x-enum", ()):
            assert set(choice) == {"value", "description"}, path


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_declares_secrets(kind):
    assert load_schema(kind)["properties"]["secrets"]["items"]["properties"]["kind"]["type"] == "string"


def test_scope_names_used_exist():
    for kind in KINDS:
        schema = load_schema(kind)
        names = set(schema.get("x-scopes", {})) | {"*"}
        for path, node in walk(schema):
            for source in sources_of(node):
                for key in ("scope", "blocks"):
                    value = source.get(key)
                    for name in ([value] if isinstance(value, str) else value or []):
                        assert name in names, (kind, path, name)
        json.dumps(schema)
