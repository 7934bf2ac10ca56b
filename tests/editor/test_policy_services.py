"""Completion, hover, definition, outline and code lenses in policy files and `.policy.yaml`."""

from hotfix_policy.engine.editor import complete_policy, hover_policy, policy_definition, policy_lenses, policy_symbols
from hotfix_policy.engine.kinds import APPLIES_TO

from .conftest import CONFIG, NOW, POLICY, pos, where

EDITING = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: editing}
spec:
  appliesTo: incident
  variables:
    - name: late
      expression: "doc.updates.filter(u, has(u.eta))"
  rules:
    - id: ABC001
      severity: error
      forEach: variables.late
      expression: "doc.resolution. && item. && doc.updates.all(x, x.st) && variables."
"""


def labels(items):
    return [item.label for item in items]


def complete(text, needle, after, **kwargs):
    return complete_policy(text, *pos(text, needle, after), path="/w/policies/p.yaml", **kwargs)


def test_doc_fields_of_the_applies_to_kind_with_types():
    items = complete(EDITING, "doc.updates.filter", 4)
    assert labels(items)[:5] == ["id", "number", "title", "declared", "severity"]
    assert items[3].detail == "timestamp"
    assert items[4].documentation == "The level: CRITICAL, HIGH or MEDIUM (rule INC001)."
    assert where(items[0].edit.span) == (8, 24, 8, 24)


def test_nested_fields_item_fields_and_macro_variables():
    items = complete(EDITING, "doc.resolution.", 15)
    assert labels(items) == ["time", "issue", "duration", "resolution", "impact", "follow_up", "review_scheduled",
                             "size"]
    assert items[2].detail == "duration"
    items = complete(EDITING, "item.", 5)
    assert labels(items)[:6] == ["time", "status", "progress", "next", "eta", "issues"]
    items = complete(EDITING, "x.st", 4)
    assert labels(items)[:2] == ["time", "status"]
    assert where(items[0].edit.span) == (13, 69, 13, 71)


def test_variables_and_functions_with_signatures():
    items = complete(EDITING, "variables.\"", 10)
    assert labels(items) == ["late"]
    assert items[0].detail == "list(updates)"
    assert items[0].documentation == "```cel\ndoc.updates.filter(u, has(u.eta))\n```"
    text = EDITING.replace("doc.resolution. ", "doc.title.")
    items = complete(text, "doc.title.", 10)
    assert "startsWith" in labels(items) and "all" not in labels(items)
    starts = next(i for i in items if i.label == "startsWith")
    assert starts.detail == "string.startsWith(string) -> bool" and starts.edit.new_text == "startsWith($0)"
    text = EDITING.replace("doc.resolution. ", "doc.updates.")
    items = complete(text, "doc.updates.", 12)
    assert [i.label for i in items if i.kind == "keyword"] == ["all", "exists", "exists_one", "filter", "groupBy", "map",
                                                               "sortBy"]


def test_names_at_the_start_of_an_expression():
    text = EDITING.replace("doc.resolution. ", "")
    items = complete(text, '"&& item', 1)
    assert labels(items)[:6] == ["docs", "ctx", "data", "variables", "doc", "item"]
    assert "has" in labels(items) and "timestamp" in labels(items)


def test_keys_and_values_outside_expressions():
    items = complete(EDITING, "incident", 0)
    assert labels(items) == list(APPLIES_TO)
    assert items[0].documentation == "An incident record (Markdown): declaration, status updates, resolution, closing."
    text = EDITING + "    - "
    items = complete_policy(text, 14, 7, path="/w/policies/p.yaml")
    assert labels(items) == ["id", "severity", "expression", "forEach", "target", "message", "messageExpression",
                             "docs"]
    assert items[0].detail == "required" and items[0].edit.new_text == "id: "
    items = complete_policy(EDITING + "      ", 14, 7, path="/w/policies/p.yaml")
    assert labels(items) == ["target", "message", "messageExpression", "docs"]
    items = complete(EDITING, "error", 0)
    assert labels(items) == ["error", "warning", "info"]


def test_keys_after_a_partly_typed_key():
    """`sev` then completion: the keys of the mapping it goes in, the typed prefix replaced."""
    text = EDITING.replace("      severity: error\n", "      sev\n")
    items = complete_policy(text, 11, 10, path="/w/policies/p.yaml")
    assert "severity" in labels(items) and "id" not in labels(items)  # `id` is already there
    severity = items[labels(items).index("severity")]
    assert severity.edit.new_text == "severity: " and where(severity.edit.span) == (11, 7, 11, 10)
    text = "apiVersion: policy/v1\nkind: Policy\nmetadata:\n  na"
    [name, _] = complete_policy(text, 4, 5, path="/w/policies/p.yaml")
    assert name.label == "name" and where(name.edit.span) == (4, 3, 4, 5)


def test_config_keys_after_a_partly_typed_key():
    items = complete_policy("packs: []\nwai", 2, 4, path="/w/.policy.yaml")
    assert "waivers" in labels(items) and "packs" not in labels(items)
    assert where(items[0].edit.span) == (2, 1, 2, 4)
    text = "packs: []\nwaivers:\n  - rules: [TST001]\n    just"
    items = complete_policy(text, 4, 9, path="/w/.policy.yaml")
    assert "justification" in labels(items) and "rules" not in labels(items)
    item = items[labels(items).index("justification")]
    assert item.edit.new_text == "justification: " and where(item.edit.span) == (4, 5, 4, 9)


def test_an_unterminated_expression_still_completes():
    text = EDITING.replace('"doc.resolution. && item. && doc.updates.all(x, x.st) && variables."', '"doc.clo')
    items = complete_policy(text, 13, 26, path="/w/policies/p.yaml")
    assert labels(items)[:2] == ["id", "number"]
    assert where(items[0].edit.span) == (13, 24, 13, 26)


def test_config_rule_ids(workspace):
    rules = workspace.policies.rules()
    text = "packs: []\nrules:\n  TS"
    items = complete_policy(text, 3, 5, path="/w/.policy.yaml", rules=rules)
    assert labels(items) == ["TST001", "TST002", "TST003"]
    assert items[0].edit.new_text == "TST001: " and where(items[0].edit.span) == (3, 3, 3, 5)
    text = "rules:\n  TST001: "
    assert labels(complete_policy(text, 2, 11, path="/w/.policy.yaml", rules=rules)) == ["error", "warning", "info", "off"]
    text = "waivers:\n  - rules: [T"
    items = complete_policy(text, 2, 14, path="/w/.policy.yaml", rules=rules)
    assert labels(items) == ["TST001", "TST002", "TST003"]


def test_hover_fields_functions_variables_and_rule_ids(workspace):
    hover = hover_policy(EDITING, *pos(EDITING, "updates.filter", 2), path="p.yaml")
    assert hover.markdown == "`doc.updates`: list(updates)\n\nThe INCIDENT UPDATE blocks in document order."
    assert where(hover.span) == (8, 24, 8, 31)
    hover = hover_policy(EDITING, *pos(EDITING, "filter(u", 2), path="p.yaml")
    assert hover.markdown.startswith("`filter(x, p)`")
    hover = hover_policy(EDITING, *pos(EDITING, "has(u.eta)", 1), path="p.yaml")
    assert hover.markdown.startswith("`has(a.f)`")
    hover = hover_policy(EDITING, *pos(EDITING, "u.eta", 3), path="p.yaml")
    assert hover.markdown == "`u.eta`: timestamp\n\nUpdated estimate."
    config = "rules:\n  TST002: off\n"
    hover = hover_policy(config, 2, 4, path="/w/.policy.yaml", rules=workspace.policies.rules())
    assert hover.markdown.startswith("**TST002** · off in .policy.yaml (the policy: warning) · policy `test-incident`")
    assert where(hover.span) == (2, 3, 2, 9)
    hover = hover_policy(EDITING, *pos(EDITING, "appliesTo", 2), path="p.yaml")
    assert hover.markdown.startswith("**appliesTo**\n\nThe kind of document")


def test_hover_on_a_function_a_macro_and_a_kind_says_what_it_is():
    text = EDITING.replace("doc.updates.all(x, x.st)", "doc.title.lowerAscii().contains('x')")
    hover = hover_policy(text, *pos(text, "lowerAscii", 2), path="p.yaml")
    assert hover.markdown == ("`string.lowerAscii() -> string`\n\nThe string with its ASCII letters in lower case "
                              "(other characters unchanged).\n\nExample: `'FIXING'.lowerAscii()` is `'fixing'`")
    hover = hover_policy(EDITING, *pos(EDITING, "filter(u", 2), path="p.yaml")
    assert hover.markdown.endswith("Example: `[5, 47, 12].filter(m, m > 30)` is `[47]`")
    hover = hover_policy(EDITING, *pos(EDITING, "incident", 2), path="p.yaml")
    assert hover.markdown == ("**incident** · kind\n\n"
                              "An incident record (Markdown): declaration, status updates, resolution, closing.")
    assert where(hover.span) == (5, 14, 5, 22)
    text = EDITING.replace("appliesTo: incident", "appliesTo: workspace")
    assert hover_policy(text, *pos(text, "workspace", 2), path="p.yaml").markdown.endswith(
        "Runs once per run, over all documents (`docs`).")


def test_hover_on_rule_ids_in_a_policy_and_in_waivers(workspace):
    rules = workspace.policies.rules()
    config = "waivers:\n  - rules: [TST001, DOC002]\n    documents: [INC-2]\n"
    hover = hover_policy(config, 2, 14, path="/w/.policy.yaml", rules=rules)
    assert hover.markdown.startswith("**TST001** · error · policy `test-incident`")
    assert "Triage depends on it." in hover.markdown  # the rule's why
    assert where(hover.span) == (2, 13, 2, 19)
    hover = hover_policy(config, 2, 22, path="/w/.policy.yaml", rules=rules)
    assert hover.markdown.startswith("**DOC002** · ") and "docs/rules.md#doc002)" in hover.markdown
    policy = (workspace.root / "policies" / "incident.yaml").read_text(encoding="utf-8")
    hover = hover_policy(policy, *pos(policy, "TST002", 2), path="/w/policies/incident.yaml", rules=rules)
    assert hover.markdown.startswith("**TST002** · warning · policy `test-incident`")


def test_hover_on_a_rule_id_names_the_level_the_configuration_sets(workspace):
    rules = workspace.policies.rules()
    policy = (workspace.root / "policies" / "incident.yaml").read_text(encoding="utf-8")
    at = pos(policy, "TST002", 2)
    hover = hover_policy(policy, *at, path="/w/policies/incident.yaml", rules=rules, levels={"TST002": "off"})
    assert hover.markdown.startswith("**TST002** · off in .policy.yaml (the policy: warning) · policy `test-incident`")
    same = hover_policy(policy, *at, path="/w/policies/incident.yaml", rules=rules, levels={"TST002": "warning"})
    assert same.markdown.startswith("**TST002** · warning · policy")
    # in a configuration, its own text (unsaved edits included), not the configuration in force
    config = "rules:\n  TST002: info\n  DOC002: warning\n  TST001: loud\nwaivers:\n  - rules: [TST002]\n"
    for line, column, start in ((2, 4, "**TST002** · info in .policy.yaml (the policy: warning)"),
                                (6, 15, "**TST002** · info in .policy.yaml (the policy: warning)"),
                                (3, 4, "**DOC002** · warning in .policy.yaml (the engine: error) · engine check"),
                                (4, 4, "**TST001** · error · policy")):
        hover = hover_policy(config, line, column, path="/w/.policy.yaml", rules=rules, levels={"TST002": "off"})
        assert hover.markdown.startswith(start), (line, hover.markdown[:80])


def test_definition_of_variables_and_rule_ids(workspace):
    text = EDITING.replace("forEach: variables.late", "forEach: \"variables.late\"")
    [location] = policy_definition(text, *pos(text, "variables.late", 12), path="/w/policies/p.yaml")
    assert location.path == "/w/policies/p.yaml" and where(location.span) == (7, 13, 7, 17)
    config = "rules:\n  TST002: off\nwaivers:\n  - rules: [TST003]\n"
    rules = workspace.policies.rules()
    [location] = policy_definition(config, 4, 16, path="/w/.policy.yaml", rules=rules)
    assert location.path == str(workspace.root / "policies" / "incident.yaml")
    assert where(location.span) == (20, 11, 20, 17)


def test_outline_of_a_policy():
    [variables, rules] = policy_symbols(POLICY, path="p.yaml")
    assert [(s.name, s.kind) for s in variables.children] == [("missing_eta", "variable")]
    assert [(s.name, s.detail, where(s.selection)) for s in rules.children] == [
        ("TST001", "error", (10, 11, 10, 17)), ("TST002", "warning", (15, 11, 15, 17)),
        ("TST003", "error", (20, 11, 20, 17))]


def test_lenses_count_passing_and_failing_documents(workspace):
    path = str(workspace.root / "policies" / "incident.yaml")
    lenses = policy_lenses(POLICY, path, workspace.documents(), workspace.config.data, NOW)
    good, bad = str(workspace.root / "incidents" / "INC-1.md"), str(workspace.root / "incidents" / "INC-2.md")
    assert [(where(l.span), l.title) for l in lenses] == [((10, 11, 10, 17), "passes 1 · fails 1"),
                                                         ((15, 11, 15, 17), "passes 1 · fails 1"),
                                                         ((20, 11, 20, 17), "passes 1 · fails 1")]
    assert lenses[0].command == "hotfix-policy.listRuleDocuments"
    assert lenses[0].arguments == ("TST001", [good], [bad], [])
    edited = POLICY.replace("has(doc.eta)", "true")
    assert policy_lenses(edited, path, workspace.documents(), workspace.config.data, NOW)[1].title == "passes 2 · fails 0"
    assert policy_lenses("kind: Policy\nspec: [", path, workspace.documents(), workspace.config.data, NOW) == []


def test_a_waived_failure_is_counted_as_waived_not_as_failing(workspace):
    """The lens agrees with `policy check`: INC-2's TST001 failure is waived by the
    configuration, so it is no longer a fail, and the count says it is waived."""
    (workspace.root / ".policy.yaml").write_text(CONFIG + """\
waivers:
  - rules: [TST001]
    documents: [incidents/INC-2.md]
    justification: Search severity is settled in the review
    approved_by: ops-lead
    expires: 2026-12-15
""", encoding="utf-8")
    assert workspace.reload_configuration() == []
    path = str(workspace.root / "policies" / "incident.yaml")
    lenses = policy_lenses(POLICY, path, workspace.documents(), workspace.config.data, NOW, config=workspace.config)
    assert [l.title for l in lenses] == ["passes 1 · fails 0 · waived 1", "passes 1 · fails 1", "passes 1 · fails 1"]
    assert lenses[0].arguments[2] == []  # nothing to open as failing
