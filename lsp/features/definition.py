"""Go to definition: a rule id (a diagnostic's code or an id in the text) to its rule in its
policy YAML, built-in pack included; `variables.x` to its declaration. Also the one place the
features turn an engine (path, Span) in another file into a client Location.
"""

from __future__ import annotations

from lsprotocol import types
from pygls import uris

from ...engine.editor import markdown_definition, policy_definition
from ...engine.files import read_bounded_text
from ...engine.limits import MAX_DOCUMENT_BYTES
from ..convert import TextLines
from ..diagnose import file_type
from . import feature


def document_of(ls, uri: str):
    """(text, file path, TextLines, file type) of an open document."""
    document = ls.workspace.get_text_document(uri)
    path = uris.to_fs_path(uri) or uri
    lines = TextLines(document.source, ls.state.encoding)
    return document.source, path, lines, file_type(document.language_id or "", path)


def lines_of(ls, path: str):
    """TextLines of a file: the open document's text when it is open, else the file on disk."""
    uri = uris.from_fs_path(path)
    opened = ls.workspace.text_documents.get(uri) if uri else None
    if opened is not None:
        return TextLines(opened.source, ls.state.encoding)
    try:
        return TextLines(read_bounded_text(path, MAX_DOCUMENT_BYTES), ls.state.encoding)
    except (OSError, ValueError):  # unreadable, not UTF-8, over the limit
        return TextLines("", ls.state.encoding)


def location(ls, engine_location) -> types.Location:
    lines = lines_of(ls, engine_location.path)
    return types.Location(uri=uris.from_fs_path(engine_location.path), range=lines.range(engine_location.span))


async def findings_of(ls, uri: str) -> list:
    outcome = await ls.state.outcome(uri)
    checked = getattr(outcome, "checked", None) if outcome is not None else None
    return list(checked.findings) if checked is not None else []


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DEFINITION, empty=list)
    async def definition(ls, params: types.DefinitionParams):
        uri = params.text_document.uri
        text, path, lines, kind = document_of(ls, uri)
        line, column = lines.engine_position(params.position)
        rules = ls.state.engine.policies.rules()
        if kind == "markdown":
            found = markdown_definition(text, line, column, findings=await findings_of(ls, uri), rules=rules)
        elif kind == "yaml":
            found = policy_definition(text, line, column, path=path, rules=rules)
        else:
            return []
        return [location(ls, each) for each in found]
