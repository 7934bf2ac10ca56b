"""Fixes that write for the user: "Check the box" on a required unchecked PR checklist item, the
template's text inserted as a snippet whose tab stops are its placeholders (a SnippetTextEdit
for a client that declares snippetEditSupport, plain text and `data.snippetEdits` for VS Code,
whose client does not), and a new empty record that opens without problems. The built-in
pack judges here, as it does for users."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types

from hotfix_policy.engine.documents import template_for
from hotfix_policy.engine.editor.snippets import as_snippet
from tests.lsp.helpers import WAIT, change_document, codes, diagnostics_until, open_document, start
from tests.lsp.test_fixes import applied, code_actions

PR = """\
## 🚨 HOTFIX - EMERGENCY DEPLOYMENT

**Incident Reference:** #2041
**Severity:** CRITICAL

### Testing Performed
- [x] Existing tests pass
- [ ] New test validates fix
"""


def pack_workspace(root: Path) -> Path:
    (root / "incidents").mkdir(parents=True)
    (root / "prs").mkdir()
    (root / ".policy.yaml").write_text("packs: [builtin:hotfix]\n", encoding="utf-8")
    return root


async def test_check_the_box_of_a_required_testing_item(client, tmp_path: Path):
    root = pack_workspace(tmp_path / "ws")
    await start(client, root)
    uri = open_document(client, root / "prs" / "pr.md", PR)
    diagnostics = await diagnostics_until(client, uri, lambda d: "PR006" in codes(d))
    [required] = [d for d in diagnostics if d.code == "PR006"]
    assert required.range.start.line == 7
    found = await code_actions(client, uri, [required], end_line=8)
    [fix] = [a for a in found if a.title.startswith("Check the box")]
    assert fix.title == "Check the box: New test validates fix" and fix.kind == types.CodeActionKind.QuickFix
    assert list(fix.diagnostics) == [required]
    [edit] = fix.edit.changes[uri]
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character, edit.new_text) == (
        7, 2, 5, "[x]")
    fixed = applied(PR, [edit])
    assert fixed.endswith("- [x] New test validates fix\n")
    change_document(client, uri, 2, fixed)
    await diagnostics_until(client, uri, lambda d: "PR006" not in codes(d) and len(d) > 0)


async def test_no_box_to_check_where_checking_it_would_not_fix_the_finding(client, tmp_path: Path):
    """An action item without an owner (PIR005) is not fixed by checking it: no such action."""
    root = pack_workspace(tmp_path / "ws")
    (root / "reviews").mkdir()
    await start(client, root)
    text = ("# Post-Incident Review: Checkout failing (INC-2041)\n\n## Action Items\n"
            "- [ ] Add a regression test - Due: 2026-12-01\n")
    uri = open_document(client, root / "reviews" / "PIR-2041.md", text)
    diagnostics = await diagnostics_until(client, uri, lambda d: "PIR005" in codes(d))
    [owner] = [d for d in diagnostics if d.code == "PIR005"]
    found = await code_actions(client, uri, [owner], end_line=4)
    assert found and not [a for a in found if a.title.startswith("Check the box")]


async def fill_template(client, root: Path) -> tuple:
    uri = open_document(client, root / "incidents" / "INC-3000.md", "")
    found = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[]))), WAIT)
    [fill] = [a for a in found if a.title == "Fill in the incident record template"]
    return uri, fill


async def test_a_client_with_snippet_edits_gets_tab_stops_on_the_placeholders(client, tmp_path: Path):
    root = pack_workspace(tmp_path / "ws")
    capabilities = pytest_lsp.client_capabilities("visual-studio-code")
    capabilities.workspace.workspace_edit.snippet_edit_support = True
    params = types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri(),
                                    workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")])
    await asyncio.wait_for(client.initialize_session(params), WAIT)
    uri, fill = await fill_template(client, root)
    [document_edit] = fill.edit.document_changes
    assert document_edit.text_document.uri == uri
    [edit] = document_edit.edits
    assert isinstance(edit, types.SnippetTextEdit) and fill.data is None
    snippet = edit.snippet.value
    assert snippet == as_snippet(template_for("incident"))
    assert snippet.startswith("---\nkind: incident\ntimezone: UTC\n---\n# INC-${1:[incident-number]}: "
                              "${2:[Brief description]}\n")
    assert "Commander: @${8:[name]}\n" in snippet


async def test_vs_code_gets_the_plain_text_and_the_snippet_beside_it(client, tmp_path: Path):
    """VS Code 1.100's client (vscode-languageclient 9) does not declare snippetEditSupport: the
    edit is the template's plain text, and the extension's middleware applies `data.snippetEdits`."""
    root = pack_workspace(tmp_path / "ws")
    result = await start(client, root)
    assert result is not None
    assert pytest_lsp.client_capabilities("visual-studio-code").workspace.workspace_edit.snippet_edit_support is None
    uri, fill = await fill_template(client, root)
    [edit] = fill.edit.changes[uri]
    assert edit.new_text == template_for("incident")
    [carried] = fill.data["snippetEdits"]
    assert carried == {"uri": uri, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                       "snippet": as_snippet(template_for("incident"))}


async def test_a_new_empty_record_has_no_problems(client, tmp_path: Path):
    root = pack_workspace(tmp_path / "ws")
    await start(client, root)
    uri = open_document(client, root / "incidents" / "INC-3001.md", "")
    assert list((await published(client, uri, 1)).diagnostics) == []
    change_document(client, uri, 2, "\n\n   \n")
    assert list((await published(client, uri, 2)).diagnostics) == []
    change_document(client, uri, 3, "# INC-3001: Checkout failing\n\nSeverity: HIGH\n")
    assert (await published(client, uri, 3)).diagnostics  # once written, it is judged


async def published(client, uri: str, version: int) -> types.PublishDiagnosticsParams:
    """The diagnostics published for that version of the document."""
    async def wait():
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == uri and params.version == version:
                return params

    return await asyncio.wait_for(wait(), WAIT)
