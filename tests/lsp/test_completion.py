"""Completion end to end: Markdown values and sections, policy expressions, exact edits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from hotfix_policy.engine.documents import template_for
from hotfix_policy.engine.editor.snippets import as_snippet
from tests.lsp.helpers import INCIDENT, WAIT, open_document, start


async def complete(client, uri: str, line: int, character: int) -> list:
    result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))), WAIT)
    return result.items


def edit(item) -> tuple:
    r = item.text_edit.range
    return (r.start.line, r.start.character, r.end.line, r.end.character, item.text_edit.new_text)


async def test_severity_values_after_the_label(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    items = await complete(client, uri, 3, 16)   # after "Severity: 😀 bad" (the emoji is 2 UTF-16 units)
    assert [i.label for i in items] == ["CRITICAL", "HIGH", "MEDIUM"]
    assert items[0].kind == types.CompletionItemKind.EnumMember
    assert edit(items[0]) == (3, 10, 3, 16, "CRITICAL")
    assert items[1].documentation.value == "Severe impact; still a hotfix."


async def test_missing_sections_first_in_an_empty_line(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT + "\n")
    items = await complete(client, uri, 6, 0)
    assert [i.label for i in items][:3] == ["Updates", "Resolution", "Closed"]
    assert items[0].kind == types.CompletionItemKind.Module
    assert edit(items[0])[:4] == (6, 0, 6, 0)
    # a snippet: the placeholders are tab stops (VS Code's client takes snippets in completion)
    assert items[0].insert_text_format == types.InsertTextFormat.Snippet
    assert items[0].text_edit.new_text.startswith("## Updates\n\n### 🔄 INCIDENT UPDATE - ${1:[TIMESTAMP]}\n"
                                                  "Status: ${2:[INVESTIGATING/FIXING/")
    assert not any(i.preselect for i in items)
    labels = [i.label for i in items if i.kind == types.CompletionItemKind.Field]
    assert labels[:3] == ["Criterion", "Issue", "Impact"]


async def test_a_section_does_not_compete_with_a_snippet_prefix_typed(client, workspace: Path):
    """Typing a user snippet's prefix (`incident-update`) offers no section: a section matches
    only its own heading, with the `#`s typed before it."""
    await start(client, workspace)
    for typed, expected in (("incident-upd", set()), ("Upd", {"Updates"}), ("## Res", {"Resolution"})):
        uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT + "\n" + typed)
        items = await complete(client, uri, 7, len(typed))
        sections = {i.label: i.filter_text for i in items if i.kind == types.CompletionItemKind.Module}
        # what the client matches against: the text from the edit's start (the line's) to the cursor
        matching = {label for label, text in sections.items() if text.lower().startswith(typed.lower())}
        assert matching == expected, (typed, sections)
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))


async def test_whole_template_in_an_empty_file(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "new.md", "")
    items = await complete(client, uri, 0, 0)
    assert items[0].label == "incident template"
    assert edit(items[0])[:4] == (0, 0, 0, 0)
    assert items[0].insert_text_format == types.InsertTextFormat.Snippet
    assert items[0].text_edit.new_text == as_snippet(template_for("incident"))
    assert [i.label for i in items].count("incident template") == 1


async def test_a_client_without_snippets_gets_the_template_as_plain_text(client, workspace: Path):
    capabilities = pytest_lsp.client_capabilities("neovim")
    capabilities.text_document.completion.completion_item.snippet_support = False
    await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=workspace.as_uri())), WAIT)
    uri = open_document(client, workspace / "incidents" / "new.md", "")
    items = await complete(client, uri, 0, 0)
    assert items[0].insert_text_format in (None, types.InsertTextFormat.PlainText)
    assert items[0].text_edit.new_text == template_for("incident")


async def test_doc_fields_inside_a_policy_expression(client, workspace: Path):
    await start(client, workspace)
    text = (workspace / "policies" / "incident.yaml").read_text(encoding="utf-8").replace(
        "\"doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']\"", "\"doc.resolution.\"")
    uri = open_document(client, workspace / "policies" / "incident.yaml", text, language="yaml")
    items = await complete(client, uri, 8, 34)
    assert [i.label for i in items][:3] == ["time", "issue", "duration"]
    assert items[2].detail == "duration"
    assert edit(items[0]) == (8, 34, 8, 34, "time")
    items = await complete(client, uri, 7, 16)   # `severity: error`
    assert [i.label for i in items] == ["error", "warning", "info"]


async def test_keys_after_a_partly_typed_key_in_policy_and_config(client, workspace: Path):
    await start(client, workspace)
    text = (workspace / "policies" / "incident.yaml").read_text(encoding="utf-8").replace(
        "      severity: warning\n", "      sev\n", 1)
    uri = open_document(client, workspace / "policies" / "incident.yaml", text, language="yaml")
    items = await complete(client, uri, 12, 9)   # after `      sev` in rule T002
    severity = next(i for i in items if i.label == "severity")
    assert edit(severity) == (12, 6, 12, 9, "severity: ")
    assert "id" not in [i.label for i in items]
    uri = open_document(client, workspace / ".policy.yaml", "packs: []\npolicies: [policies/]\nrul",
                        language="yaml")
    items = await complete(client, uri, 2, 3)
    rules = next(i for i in items if i.label == "rules")
    assert edit(rules) == (2, 0, 2, 3, "rules: ")
