"""Hover: a label's description and values, a finding's rule docs and the values that made it
fail (never a detected secret), expression fields, functions, variables and rule ids."""

from __future__ import annotations

from lsprotocol import types

from ...engine.editor import hover_markdown, hover_policy
from ..convert import shown

from . import request
from .definition import checked_of, document_of


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_HOVER, empty=None)
    def hover(ls, params: types.HoverParams):
        uri = params.text_document.uri
        text, path, lines, kind = document_of(ls, uri)
        line, column = lines.engine_position(params.position)
        engine = ls.state.engine
        if kind == "markdown":
            findings, document = checked_of(ls, uri, text)
            found = hover_markdown(text, line, column, path=path, findings=findings, document=document,
                                   policies=engine.policies, documents=engine.documents(),
                                   config_globs=engine.config.document_globs(), now=engine.config.clock)
        elif kind == "yaml":
            found = hover_policy(text, line, column, path=path, data=engine.policies.data or engine.config.data,
                                 rules=engine.policies.rules(), levels=engine.config.rules)
        else:
            found = None
        if found is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown(found.markdown)),
                           range=lines.range(found.span))
