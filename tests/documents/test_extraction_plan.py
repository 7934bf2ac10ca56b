"""A schema's x-source and x-value annotations are checked against the extractor's tables when
the schema is first used: an unknown directive is an error naming the property, never a value
silently not found."""

from __future__ import annotations

import copy

import pytest

from hotfix_policy.engine.documents import markdown, scopes
from hotfix_policy.engine.documents.extract import DIRECTIVES, Extractor, extraction_plan
from hotfix_policy.engine.documents.extraction_plan import SchemaError
from hotfix_policy.engine.documents.model import LineIndex
from hotfix_policy.engine.documents.schemas import load_schema
from hotfix_policy.engine.documents.value_kinds import VALUE_READERS
from hotfix_policy.engine.kinds import KINDS


def schema_with(**properties) -> dict:
    return {"x-kind": "note", "x-scopes": {"summary": {"heading": "Summary"}},
            "properties": {name: {"type": "string", "description": name, **prop} for name, prop in properties.items()}}


def plan_error(schema: dict) -> str:
    with pytest.raises(SchemaError) as caught:
        extraction_plan(schema)
    return str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_bundled_schema_is_understood(kind):
    plan = extraction_plan(load_schema(kind))
    assert plan is extraction_plan(load_schema(kind))  # prepared once
    assert plan.objects[id(load_schema(kind)["properties"])]


def test_an_unknown_directive_is_an_error_when_the_schema_is_first_used():
    schema = schema_with(owner={"x-source": {"lable": "Owner"}})
    assert plan_error(schema) == ("note schema, owner: unknown x-source directive 'lable'; expected one of "
                                  f"{', '.join(DIRECTIVES)} (see schemas/README.md)")


def test_the_error_comes_before_any_document_is_read():
    schema = schema_with(owner={"x-source": {"label": "Owner", "scop": "summary"}})
    text = "# Note\n\n## Summary\n\nOwner: dana\n"
    index = LineIndex(text)
    structure = scopes.build(text, markdown.outline(text, index, 0), schema)
    with pytest.raises(SchemaError, match="owner: unknown x-source directive 'scop'"):
        Extractor(text, index, structure, schema)


def test_a_misspelt_directive_deep_in_a_list_item_schema_is_found():
    schema = schema_with(actions={"type": "array", "x-source": {"scope": "summary", "items": True},
                                  "items": {"type": "object", "description": "an action", "properties": {
                                      "text": {"type": "string", "description": "t", "x-source": {"item": "text"}},
                                      "owner": {"type": "string", "description": "o",
                                                "x-source": {"item_lable": "Owner"}}}}})
    assert "actions.[].owner: unknown x-source directive 'item_lable'" in plan_error(schema)


@pytest.mark.parametrize("source, problem", [
    ({"label": "Owner", "pattern": "(?P<value>.*)"}, 'x-source {"label": "Owner", "pattern": "(?P<value>.*)"} '
                                                     "combines keys that do not go together"),
    ({"from": "title"}, "x-source 'from' needs pattern"),
    ({"line": "second"}, "x-source 'line' is one of first, rest, not \"second\""),
    ({"item": "text"}, "x-source 'item' is read in list items, not in objects"),
    ([{"label": "Owner"}, {"headings": True, "labels": True}], "combines keys that do not go together"),
    ("Owner", 'x-source must be an object or a list of objects, not "Owner"'),
])
def test_sources_that_do_not_fit_the_vocabulary(source, problem):
    assert problem in plan_error(schema_with(owner={"x-source": source}))


def test_an_object_directive_inside_list_items_is_an_error():
    schema = schema_with(actions={"type": "array", "x-source": {"scope": "summary", "items": True},
                                  "items": {"type": "object", "description": "an action", "properties": {
                                      "text": {"type": "string", "description": "t", "x-source": {"label": "x"}}}}})
    assert "x-source 'label' is read in objects, not in list items" in plan_error(schema)


def test_an_unknown_value_kind_is_an_error():
    schema = schema_with(owner={"x-source": {"label": "Owner"}, "x-value": "person"})
    assert plan_error(schema) == ("note schema, owner: unknown x-value 'person'; expected one of "
                                  f"{', '.join(VALUE_READERS)} (see schemas/README.md)")


def test_a_schema_that_fits_extracts():
    schema = copy.deepcopy(schema_with(owner={"x-source": {"scope": "summary", "label": "Owner"}}))
    text = "# Note\n\n## Summary\n\nOwner: dana\n"
    index = LineIndex(text)
    structure = scopes.build(text, markdown.outline(text, index, 0), schema)
    assert Extractor(text, index, structure, schema).run() == {"owner": "dana"}
