"""Go to definition: a rule id (a diagnostic's code or an id in the text) to its rule in its
policy YAML, built-in pack included; `variables.x` to its declaration. Also the one place the
features get an open document, its check's findings, and turn an engine (path, Span) in another
file into a client Location.
"""

from __future__ import annotations

from lsprotocol import types
from pygls import uris

from ...engine.editor import markdown_definition, policy_definition
from ...engine.files import read_regular_file
from ...engine.limits import MAX_DOCUMENT_BYTES
from ..convert import TextLines
from ..diagnose import file_type
from . import NotOpen, request


def document_of(ls, uri: str):
    """(text, file path, TextLines, file type) of an open document; `NotOpen` for any other:
    a request never makes the server read a file the client names (a FIFO would block it,
    /dev/zero would never end)."""
    snapshot = ls.state.snapshot(uri)
    if snapshot is None:
        raise NotOpen(uri)
    return snapshot.text, snapshot.path, ls.state.lines(snapshot), file_type(snapshot.language_id, snapshot.path)


def lines_of(ls, path: str):
    """TextLines of a file: the open document's text when it is open, else the file on disk
    (a regular file within the size limit; else empty)."""
    uri = uris.from_fs_path(path)
    opened = ls.state.snapshot(uri) if uri else None
    if opened is not None:
        return ls.state.lines(opened)
    try:
        return TextLines(read_regular_file(path, MAX_DOCUMENT_BYTES).decode("utf-8"), ls.state.encoding)
    except (OSError, ValueError):  # unreadable, not a regular file, not UTF-8, over the limit
        return TextLines("", ls.state.encoding)


def location(ls, engine_location) -> types.Location:
    lines = lines_of(ls, engine_location.path)
    return types.Location(uri=uris.from_fs_path(engine_location.path), range=lines.range(engine_location.span))


def checked_of(ls, uri: str, text: str) -> tuple:
    """(findings, engine Document) of the check of this text of the document, waiting for the
    check within the request's bound; ([], None) past it, or when the text has changed since."""
    outcome = ls.state.current_outcome(uri)
    checked = getattr(outcome, "checked", None) if outcome is not None else None
    if checked is None or outcome.snapshot.text is not text:
        return [], None
    return list(checked.findings), checked.document


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_DEFINITION, empty=list)
    def definition(ls, params: types.DefinitionParams):
        uri = params.text_document.uri
        text, path, lines, kind = document_of(ls, uri)
        line, column = lines.engine_position(params.position)
        rules = ls.state.engine.policies.rules()
        if kind == "markdown":
            findings, _ = checked_of(ls, uri, text)
            found = markdown_definition(text, line, column, findings=findings, rules=rules)
        elif kind == "yaml":
            found = policy_definition(text, line, column, path=path, rules=rules)
        else:
            return []
        return [location(ls, each) for each in found]
