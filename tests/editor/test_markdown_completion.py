from hotfix_policy.engine.documents import template_for
from hotfix_policy.engine.editor import complete_markdown
from hotfix_policy.engine.kinds import MARKDOWN_KINDS

from .conftest import BAD, GOOD, NOW, pos, where


def labels(items):
    return [item.label for item in items]


def test_empty_file_offers_every_template_replacing_the_text():
    items = complete_markdown("\n", 1, 1, now=NOW)
    assert labels(items) == [f"{kind} template" for kind in MARKDOWN_KINDS]
    assert items[0].edit.new_text == template_for("incident")
    assert where(items[0].edit.span) == (1, 1, 2, 1)


def test_enum_values_with_descriptions_replace_the_value():
    items = complete_markdown(BAD, *pos(BAD, "critical", 3), now=NOW)
    assert labels(items) == ["CRITICAL", "HIGH", "MEDIUM"]
    assert items[0].documentation == "Production down, security breach or data loss for all users."
    assert where(items[0].edit.span) == (4, 11, 4, 19)
    assert items[0].edit.new_text == "CRITICAL"


def test_status_values_in_an_update_block():
    text = BAD + "\n### 🔄 INCIDENT UPDATE - 2026-11-20T10:00Z\nStatus: \n"
    items = complete_markdown(text, 8, 9, now=NOW)
    assert labels(items) == ["INVESTIGATING", "FIXING", "TESTING", "DEPLOYING", "MONITORING", "RESOLVED", "CLOSED"]
    assert where(items[0].edit.span) == (8, 9, 8, 9)


def test_missing_sections_first_then_the_block_s_missing_labels():
    text = BAD + "\n"
    items = complete_markdown(text, 6, 1, now=NOW)
    assert labels(items)[:3] == ["Updates", "Resolution", "Closed"]
    assert items[0].kind == "module" and items[0].edit.new_text.startswith("## Updates\n\n### 🔄 INCIDENT UPDATE")
    assert labels(items)[3:11] == ["Criterion", "Issue", "Impact", "ETA", "Commander", "Branch", "Declared",
                                   "Updates"]
    eta = items[6]
    assert eta.edit.new_text == "ETA: " and where(eta.edit.span) == (6, 1, 6, 1)
    assert eta.documentation == "The declaration's estimate for resolution."
    assert [i.sort_text[0] for i in items[:4]] == ["0", "0", "0", "1"]


def test_timestamp_after_a_label_taking_a_time_and_after_an_update_marker():
    text = BAD + "ETA: \n"
    items = complete_markdown(text, 6, 6, now=NOW)
    assert labels(items) == ["2026-11-20T12:00Z"]
    assert where(items[0].edit.span) == (6, 6, 6, 6)
    marker = BAD + "\n### 🔄 INCIDENT UPDATE - "
    items = complete_markdown(marker, 7, 25, now=NOW)
    assert labels(items) == ["2026-11-20T12:00Z"]


def test_handles_from_data_and_incident_references_from_the_workspace(workspace):
    text = BAD + "Commander: @d"
    items = complete_markdown(text, 6, 14, data=workspace.config.data, now=NOW)
    assert labels(items) == ["@dana-k", "@ops-lead"]
    assert where(items[0].edit.span) == (6, 12, 6, 14)
    assert items[1].detail == "admin"
    review = "# Post-Incident Review: x\n\n## Incident Summary\n- **Incident:** #"
    items = complete_markdown(review, 4, 18, documents=workspace.documents(), now=NOW)
    assert labels(items) == ["#2", "#1"]
    assert items[1].detail == "INC-1: Checkout down"
    assert where(items[0].edit.span) == (4, 17, 4, 18)


def test_checklist_lines_of_the_template_not_yet_written():
    text = template_for("pull_request").replace("- [ ] New test validates fix\n", "")
    line, _ = pos(text, "- [ ] Manual validation")
    text = text.replace("- [ ] Manual validation", "- \n- [ ] Manual validation", 1)
    items = [i for i in complete_markdown(text, line, 3, now=NOW) if i.kind == "snippet"]
    assert labels(items) == ["New test validates fix"]
    assert items[0].edit.new_text == "- [ ] New test validates fix"
    assert where(items[0].edit.span) == (line, 1, line, 3)


def test_good_document_has_no_missing_sections_offered():
    items = complete_markdown(GOOD + "\n", 13, 1, now=NOW)
    assert [i.label for i in items if i.kind == "module"] == ["Updates", "Closed"]
    assert labels(items)[2:6] == ["Duration", "Resolution", "Impact", "Follow-up"]  # the resolution block's


def test_references_narrow_to_the_digits_typed():
    from hotfix_policy.engine.documents import parse_document
    from hotfix_policy.engine.editor import complete_markdown

    records = [parse_document(f"# INC-{n}: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n", path=f"{n}.md")
               for n in (10, 105, 2041)]
    text = "# INC-1: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nIssue: caused by #10"
    items = complete_markdown(text, 4, len("Issue: caused by #10") + 1, path="x.md", documents=records)
    assert [item.label for item in items] == ["#105", "#10"]
