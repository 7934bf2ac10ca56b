"""Structure of policy, policy test and config files: schemas, messages, spans, waivers, kinds."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from hotfix_policy.engine.kinds import APPLIES_TO, FILE_KINDS
from hotfix_policy.engine.located_yaml import StructureError, load_yaml
from hotfix_policy.engine.policy.structure import (
    check_structure,
    detect_file_kind,
    load_file_schema,
    waiver_problem_details,
)
from hotfix_policy.engine.resources import resource_dir


def errors(text: str, schema: str, path: str = "f.yaml") -> list[tuple[int, int, str, str]]:
    """(line, column, spanned text, message) of each structural error."""
    loaded = load_yaml(text, path)
    return [(e.span.line, e.span.column, e.span.slice(text), e.message) for e in check_structure(loaded, schema)]


POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata:
  name: hotfix-pull-request
  description: Hotfix PRs carry the emergency template.
spec:
  appliesTo: pull_request
  match: "ctx.branch.startsWith('hotfix/') || 'hotfix' in ctx.labels"
  variables:
    - name: required_testing
      expression: >-
        doc.testing_performed.filter(i,
          i.text.startsWith('Existing tests pass'))
  rules:
    - id: PR006
      severity: error
      forEach: "variables.required_testing"
      expression: "item.checked"
      target: "item"
      message: "Required testing box not checked"
      messageExpression: "'Not checked: ' + item.text"
      docs:
        summary: Required testing boxes are checked.
        rationale: The seed requires them.
        seed: "Step 4: Expedited Testing"
        examples:
          - {name: unchecked, documents: {pr.md: "..."}, expect: {pr.md: [PR006]}}
          - name: checked
            now: 2026-11-26T12:00:00Z
            data: {admins: [ops-lead], max_hotfix_files: 3, team_channel: "#ops"}
            ctx:
              branch: hotfix/v1.2.4-x
              labels: [hotfix]
              changed_files: [src/a.py]
              approvals: [{login: lee, at: 2026-11-21T10:00:00Z}]
            documents:
              pr.md: "..."
              msg.txt: {text: "hotfix(api): x", kind: commit}
              other.md: {file: fixtures/other.md}
            repository: {merges: [], branches: [], tags: []}
            waivers: [{rules: [PR009], documents: ["pr:1"], justification: j, approved_by: a, expires: 2026-12-15}]
            expect: {pr.md: [], repository: []}
    - id: PR007
      severity: warning
      expression: "true"
"""


# ---------------------------------------------------------------------------------------------
# the schemas themselves
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["policy", "policy_test", "config"])
def test_schema_is_valid_2020_12_with_id_and_title(name):
    schema = load_file_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.schema.json")
    assert schema["title"] and schema["description"]


def _walk_properties(node, where=""):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.{key}", value
        for key, value in node.items():
            yield from _walk_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk_properties(value, f"{where}[{n}]")


@pytest.mark.parametrize("name", ["policy", "policy_test", "config"])
def test_every_property_has_a_description(name):
    missing = [where for where, prop in _walk_properties(load_file_schema(name))
               if not (isinstance(prop, dict) and prop.get("description"))]
    assert missing == []


def test_shared_definitions_are_identical_in_every_file():
    """The case, waiver, data and ctx shapes are copied into each schema (no cross-file $ref, so
    editors resolve them offline); edit one, copy it to the others."""
    policy, tests, config = (load_file_schema(n) for n in ("policy", "policy_test", "config"))
    for name in ("case", "document", "ctx", "data", "waiver"):
        assert policy["$defs"][name] == tests["$defs"][name], name
    for name in ("data", "waiver"):
        assert config["$defs"][name] == policy["$defs"][name], name
    assert policy["properties"]["spec"]["properties"]["rules"]["items"]["properties"]["docs"][
        "properties"]["examples"]["items"] == {"$ref": "#/$defs/case"}
    assert tests["properties"]["cases"]["items"] == {"$ref": "#/$defs/case"}


def test_data_defaults_match_the_catalogue(shared_dir):
    catalogue = (shared_dir / "CATALOGUE.md").read_text(encoding="utf-8")
    thresholds = dict(re.findall(r"`([a-z_]+)` (\d+)", catalogue.split("## incident")[0]))
    assert len(thresholds) == 11
    data = load_file_schema("config")["$defs"]["data"]["properties"]
    for key, default in thresholds.items():
        assert data[key]["type"] == "integer" and data[key]["default"] == int(default), key
        assert str(default) in data[key]["description"]
    assert data["admins"]["default"] == [] and data["senior_reviewers"]["default"] == []
    assert len(data["criteria"]["default"]) == 5
    assert data["test_globs"]["default"] == ["tests/**", "test/**", "**/test_*.*", "**/*_test.*",
                                             "**/*.test.*", "**/*.spec.*", "**/__tests__/**"]


def test_defaults_are_valid_config():
    data = load_file_schema("config")["$defs"]["data"]["properties"]
    defaults = {key: prop["default"] for key, prop in data.items()}
    text = json.dumps({"packs": ["builtin:hotfix"], "data": defaults})
    assert errors(text, "config") == []


def test_schemas_ship_in_the_schemas_directory():
    for name in ("policy", "policy_test", "config"):
        assert (resource_dir("schemas") / f"{name}.schema.json").is_file()


# ---------------------------------------------------------------------------------------------
# policy files
# ---------------------------------------------------------------------------------------------

def test_valid_policy_has_no_errors():
    assert errors(POLICY, "policy") == []


def test_unknown_key_points_at_the_key_with_a_suggestion():
    text = POLICY.replace("      severity: warning", "      severty: warning")
    assert errors(text, "policy") == [
        (44, 7, "severty", "unknown key 'severty' in rule; did you mean 'severity'?"),
    ]


def test_unknown_key_without_a_close_match_lists_the_keys():
    text = POLICY.replace("  description: Hotfix", "  colour: blue\n  description: Hotfix")
    [(line, column, spanned, message)] = errors(text, "policy")
    assert (line, column, spanned) == (5, 3, "colour")
    assert message == "unknown key 'colour' in metadata; expected name or description"


def test_enum_message_and_value_span():
    text = POLICY.replace("      severity: warning", "      severity: fatal")
    assert errors(text, "policy") == [
        (44, 17, "fatal", "severity must be one of error, warning, info; found 'fatal'"),
    ]
    text = POLICY.replace("appliesTo: pull_request", "appliesTo: pull-request")
    [(_, _, spanned, message)] = errors(text, "policy")
    assert spanned == "pull-request"
    assert message.endswith("found 'pull-request'; did you mean 'pull_request'?")


def test_missing_required_key_points_at_the_item():
    text = POLICY.replace('      expression: "true"\n', "")
    assert errors(text, "policy") == [(43, 7, "id", "rules[1] is missing 'expression'")]


def test_missing_required_key_of_a_named_mapping_points_at_its_key():
    text = POLICY.replace("  name: hotfix-pull-request\n", "")
    assert errors(text, "policy") == [(3, 1, "metadata", "metadata is missing 'name'")]


def test_missing_top_level_key():
    text = "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: x}\n"
    assert errors(text, "policy") == [(1, 1, "apiVersion", "the policy file is missing 'spec'")]


def test_wrong_types():
    text = ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: x}\n"
            "spec:\n  appliesTo: incident\n  rules: just one\n")
    assert errors(text, "policy") == [(6, 10, "just one", "rules must be a list; found 'just one'")]
    text = ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: x}\n"
            "spec:\n  appliesTo: incident\n  rules:\n    - id: INC001\n      severity: error\n      expression:\n")
    assert errors(text, "policy") == [(9, 7, "expression", "expression must not be empty")]
    assert errors("- a\n", "policy") == [(1, 1, "- a", "the policy file must be a mapping; found a list")]


def test_rule_id_pattern_const_and_empty_expression():
    text = (POLICY.replace("id: PR007", "id: pr7").replace("apiVersion: policy/v1", "apiVersion: v1")
            .replace('expression: "true"', 'expression: ""'))
    assert errors(text, "policy") == [
        (1, 13, "v1", "apiVersion must be 'policy/v1'; found 'v1'"),
        (43, 11, "pr7", "id must be a rule id: capital letters then three digits (e.g. PR006); found 'pr7'"),
        (45, 19, '""', "expression must not be empty"),
    ]


def test_variable_name_pattern():
    text = POLICY.replace("name: required_testing", "name: required-testing")
    [(_, _, spanned, message)] = errors(text, "policy")
    assert spanned == "required-testing"
    assert message.startswith("name must match ^[A-Za-z_][A-Za-z0-9_]*$; found 'required-testing'")


def test_errors_inside_docs_examples():
    text = (POLICY.replace("now: 2026-11-26T12:00:00Z", "now: tomorrow")
            .replace("max_hotfix_files: 3", "max_hotfix_file: 3")
            .replace("labels: [hotfix]", "label: [hotfix]")
            .replace("kind: commit}", "kind: commits}")
            .replace("pr.md: \"...\"\n              msg", "pr.md: 3\n              msg")
            .replace("expect: {pr.md: [], repository: []}", "expect: {pr.md: [PR6]}"))
    assert errors(text, "policy") == [
        (29, 18, "tomorrow",
         "now must be a date and time with a time zone such as 2026-11-20T09:00:00Z; found 'tomorrow'"),
        (30, 40, "max_hotfix_file", "unknown key 'max_hotfix_file' in data; did you mean 'max_hotfix_files'?"),
        (33, 15, "label", "unknown key 'label' in context; did you mean 'labels'?"),
        (37, 22, "3", "documents['pr.md'] must be a string or a mapping; found 3"),
        (38, 55, "commits", f"kind must be one of {', '.join(FILE_KINDS)}; found 'commits'; did you mean 'commit'?"),
        (42, 30, "PR6", "expect['pr.md'][0] must be a rule id: capital letters then three digits "
                        "(e.g. PR009); found 'PR6'"),
    ]


def test_structure_error_str_and_order():
    text = POLICY.replace("      severity: warning", "      severity: fatal").replace("kind: Policy", "kind: Polcy")
    loaded = load_yaml(text, "policies/pr.yaml")
    found = check_structure(loaded, "policy")
    assert [str(e) for e in found] == [
        "policies/pr.yaml:2:7: kind must be 'Policy'; found 'Polcy'",
        "policies/pr.yaml:44:17: severity must be one of error, warning, info; found 'fatal'",
    ]
    assert isinstance(found[0], StructureError) and found[0].keys == ("kind",)
    assert found[1].keys == ("spec", "rules", 1, "severity")


def test_every_error_is_reported():
    text = ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: x, extra: 1}\n"
            "spec:\n  appliesTo: nothing\n  rules:\n    - {id: A001, severity: bad, expression: x, foo: 1}\n"
            "    - {id: B002}\n")
    messages = [message for *_, message in errors(text, "policy")]
    assert messages == [
        "unknown key 'extra' in metadata; expected name or description",
        f"appliesTo must be one of {', '.join(APPLIES_TO)}; found 'nothing'",
        "severity must be one of error, warning, info; found 'bad'",
        "unknown key 'foo' in rule; expected id, severity, expression, forEach, target, message, "
        "messageExpression or docs",
        "rules[1] is missing 'expression'",
        "rules[1] is missing 'severity'",
    ]


# ---------------------------------------------------------------------------------------------
# policy test files
# ---------------------------------------------------------------------------------------------

TESTS = """\
apiVersion: policy/v1
kind: PolicyTest
cases:
  - name: late update
    now: 2026-11-26T12:00:00Z
    data: {admins: [ops-lead]}
    ctx: {branch: hotfix/v1.2.4-x, labels: [hotfix], changed_files: [src/a.py, tests/test_a.py],
          approvals: [{login: lee, at: 2026-11-21T10:00:00Z}]}
    documents: {incidents/INC-7.md: "...", pr.md: "..."}
    repository: {merges: [], branches: [], tags: []}
    expect: {incidents/INC-7.md: [INC006], pr.md: []}
"""


def test_valid_policy_test_file():
    assert errors(TESTS, "policy_test") == []


def test_policy_test_errors():
    text = TESTS.replace("    expect:", "    expected:").replace("kind: PolicyTest", "kind: PolicyTests")
    assert errors(text, "policy_test") == [
        (2, 7, "PolicyTests", "kind must be 'PolicyTest'; found 'PolicyTests'"),
        (11, 5, "expected", "unknown key 'expected' in policy test case; did you mean 'expect'?"),
    ]
    text = TESTS.replace("  - name: late update\n", "  - now: x\n").replace("    now: 2026-11-26T12:00:00Z\n", "")
    assert errors(text, "policy_test")[0] == (4, 5, "now", "cases[0] is missing 'name'")


def test_null_approvals_mean_unknown():
    text = TESTS.replace("approvals: [{login: lee, at: 2026-11-21T10:00:00Z}]", "approvals: null")
    assert errors(text, "policy_test") == []


# ---------------------------------------------------------------------------------------------
# config
# ---------------------------------------------------------------------------------------------

CONFIG = """\
packs: [builtin:hotfix, ./team-pack]
policies: [policies/extra.yaml]
documents:
  incident: ["incidents/**/*.md"]
  pull_request: [".github/pr/*.md"]
data:
  admins: [ops-lead]
  senior_reviewers: [lee]
  people: {Dana K: dana-k}
  criteria:
    - {name: Production down, aliases: [prod down]}
  max_hotfix_files: 12
  my_team_key: anything
rules:
  PR009: error
  PR012: off
waivers:
  - rules: [PR009]
    documents: ["pr:318", "incidents/INC-2042.md"]
    justification: "Multi-service fix, reviewed by two seniors"
    approved_by: ops-lead
    expires: 2026-12-15
clock: 2026-11-20T12:00:00Z
"""


def test_valid_config():
    assert errors(CONFIG, "config", ".policy.yaml") == []


def test_empty_config_is_valid():
    assert errors("", "config") == []
    assert errors("# only a comment\n", "config") == []


def test_config_errors():
    text = (CONFIG.replace("  incident:", "  incidents:").replace("PR012: off", "PR012: disabled")
            .replace("  PR009: error", "  pr9: error").replace("max_hotfix_files: 12", "max_hotfix_files: '12'")
            .replace("clock: 2026-11-20T12:00:00Z", "clock: 2026-11-20\nwaiver: []"))
    assert errors(text, "config") == [
        (4, 3, "incidents", "unknown key 'incidents' in document globs; did you mean 'incident'?"),
        (12, 21, "'12'", "max_hotfix_files must be a whole number; found '12'"),
        (15, 3, "pr9", "'pr9' in rules is not a rule id (capital letters then three digits, e.g. PR009)"),
        (16, 10, "disabled", "PR012 must be one of error, warning, info, off; found 'disabled'"),
        (23, 8, "2026-11-20",
         "clock must be a date and time with a time zone such as 2026-11-20T09:00:00Z; found '2026-11-20'"),
        (24, 1, "waiver", "unknown key 'waiver' in the configuration; did you mean 'waivers'?"),
    ]


def test_threshold_minimum_and_data_typos_only_when_close():
    text = "data:\n  max_hotfix_files: -1\n  admin: [x]\n  maxHotfixFiles: 3\n  max_hotfix_lines: 3\n"
    assert errors(text, "config") == [
        (2, 21, "-1", "max_hotfix_files must be at least 1; found -1"),
        (3, 3, "admin", "unknown key 'admin' in data; did you mean 'admins'?"),
        (4, 3, "maxHotfixFiles", "unknown key 'maxHotfixFiles' in data; did you mean 'max_hotfix_files'?"),
    ]


def test_malformed_waivers_are_not_structural_errors():
    text = "waivers:\n  - 3\n  - {rules: PR009}\n  - {whatever: true}\n"
    assert errors(text, "config") == []
    assert errors("waivers: {rules: [PR009]}\n", "config") == [
        (1, 10, "{rules: [PR009]}", "waivers must be a list; found a mapping")]


# ---------------------------------------------------------------------------------------------
# waivers
# ---------------------------------------------------------------------------------------------

GOOD_WAIVER = {"rules": ["PR009"], "documents": ["pr:318"], "justification": "why",
               "approved_by": "ops-lead", "expires": "2026-12-15"}


def waiver_problems(entry) -> list:
    """The messages of a waiver entry's shape problems."""
    return [message for _, message in waiver_problem_details(entry)]


def test_good_waiver_has_no_problems():
    assert waiver_problems(GOOD_WAIVER) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"rules": "PR009"}, [(("rules",), "rules must be a list; found 'PR009'")]),
    ({"rules": []}, [(("rules",), "rules must not be empty")]),
    ({"rules": ["pr9"]}, [(("rules", 0), "rules[0] must be a rule id: capital letters then three digits (e.g. PR009); "
                                        "found 'pr9'")]),
    ({"documents": []}, [(("documents",), "documents must not be empty")]),
    ({"justification": "  "}, [(("justification",), "justification must not be blank")]),
    ({"justification": None}, [(("justification",), "justification must not be empty")]),  # `justification:`
    ({"approved_by": ""}, [(("approved_by",), "approved_by must not be empty")]),  # once, not also "blank"
    ({"justification": ""}, [(("justification",), "justification must not be empty")]),
    ({"expires": "next week"}, [(("expires",), "expires must be a date such as 2026-12-15; found 'next week'")]),
    ({"expires": "2026-02-30"}, [(("expires",), "expires must be a date such as 2026-12-15; found '2026-02-30'")]),
    ({"expiry": "2026-12-15"}, [(("expiry",), "unknown key 'expiry' in the waiver; did you mean 'expires'?")]),
])
def test_waiver_problems(change, expected):
    entry = dict(GOOD_WAIVER, **change)
    assert waiver_problem_details(entry) == expected


def test_waiver_missing_keys_and_wrong_type():
    assert waiver_problems({"rules": ["PR009"]}) == [
        "the waiver is missing 'documents'", "the waiver is missing 'justification'",
        "the waiver is missing 'approved_by'", "the waiver is missing 'expires'"]
    assert waiver_problems("PR009") == ["the waiver must be a mapping; found 'PR009'"]
    assert waiver_problems(None) == ["the waiver must be a mapping; found nothing"]


# ---------------------------------------------------------------------------------------------
# file kinds
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "text", "kind"), [
    ("p.yaml", POLICY, "policy"),
    ("t.yaml", TESTS, "policy_test"),
    (".policy.yaml", "", "config"),
    ("dir/.policy.yml", "packs: []\n", "config"),
    ("team.yaml", "data: {admins: [x]}\nrules: {PR009: off}\n", "config"),
    ("other.yaml", "name: ci\non: push\n", None),
    ("other.yaml", "kind: Deployment\n", None),
    ("other.yaml", "- a\n", None),
    ("other.yaml", "", None),
])
def test_detect_file_kind(path, text, kind):
    assert detect_file_kind(load_yaml(text, path)) == kind


def test_every_type_error_of_an_expression_is_reported_at_its_place(tmp_path):
    """Like a compiler, validate goes on past a wrong field: each mistake of one expression is a
    line of its own (a wrong node is taken as `dyn`, so its parent gets no second error)."""
    import subprocess

    from tests.conftest import POLICY_COMMAND

    (tmp_path / "policies").mkdir()
    (tmp_path / ".policy.yaml").write_text("policies: [policies/]\n", encoding="utf-8")
    (tmp_path / "policies" / "x.yaml").write_text(
        "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n  appliesTo: incident\n  rules:\n"
        "    - id: X001\n      severity: error\n"
        "      expression: \"doc.comander.login == 'a' && size(doc.updates) > 'a' && doc.severity.startsWith(1)\"\n",
        encoding="utf-8")
    result = subprocess.run([POLICY_COMMAND, "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        "policies/x.yaml:9:24: `Incident record` has no field `comander`; did you mean `commander`?",
        "policies/x.yaml:9:67: no matching overload for '>' applied to (int, string)",
        "policies/x.yaml:9:89: no matching overload for 'startsWith' applied to (string, int)"]
