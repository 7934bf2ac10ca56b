"""Pull diagnostics (`textDocument/diagnostic`) for clients that ask; the others get them
published after every check (`ServerState._deliver`).

A result id is `uri@version/generation/revision`: the document's version, the server's results
generation (configuration reloads, the index becoming ready, saved documents), so a client
holding an old report learns it changed even when the document did not, and the server's
revision of the text, so a client whose versions repeat or go backwards never hears
"unchanged" about another text. A pull that is not answered within the request bound (its
check is not done) is cancelled by the server with `retriggerRequest`: the client asks again,
and keeps the diagnostics it shows meanwhile.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from . import request

IDENTIFIER = "hotfix-policy"


def result_id(outcome) -> str:
    snapshot = outcome.snapshot
    return f"{snapshot.uri}@{snapshot.version}/{snapshot.generation}/{snapshot.revision}"


def _empty_report():
    return types.RelatedFullDocumentDiagnosticReport(items=[])


def _not_ready():
    raise JsonRpcException("the document's check is not done yet", code=types.LSPErrorCodes.ServerCancelled,
                           data=types.DiagnosticServerCancellationData(retrigger_request=True))


def register(server) -> None:
    options = types.DiagnosticOptions(identifier=IDENTIFIER, inter_file_dependencies=True,
                                      workspace_diagnostics=False)

    @request(server, types.TEXT_DOCUMENT_DIAGNOSTIC, options, empty=_empty_report, on_timeout=_not_ready)
    async def pull(ls, params: types.DocumentDiagnosticParams):
        outcome = await ls.state.outcome(params.text_document.uri)
        if outcome is None:
            return _empty_report()
        identifier = result_id(outcome)
        if params.previous_result_id == identifier:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=identifier)
        return types.RelatedFullDocumentDiagnosticReport(items=outcome.diagnostics, result_id=identifier)
