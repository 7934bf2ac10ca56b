"""Code actions end to end: fix the case of a value, insert a missing label, add a waiver,
open the rule."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import WAIT, codes, diagnostics_until, open_document, start

LOWER = """\
# INC-7: Checkout failing

🚨 PRODUCTION INCIDENT DECLARED
Severity: high
Status: FIXING
"""


async def actions(client, uri: str, line: int, start: int, end: int, diagnostics) -> list:
    return await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(line, start), types.Position(line, end)),
        context=types.CodeActionContext(diagnostics=diagnostics))), WAIT)


def edits(action, uri) -> list:
    return [(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text)
            for e in action.edit.changes[uri]]


async def test_fix_case_open_rule_and_waiver(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", LOWER)
    diagnostics = await diagnostics_until(client, uri, lambda d: codes(d) == ["T001"])
    found = await actions(client, uri, 3, 10, 14, diagnostics)
    titles = [a.title for a in found]
    assert titles[:3] == ["Change 'high' to 'HIGH'", "Open rule T001", "Add a waiver of T001 for INC-7 to .policy.yaml"]
    assert edits(found[0], uri) == [(3, 10, 3, 14, "HIGH")]
    assert found[0].kind == types.CodeActionKind.QuickFix
    # A CodeAction holding only a command reads back as a `Command` in lsprotocol's client-side
    # union (its `command` then the code action's Command, as text): read it either way.
    opened = found[1].command
    if isinstance(found[1], types.Command):
        opened = ast.literal_eval(opened) if opened.startswith("{") else {"command": opened,
                                                                           "arguments": found[1].arguments}
    else:
        opened = {"command": opened.command, "arguments": opened.arguments}
    assert opened["command"] == "hotfix-policy.openRule"
    path, line, column = opened["arguments"]
    assert (Path(path), line, column) == (workspace / "policies" / "incident.yaml", 7, 11)
    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=opened["command"], arguments=opened["arguments"])), WAIT)
    assert result == {"uri": (workspace / "policies" / "incident.yaml").as_uri(), "line": 6, "character": 10}
    config = (workspace / ".policy.yaml").as_uri()
    [waiver] = found[2].edit.changes[config]
    assert (waiver.range.start.line, waiver.range.start.character) == (2, 0)
    assert waiver.new_text.startswith('waivers:\n  - rules: [T001]\n    documents: ["INC-7"]\n')


async def test_insert_missing_sections(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", LOWER)
    diagnostics = await diagnostics_until(client, uri, lambda d: codes(d) == ["T001"])
    found = await actions(client, uri, 0, 0, 0, diagnostics)
    fill = found[-1]
    assert fill.title == "Fill in the template's missing sections (Updates, Resolution, Closed)"
    assert fill.kind == types.CodeActionKind.Source
    assert [e[:4] for e in edits(fill, uri)] == [(4, 14, 4, 14)] * 3


NO_NUMBER = """\
---
kind: incident
---
# Checkout failing

🚨 PRODUCTION INCIDENT DECLARED
Severity: high
Status: FIXING
"""


async def test_a_waiver_names_the_document_as_waivers_do_and_waits_on_its_justification(client, workspace: Path):
    """A record without an incident number is named by its path relative to the configuration
    (not the machine's absolute path); `.policy.yaml` opens with the cursor after
    `justification: `, where nothing was written for the person to read about twice."""
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "outage.md", NO_NUMBER)
    diagnostics = await diagnostics_until(client, uri, lambda d: "T001" in codes(d))
    found = await actions(client, uri, 6, 10, 14, diagnostics)
    [waiver] = [a for a in found if a.title.startswith("Add a waiver")]
    assert waiver.title == "Add a waiver of T001 for incidents/outage.md to .policy.yaml"
    config = workspace / ".policy.yaml"
    [edit] = waiver.edit.changes[config.as_uri()]
    assert '    documents: ["incidents/outage.md"]\n' in edit.new_text
    assert edit.new_text.endswith("\n    justification: \n") and 'justification: ""' not in edit.new_text
    assert waiver.command.command == "hotfix-policy.showPlace"
    # as VS Code does: the edit is made (the file opened with it), then the command runs
    edited = config.read_text(encoding="utf-8") + edit.new_text
    config_uri = open_document(client, config, edited, language="yaml")
    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=waiver.command.command, arguments=waiver.command.arguments)), WAIT)
    lines = edited.split("\n")
    [shown] = client.shown_documents
    cursor = shown.selection.start
    assert shown.uri == config.as_uri() and shown.take_focus
    assert lines[cursor.line][:cursor.character] == "    justification: "
    assert (result["line"], result["character"]) == (cursor.line, cursor.character)
    reported = await diagnostics_until(client, config_uri, lambda d: len(d) > 0)
    assert [d.code for d in reported if d.range.start.line == cursor.line] == ["WVR003"]
