"""Template text as a snippet: each placeholder a tab stop, everything else literal."""

from hotfix_policy.engine.documents import template_for
from hotfix_policy.engine.editor.snippets import as_snippet, placeholder_edits
from hotfix_policy.engine.span import Span


def test_placeholders_become_numbered_tab_stops_and_the_rest_is_escaped():
    text = "Cost: $5 {ok} C:\\temp\nCommander: @[name]\nRef: #[incident-number]\nWhy: [a } b]\n- [ ] box\n"
    assert as_snippet(text) == ("Cost: \\$5 {ok\\} C:\\\\temp\nCommander: @${1:[name]}\nRef: #${2:[incident-number]}\n"
                                "Why: ${3:[a \\} b]}\n- [ ] box\n")


def test_a_template_s_commented_out_section_has_no_tab_stops():
    snippet = as_snippet(template_for("pull_request"))
    assert "**Skipped Checks:** ${12:[none, or the checks skipped, comma-separated]}" in snippet
    assert "**Incident:** [Link to incident tracking]" in snippet and "${13" not in snippet


def test_the_edits_of_one_action_number_their_stops_on():
    span = Span(0, 0, 1, 1, 1, 1)
    first, second = placeholder_edits([(span, "ETA: [when]\n"), (span, "Owner: @[who]\n")])
    assert (first.new_text, first.snippet) == ("ETA: [when]\n", "ETA: ${1:[when]}\n")
    assert second.snippet == "Owner: @${2:[who]}\n"
