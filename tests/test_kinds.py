"""The registry of document kinds (`engine/kinds.py`) and the files that cannot import it.

The policy, policy test and config JSON Schemas list kinds for editors and the structure check;
each kind needs its own schema, templates and policies. These tests fail, naming the file, when
any of them disagrees with the registry: adding a kind means adding it where they say.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hotfix_policy.engine.documents import parse_document
from hotfix_policy.engine.documents.templates import TEMPLATE_DIR, template_for
from hotfix_policy.engine.errors import UsageError
from hotfix_policy.engine.kinds import (APPLIES_TO, APPLIES_TO_DESCRIPTIONS, DETECTION_ORDER, FILE_KINDS, GIT, INCIDENT_LINKED_KINDS, KINDS,
                                        MARKDOWN, MARKDOWN_KINDS, MESSAGE, REGISTRY, SCOPES, UnknownKind, check_kind,
                                        incident_number, kind_named)
from hotfix_policy.engine.policy.structure import SCHEMA_NAMES
from hotfix_policy.engine.report.json_format import SCHEMA_FILE as REPORT_SCHEMA
from hotfix_policy.engine.resources import resource_dir
from tests.conftest import POLICY_COMMAND, REPO

SCHEMAS = resource_dir("schemas")
PACK = resource_dir("policies") / "hotfix"


def file_schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def kind_schema(kind: str) -> dict:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# the registry itself
# ---------------------------------------------------------------------------------------------

def test_the_registry_is_well_formed():
    assert len(set(KINDS)) == len(KINDS) and not set(KINDS) & set(SCOPES)
    assert all(kind.source in (MARKDOWN, MESSAGE, GIT) for kind in REGISTRY)
    ranks = [kind.detection_rank for kind in REGISTRY if kind.markdown]
    assert None not in ranks and len(set(ranks)) == len(ranks), "every Markdown kind needs its own detection_rank"
    assert all(kind.detection_rank is None for kind in REGISTRY if not kind.markdown)
    assert all(not kind.variants for kind in REGISTRY if not kind.from_file)


def test_derived_lists():
    assert KINDS[:4] == ("incident", "status_update", "pull_request", "post_incident_review")  # DESIGN.md's table
    assert [k for k in DETECTION_ORDER if k in KINDS[:4]] == ["post_incident_review", "pull_request", "incident",
                                                             "status_update"]  # DESIGN.md's detection order
    assert set(MARKDOWN_KINDS) == set(DETECTION_ORDER) and [k for k in KINDS if k in MARKDOWN_KINDS] == list(MARKDOWN_KINDS)
    assert FILE_KINDS == tuple(k for k in KINDS if k != "repository")
    assert {"incident", "pull_request", "post_incident_review", "commit", "tag"} <= set(INCIDENT_LINKED_KINDS)
    assert "status_update" not in INCIDENT_LINKED_KINDS and "repository" not in INCIDENT_LINKED_KINDS
    assert APPLIES_TO == KINDS + ("workspace", "any")


def test_template_files_follow_the_kind():
    assert kind_named("incident").template_files == ("incident.md",)
    assert kind_named("commit").template_file() == "commit.txt"
    assert kind_named("status_update").template_file() == "status_update.update.md"
    assert kind_named("status_update").template_file("resolution") == "status_update.resolution.md"
    assert kind_named("repository").template_files == ()
    for kind, variant in (("status_update", "nope"), ("incident", "update"), ("repository", None)):
        with pytest.raises(KeyError):
            kind_named(kind).template_file(variant)


def test_incident_number_reads_where_each_kind_names_its_incident():
    assert incident_number("incident", {"number": 7}) == 7
    assert incident_number("pull_request", {"incident_reference": {"text": "#7", "number": 7}}) == 7
    assert incident_number("post_incident_review", {"incident": {"number": 7}}) == 7
    assert incident_number("pull_request", {"incident": {"number": 7}}) is None
    assert incident_number("commit", {"incident": "#7"}) is None
    assert incident_number("incident", {"number": True}) is None  # a bool is not a number
    assert incident_number("status_update", {"number": 7}) is None
    assert incident_number(None, {"number": 7}) is None


# ---------------------------------------------------------------------------------------------
# unknown kinds: one message, from the registry
# ---------------------------------------------------------------------------------------------

def test_unknown_kinds_are_usage_errors_with_a_suggestion():
    with pytest.raises(UnknownKind) as raised:
        check_kind("comit", FILE_KINDS)
    assert isinstance(raised.value, UsageError) and isinstance(raised.value, ValueError)
    assert str(raised.value) == (f"unknown kind 'comit'; expected one of {', '.join(FILE_KINDS)}; "
                                 "did you mean `commit`?")
    with pytest.raises(UnknownKind, match="kind 'repository' comes from git, not from a file; expected one of incident"):
        check_kind("repository", FILE_KINDS)
    with pytest.raises(UnknownKind, match="kind 'commit' is not allowed here; expected one of incident, "):
        check_kind("commit", MARKDOWN_KINDS)
    with pytest.raises(UnknownKind, match=r"unknown kind 'memo'; expected one of [a-z_, ]+$"):
        kind_named("memo")
    assert check_kind("repository") == "repository"


def test_front_matter_kind_that_is_no_file_kind_is_doc001_at_the_value():
    document = parse_document("---\nkind: incidnet\n---\n# INC-1: x\n", path="a.md")
    [finding] = document.findings
    assert document.kind is None and finding.rule == "DOC001" and (finding.span.line, finding.span.column) == (2, 7)
    assert finding.message == (f"unknown kind 'incidnet' in front matter; expected one of {', '.join(FILE_KINDS)}; "
                               "did you mean `incident`?")
    document = parse_document("---\nkind: repository\n---\n# x\n", path="a.md")
    assert document.findings[0].message.startswith("kind 'repository' in front matter comes from git, not from a file")


def test_a_forced_or_configured_kind_that_is_no_file_kind_is_doc001():
    forced = parse_document("# x\n", path="a.md", kind="tags")
    configured = parse_document("# x\n", path="notes/a.md", config_globs={"tags": ["notes/*.md"]})
    for document in (forced, configured):
        assert document.kind is None and [f.rule for f in document.findings] == ["DOC001"]
        assert document.findings[0].message.endswith("did you mean `tag`?")
    assert forced.findings[0].message.startswith("unknown kind 'tags'; expected one of incident, ")
    assert configured.findings[0].message.startswith("unknown kind 'tags' in the config's document globs; ")


@pytest.mark.parametrize("argv", [
    ["check", "--kind", "comit", "x.md"], ["parse", "--kind", "comit", "x.md"], ["new", "comit"],
    ["schema", "comit"], ["explain", "CMT001", "pyproject.toml", "--kind", "comit"],
])
def test_every_command_names_the_kinds_and_suggests_one(argv):
    result = subprocess.run([POLICY_COMMAND, *argv], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr == (f"policy {argv[0]}: unknown kind 'comit'; expected one of "
                             f"{', '.join(KINDS if argv[0] == 'schema' else FILE_KINDS)}; did you mean `commit`?\n")


# ---------------------------------------------------------------------------------------------
# the files that cannot import the registry
# ---------------------------------------------------------------------------------------------

def _enums_naming_kinds(node, where=()):
    """Every `enum` in a schema that names a kind, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list) and set(KINDS) & set(map(str, value)):
                yield where, value
            yield from _enums_naming_kinds(value, where + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _enums_naming_kinds(value, where + (index,))


def test_policy_schema_applies_to_lists_every_kind_and_scope():
    applies_to = file_schema("policy")["properties"]["spec"]["properties"]["appliesTo"]
    assert applies_to["enum"] == list(APPLIES_TO), "schemas/policy.schema.json spec.appliesTo.enum"
    assert applies_to["enumDescriptions"] == [APPLIES_TO_DESCRIPTIONS[v] for v in APPLIES_TO], \
        "schemas/policy.schema.json spec.appliesTo.enumDescriptions: engine/kinds.py's descriptions, in order"


@pytest.mark.parametrize("name", ["policy", "policy_test", "config"])
def test_every_kind_list_in_the_file_schemas_is_the_registry(name):
    found = list(_enums_naming_kinds(file_schema(name)))
    assert found or name == "config"  # the config lists kinds as keys (below)
    for where, values in found:
        expected = APPLIES_TO if where[-1] == "appliesTo" else FILE_KINDS  # else: a document's `kind`
        assert values == list(expected), f"schemas/{name}.schema.json {'.'.join(map(str, where))}.enum"


def test_config_document_globs_take_every_file_kind():
    documents = file_schema("config")["properties"]["documents"]
    assert list(documents["properties"]) == list(FILE_KINDS), "schemas/config.schema.json documents.properties"
    assert documents["additionalProperties"] is False
    for kind in FILE_KINDS:
        assert documents["properties"][kind]["description"] == f"Globs of {kind} files. {APPLIES_TO_DESCRIPTIONS[kind]}", \
            f"schemas/config.schema.json documents.{kind}.description: engine/kinds.py's description"


def test_every_schema_file_is_a_kind_or_a_file_schema():
    """...or the JSON report's contract (`policy check --format json`)."""
    names = {path.name for path in SCHEMAS.glob("*.schema.json")}
    assert names == {f"{name}.schema.json" for name in (*KINDS, *SCHEMA_NAMES)} | {REPORT_SCHEMA}


@pytest.mark.parametrize("kind", REGISTRY, ids=lambda kind: kind.name)
def test_every_kind_has_its_schema(kind):
    schema = kind_schema(kind.name)
    assert schema["x-kind"] == kind.name
    assert schema.get("x-format") == {MARKDOWN: None, MESSAGE: "commit-message", GIT: "git"}[kind.source]
    assert bool(schema.get("x-detect")) == kind.markdown, "Markdown kinds, and only they, are detected by content"
    node = schema
    for key in kind.incident_number:
        node = node["properties"][key]
    assert not kind.incident_number or node["type"] == "integer", kind.incident_number


@pytest.mark.parametrize("kind", REGISTRY, ids=lambda kind: kind.name)
def test_every_kind_a_file_can_hold_has_its_templates(kind):
    for name in kind.template_files:
        assert (TEMPLATE_DIR / name).is_file(), f"engine/documents/templates/{name}"
    for variant in kind.variants or (None,):
        if kind.markdown:  # detected as its kind: by its front matter or by its content
            assert parse_document(template_for(kind.name, variant), path="t.md").kind == kind.name


def test_every_template_file_belongs_to_a_kind():
    owned = {name for kind in REGISTRY for name in kind.template_files}
    assert {path.name for path in TEMPLATE_DIR.iterdir() if path.is_file()} == owned


@pytest.mark.parametrize("kind", APPLIES_TO)
def test_the_built_in_pack_has_a_policy_per_kind(kind):
    from hotfix_policy.engine.located_yaml import load_yaml

    path = PACK / f"{kind}.yaml"
    assert path.is_file(), f"policies/hotfix/{kind}.yaml"
    assert load_yaml(path.read_text(encoding="utf-8"), str(path)).data["spec"]["appliesTo"] == kind


def test_the_registry_is_a_leaf():
    code = ("import sys; import hotfix_policy.engine.kinds; "
            "print(sorted(m for m in sys.modules if m.startswith('hotfix_policy.') "
            "and m not in ('hotfix_policy.engine', 'hotfix_policy.engine.kinds', 'hotfix_policy.engine.errors')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
