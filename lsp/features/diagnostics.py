"""Pull diagnostics (`textDocument/diagnostic`) for clients that ask; the others get them
published after every check (`ServerState._deliver`).

A result id is `uri@version/generation`: the document's version, and the server's results
generation (configuration reloads, the index becoming ready, saved documents), so a client
holding an old report learns it changed even when the document did not.
"""

from __future__ import annotations

from lsprotocol import types

from . import feature

IDENTIFIER = "hotfix-policy"


def result_id(outcome) -> str:
    snapshot = outcome.snapshot
    return f"{snapshot.uri}@{snapshot.version}/{snapshot.generation}"


def _empty_report():
    return types.RelatedFullDocumentDiagnosticReport(items=[])


def register(server) -> None:
    options = types.DiagnosticOptions(identifier=IDENTIFIER, inter_file_dependencies=True,
                                      workspace_diagnostics=False)

    @feature(server, types.TEXT_DOCUMENT_DIAGNOSTIC, options, empty=_empty_report)
    async def pull(ls, params: types.DocumentDiagnosticParams):
        outcome = await ls.state.outcome(params.text_document.uri)
        if outcome is None:
            return _empty_report()
        identifier = result_id(outcome)
        if params.previous_result_id == identifier:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=identifier)
        return types.RelatedFullDocumentDiagnosticReport(items=outcome.diagnostics, result_id=identifier)
