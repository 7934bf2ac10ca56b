"""Completion: Markdown documents (sections, labels, values, checklist lines, `#` references,
`@` handles, times, templates) and policy YAML (expressions, keys, values, rule ids), from
`engine.editor`; this module only converts.
"""

from __future__ import annotations

from lsprotocol import types

from ...engine.editor import complete_markdown, complete_policy

from . import request
from .definition import document_of

KINDS = {
    "field": types.CompletionItemKind.Field, "enum_member": types.CompletionItemKind.EnumMember,
    "value": types.CompletionItemKind.Value, "snippet": types.CompletionItemKind.Snippet,
    "function": types.CompletionItemKind.Function, "variable": types.CompletionItemKind.Variable,
    "module": types.CompletionItemKind.Module, "keyword": types.CompletionItemKind.Keyword,
    "reference": types.CompletionItemKind.Reference, "text": types.CompletionItemKind.Text,
    "property": types.CompletionItemKind.Property, "event": types.CompletionItemKind.Event,
}
# " " so typing `Severity: ` offers the values at once; elsewhere a space gets an empty list.
TRIGGERS = [".", "#", "@", ":", "-", " "]


def takes_snippets(ls) -> bool:
    """Whether the client inserts completion items in snippet syntax."""
    document = ls.client_capabilities.text_document
    completion = document.completion if document is not None else None
    item = completion.completion_item if completion is not None else None
    return bool(item is not None and item.snippet_support)


def convert(item, lines, position: types.Position, snippets: bool = False) -> types.CompletionItem:
    """The protocol's item; an edit that has a snippet (template text with tab stops) is sent as
    the snippet when the client takes snippets (`snippets`), else as its plain text."""
    edit = None
    as_snippet = item.snippet or (snippets and item.edit is not None and item.edit.snippet is not None)
    if item.edit is not None:
        span = item.edit.span
        where = lines.range(span)
        if span.line != span.end_line or not (where.start.line == position.line):
            # a completion edit is one line holding the cursor: insert at the cursor's line start
            where = types.Range(types.Position(position.line, 0), position)
        edit = types.TextEdit(range=where, new_text=item.edit.snippet if as_snippet and item.edit.snippet is not None
                              else item.edit.new_text)
    return types.CompletionItem(
        label=item.label, kind=KINDS.get(item.kind, types.CompletionItemKind.Text), detail=item.detail or None,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=item.documentation)
        if item.documentation else None,
        text_edit=edit, sort_text=item.sort_text or None, filter_text=item.filter_text or None,
        insert_text_format=types.InsertTextFormat.Snippet if as_snippet else types.InsertTextFormat.PlainText)


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS),
             empty=lambda: types.CompletionList(is_incomplete=False, items=[]))
    def completion(ls, params: types.CompletionParams):
        text, path, lines, kind = document_of(ls, params.text_document.uri)
        line, column = lines.engine_position(params.position)
        engine = ls.state.engine
        if kind == "markdown":
            items = complete_markdown(text, line, column, path=path, documents=engine.documents(),
                                      data=engine.policies.data or engine.config.data,
                                      config_globs=engine.config.document_globs())
        elif kind == "yaml":
            items = complete_policy(text, line, column, path=path, data=engine.policies.data or engine.config.data,
                                    rules=engine.policies.rules())
        else:
            items = []
        snippets = takes_snippets(ls)
        return types.CompletionList(is_incomplete=False,
                                    items=[convert(i, lines, params.position, snippets) for i in items])
