"""Code actions: on Markdown documents insert a missing section or label, fix an allowed value,
check a required box, fill in the template, add a waiver to `.policy.yaml`, open the rule (the
`hotfix-policy.openRule` command shows the rule's policy file, `hotfix-policy.showPlace` the new
waiver's justification); on policy and configuration
files, apply a "did you mean" (a key, a value, a field, a rule id).

Template text is inserted as a snippet whose tab stops are its placeholders (a `SnippetTextEdit`)
when the client declares `workspace.workspaceEdit.snippetEditSupport` (LSP 3.18); other clients
get the plain text, and the action's `data.snippetEdits` carries the snippets for a client
extension that applies them itself (VS Code's: vscode-languageclient 9 does not declare the
capability and would drop a SnippetTextEdit's text)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from lsprotocol import types
from pygls import uris

from ...engine.editor import OPEN_RULE, SHOW_PLACE, markdown_actions
from ...engine.editor.problems import suggestion_fixes
from ...engine.span import Span
from ...engine.files import read_regular_file
from ...engine.limits import MAX_DOCUMENT_BYTES
from . import request
from .definition import checked_of, document_of, lines_of

log = logging.getLogger(__name__)
KINDS = {"quickfix": types.CodeActionKind.QuickFix, "source": types.CodeActionKind.Source,
         "refactor": types.CodeActionKind.Refactor}


def _config(ls):
    """(path, text) of the workspace's `.policy.yaml` (a new one at the root when there is none)."""
    engine = ls.state.engine
    # the configuration's path as messages show it may be relative to the server's folder: edits need it whole
    path = os.path.abspath(engine.config.path) if engine.config.path else (
        str(engine.root / ".policy.yaml") if engine.root else None)
    if path is None:
        return None, ""
    opened = ls.state.snapshot(uris.from_fs_path(path))
    if opened is not None:
        return path, opened.text
    try:
        return path, read_regular_file(path, MAX_DOCUMENT_BYTES).decode("utf-8")
    except (OSError, ValueError):  # unreadable, not a regular file (a FIFO), not UTF-8, over the limit
        return path, ""


def takes_snippet_edits(ls) -> bool:
    """Whether the client applies a SnippetTextEdit in a workspace edit (LSP 3.18)."""
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    return bool(edit is not None and edit.snippet_edit_support)


def _workspace_edit(ls, uri: str, lines, edits) -> types.WorkspaceEdit:
    changes: dict = {}
    creates = []
    snippets = takes_snippet_edits(ls)
    for edit in edits:
        if edit.path is None:
            target, target_lines = uri, lines
        else:
            target, target_lines = uris.from_fs_path(edit.path), lines_of(ls, edit.path)
            if not Path(edit.path).exists() and ls.state.snapshot(target) is None:
                creates.append(types.CreateFile(uri=target, options=types.CreateFileOptions(ignore_if_exists=True)))
        where = target_lines.range(edit.span)
        changes.setdefault(target, []).append(
            types.SnippetTextEdit(range=where, snippet=types.StringValue(value=edit.snippet))
            if snippets and edit.snippet is not None else types.TextEdit(range=where, new_text=edit.new_text))
    if not creates and not (snippets and any(edit.snippet is not None for edit in edits)):
        return types.WorkspaceEdit(changes=changes)  # a SnippetTextEdit only goes in a TextDocumentEdit
    documents = list(creates)
    for target, text_edits in changes.items():
        documents.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=target, version=None),
            edits=text_edits))
    return types.WorkspaceEdit(document_changes=documents)


def _converted(ls, uri, lines, params, found) -> list:
    """Engine code actions as protocol ones, each with the diagnostics of the context it answers."""
    result = []
    for action in found:
        about = lines.range(action.about) if action.about is not None else None
        diagnostics = [d for d in params.context.diagnostics if action.diagnostic_rule
                       and str(d.code) == action.diagnostic_rule and (about is None or d.range == about)]
        command = None
        if action.command is not None:
            name, arguments = action.command
            command = types.Command(title=action.title, command=name, arguments=list(arguments))
        snippets = [{"uri": uri, "range": _plain_range(lines.range(edit.span)), "snippet": edit.snippet}
                    for edit in action.edits if edit.snippet is not None and edit.path is None]
        result.append(types.CodeAction(
            title=action.title, kind=KINDS.get(action.kind, types.CodeActionKind.QuickFix),
            diagnostics=diagnostics or None, command=command, is_preferred=action.preferred or None,
            edit=_workspace_edit(ls, uri, lines, action.edits) if action.edits else None,
            data={"snippetEdits": snippets} if snippets and not takes_snippet_edits(ls) else None))
    return result


def _plain_range(where: types.Range) -> dict:
    return {"start": {"line": where.start.line, "character": where.start.character},
            "end": {"line": where.end.line, "character": where.end.character}}


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.Source]), empty=list)
    def code_action(ls, params: types.CodeActionParams):
        uri = params.text_document.uri
        text, path, lines, kind = document_of(ls, uri)
        start = lines.engine_position(params.range.start)
        end = lines.engine_position(params.range.end)
        if kind == "yaml":
            outcome = ls.state.current_outcome(uri)
            if outcome is None or outcome.snapshot.text is not text:
                return []
            return _converted(ls, uri, lines, params, suggestion_fixes(text, outcome.problems, start, end))
        if kind != "markdown":
            return []
        engine = ls.state.engine
        config_path, config_text = _config(ls)
        findings, document = checked_of(ls, uri, text)
        now = ls.state.clock.now(engine.config.clock)
        found = markdown_actions(text, start, end, path=path, findings=findings, document=document,
                                 policies=engine.policies, config_path=config_path, config_text=config_text,
                                 data=engine.policies.data or engine.config.data, now=engine.config.clock,
                                 config_globs=engine.config.document_globs(),
                                 recheck=lambda changed: engine.check_text(path, changed, now=now).findings)
        return _converted(ls, uri, lines, params, found)

    @server.command(OPEN_RULE)
    def open_rule(ls, *arguments):
        return _show_place(ls, OPEN_RULE, arguments)

    @server.command(SHOW_PLACE)
    def show_place(ls, *arguments):
        return _show_place(ls, SHOW_PLACE, arguments)


def _show_place(ls, command: str, arguments) -> dict | None:
    """window/showDocument of (path, 1-based line, column): the file opened with the cursor there."""
    try:
        path, line, column = arguments[:3]
        lines = lines_of(ls, path)
        where = lines.range(Span(0, 0, int(line), int(column), int(line), int(column)))
        ls.window_show_document(types.ShowDocumentParams(uri=uris.from_fs_path(path), take_focus=True,
                                                         selection=where))
        return {"uri": uris.from_fs_path(path), "line": where.start.line, "character": where.start.character}
    except Exception:  # noqa: BLE001 - a bad argument must not take the server down
        log.exception("%s failed", command)
        return None
