"""Document symbols: the outline of a Markdown document (sections, blocks, fields) and of a
policy file (variables and rules)."""

from __future__ import annotations

from lsprotocol import types

from ...engine.editor import markdown_symbols, policy_symbols

from . import request
from .definition import document_of

KINDS = {"section": types.SymbolKind.Namespace, "block": types.SymbolKind.Object, "field": types.SymbolKind.Field,
         "list": types.SymbolKind.Array, "rule": types.SymbolKind.Function, "variable": types.SymbolKind.Variable}


def convert(symbol, lines) -> types.DocumentSymbol:
    whole, name = lines.range(symbol.span), lines.range(symbol.selection)
    return types.DocumentSymbol(name=symbol.name or "?", kind=KINDS.get(symbol.kind, types.SymbolKind.String),
                                range=whole, selection_range=name, detail=symbol.detail or None,
                                children=[convert(child, lines) for child in symbol.children])


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, empty=list)
    def document_symbol(ls, params: types.DocumentSymbolParams):
        text, path, lines, kind = document_of(ls, params.text_document.uri)
        if kind == "markdown":
            found = markdown_symbols(text, path=path, config_globs=ls.state.engine.config.document_globs())
        elif kind == "yaml":
            found = policy_symbols(text, path=path)
        else:
            found = []
        return [convert(symbol, lines) for symbol in found]
