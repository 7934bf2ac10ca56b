"""Hover, definition, code actions and the outline of Markdown documents."""

from hotfix_policy.engine.documents import template_for
from hotfix_policy.engine.editor import hover_markdown, markdown_actions, markdown_definition, markdown_symbols

from .conftest import BAD, CONFIG, NOW, pos, where
from tests.conftest import REPO


def check(workspace, text=BAD, name="INC-2.md"):
    path = str(workspace.root / "incidents" / name)
    return path, workspace.check_text(path, text, now=NOW).findings


def test_hover_on_a_label_gives_its_description_and_values():
    hover = hover_markdown(BAD, *pos(BAD, "Severity", 2))
    assert hover.markdown.startswith("**Severity** · `doc.severity` (text)\n\nThe level: CRITICAL, HIGH or MEDIUM")
    assert "- `HIGH`: Severe impact; still a hotfix." in hover.markdown
    assert "Also written: `Level`, `Priority`" in hover.markdown
    assert where(hover.span) == (4, 1, 4, 9)


def test_hover_on_a_finding_gives_the_rule_docs_and_the_values_that_failed(workspace):
    path, findings = check(workspace)
    assert [(f.rule, where(f.span)) for f in findings if f.rule == "TST001"] == [("TST001", (4, 11, 4, 19))]
    hover = hover_markdown(BAD, 4, 12, path=path, findings=findings, policies=workspace.policies,
                           documents=workspace.documents(), now=NOW)
    assert where(hover.span) == (4, 11, 4, 19)
    assert "**TST001** · error · policy `test-incident`\n\nSeverity is one of the three levels" in hover.markdown
    assert "*Why*\n\nTriage depends on it." in hover.markdown
    assert 'read doc.severity = "critical" (line 4)' in hover.markdown
    assert "`doc.severity` is not one of [\"CRITICAL\", \"HIGH\", \"MEDIUM\"]" in hover.markdown
    assert "result: FAILED" in hover.markdown


def test_hover_on_a_finding_names_the_level_in_force(workspace):
    (workspace.root / ".policy.yaml").write_text(CONFIG + "rules: {TST001: warning}\n", encoding="utf-8")
    assert workspace.reload_configuration() == []
    path, findings = check(workspace)
    hover = hover_markdown(BAD, 4, 12, path=path, findings=findings, policies=workspace.policies,
                           documents=workspace.documents(), now=NOW)
    assert "**TST001** · warning in .policy.yaml (the policy: error) · policy `test-incident`" in hover.markdown


def test_hover_never_repeats_a_detected_secret(workspace):
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    text = BAD.replace("Status: INVESTIGATING", f"Status: INVESTIGATING\nIssue: token {secret}")
    path, findings = check(workspace, text)
    for line in range(1, 8):
        for column in range(1, 60):
            hover = hover_markdown(text, line, column, path=path, findings=findings, policies=workspace.policies,
                                   documents=workspace.documents(), now=NOW)
            assert hover is None or secret not in hover.markdown and "ghp_" not in hover.markdown
    for symbol in markdown_symbols(text):
        assert all(secret not in child.detail for child in symbol.children)


def test_definition_from_a_finding_and_from_a_rule_id_in_text(workspace):
    path, findings = check(workspace)
    rules = workspace.policies.rules()
    policy_file = str(workspace.root / "policies" / "incident.yaml")
    [location] = markdown_definition(BAD, 4, 12, findings=findings, rules=rules)
    assert location.path == policy_file and where(location.span) == (10, 11, 10, 17)
    text = BAD + "\nWaived: see TST003\n"
    [location] = markdown_definition(text, 7, 15, rules=rules)
    assert where(location.span) == (20, 11, 20, 17)
    assert markdown_definition(text, 7, 3, rules=rules) == []


def test_actions_fix_case_open_rule_and_add_a_waiver(workspace):
    path, findings = check(workspace)
    config = str(workspace.root / ".policy.yaml")
    actions = markdown_actions(BAD, (4, 11), (4, 11), path=path, findings=findings, policies=workspace.policies,
                               config_path=config, config_text=CONFIG, data=workspace.config.data, now=NOW)
    titles = [a.title for a in actions]
    assert titles[:3] == ["Change 'critical' to 'CRITICAL'", "Open rule TST001",
                          "Add a waiver of TST001 for INC-2 to .policy.yaml"]
    fix = actions[0].edits[0]
    assert (where(fix.span), fix.new_text) == ((4, 11, 4, 19), "CRITICAL")
    assert actions[1].command == ("hotfix-policy.openRule", (str(workspace.root / "policies" / "incident.yaml"), 10, 11))
    waiver = actions[2].edits[0]
    assert waiver.path == config and where(waiver.span) == (6, 1, 6, 1)
    assert waiver.new_text == ('waivers:\n  - rules: [TST001]\n    documents: ["INC-2"]\n'
                               '    approved_by: ops-lead\n    expires: 2026-12-04\n    justification: \n')
    # then the file is shown with the cursor where the justification goes (line 11, after the key)
    assert actions[2].command == ("hotfix-policy.showPlace", (config, 11, 20))


def test_actions_insert_the_missing_field_and_section_where_they_belong(workspace):
    path, findings = check(workspace)
    actions = markdown_actions(BAD, (3, 1), (3, 5), path=path, findings=findings, policies=workspace.policies)
    [eta] = [a for a in actions if a.title == "Insert 'ETA:'"]
    edit = eta.edits[0]
    assert (where(edit.span), edit.new_text) == ((5, 22, 5, 22), "\nETA: [Initial estimate]")
    actions = markdown_actions(BAD, (1, 3), (1, 5), path=path, findings=findings, policies=workspace.policies)
    [section] = [a for a in actions if a.title == "Insert section Resolution"]
    assert where(section.edits[0].span) == (5, 22, 5, 22)
    assert section.edits[0].new_text.startswith("\n\n## Resolution\n\n✅ INCIDENT RESOLVED - [TIMESTAMP]\n")
    fill = actions[-1]
    assert fill.title == "Fill in the template's missing sections (Updates, Resolution, Closed)"
    assert fill.kind == "source" and len(fill.edits) == 3


def test_an_empty_file_can_be_filled_with_a_template():
    actions = markdown_actions("", (1, 1), (1, 1))
    assert [a.title for a in actions][0] == "Fill in the incident record template"
    assert actions[0].edits[0].new_text == template_for("incident")


def test_waiver_goes_after_the_existing_waivers(workspace):
    from hotfix_policy.engine.editor.waiver_action import waiver_action
    from hotfix_policy.engine.documents import parse_document

    config = CONFIG + "waivers:\n  - rules: [TST002]\n    documents: [INC-9]\n"
    path, findings = check(workspace)
    finding = next(f for f in findings if f.rule == "TST001")
    action = waiver_action(finding, parse_document(BAD, path=path), "/w/.policy.yaml", config, {}, NOW)
    edit = action.edits[0]
    assert where(edit.span) == (8, 23, 8, 23)
    assert edit.new_text == ('\n  - rules: [TST001]\n    documents: ["INC-2"]\n    approved_by: ""\n'
                             '    expires: 2026-12-04\n    justification: ')
    assert action.command == ("hotfix-policy.showPlace", ("/w/.policy.yaml", 13, 20))


def test_outline_of_sections_blocks_and_fields():
    symbols = markdown_symbols(template_for("incident"))
    [title] = symbols
    assert (title.name, title.kind, where(title.selection)) == ("INC-[incident-number]: [Brief description]",
                                                                  "section", (5, 3, 5, 45))
    names = [(c.name, c.kind) for c in title.children]
    assert names == [("🚨 PRODUCTION INCIDENT DECLARED", "block"), ("Updates", "section"),
                     ("Resolution", "section"), ("Closed", "section")]
    declaration = title.children[0]
    assert [c.name for c in declaration.children][:3] == ["Severity", "Criterion", "Issue"]
    assert where(declaration.children[0].span) == (8, 1, 8, 33)
    assert declaration.children[0].detail == "[CRITICAL/HIGH/MEDIUM]"
    update = title.children[1].children[0]
    assert (update.name, update.detail, where(update.span)) == ("INCIDENT UPDATE - [TIMESTAMP]", "update",
                                                                 (21, 1, 26, 40))


def test_the_outline_of_a_record_with_thousands_of_labels_is_cut_in_document_order():
    text = template_for("incident") + "".join(f"Note {n}: looked at dashboard {n}\n" for n in range(3_000))
    whole = markdown_symbols(text, limit=10_000)
    cut = markdown_symbols(text, limit=40)

    def flat(symbols):
        return [s for symbol in symbols for s in [symbol, *flat(symbol.children)]]

    assert len(flat(whole)) > 3_000 and len(flat(cut)) == 40
    assert [s.name for s in flat(cut)] == [s.name for s in flat(whole)][:40]


def test_a_field_a_variable_tests_for_is_inserted_by_its_rules_fix(tmp_path):
    """The built-in INC002 reads `variables.declaration_missing`, whose `has(doc.commander)` is
    how it knows the Commander is missing: its finding offers "Insert 'Commander:'" (and only
    for what is missing), as a rule reading `doc.eta` itself does."""
    from hotfix_policy.engine.workspace import Workspace

    (tmp_path / "incidents").mkdir()
    text = (REPO / "examples" / "incidents" / "INC-2042.md").read_text(encoding="utf-8")
    text = text.replace("Commander: @sam-r\n", "")
    path = tmp_path / "incidents" / "INC-2042.md"
    path.write_text(text, encoding="utf-8")
    space = Workspace(tmp_path)
    assert space.reload_configuration() == [] and space.index() == 1
    findings = space.check_text(str(path), text, now=NOW).findings
    [inc002] = [f for f in findings if f.rule == "INC002"]
    actions = markdown_actions(text, (inc002.span.line, inc002.span.column), (inc002.span.line, inc002.span.column),
                               path=str(path), findings=[inc002], policies=space.policies)
    inserts = [a.title for a in actions if a.title.startswith("Insert")]
    assert inserts == ["Insert 'Commander:'"]
    [edit] = [a for a in actions if a.title == "Insert 'Commander:'"][0].edits
    assert edit.new_text.startswith("\nCommander: ") and "${1:" in edit.snippet
