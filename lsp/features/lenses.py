"""Code lenses on a policy's rules: how many workspace documents each passes and fails, and
the `hotfix-policy.listRuleDocuments` command that lists them."""

from __future__ import annotations

import logging

from lsprotocol import types

from ...engine.editor import LIST_DOCUMENTS, policy_lenses
from ...engine.editor.yaml_position import file_kind, load

from . import request
from .definition import document_of

log = logging.getLogger(__name__)


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_CODE_LENS, empty=list)
    def code_lens(ls, params: types.CodeLensParams):
        text, path, lines, kind = document_of(ls, params.text_document.uri)
        if kind != "yaml" or file_kind(text, path, load(text, path)) != "policy":
            return []
        engine = ls.state.engine
        found = policy_lenses(text, path, engine.documents(), engine.policies.data or engine.config.data,
                              engine.config.clock)
        return [types.CodeLens(range=lines.range(lens.span),
                               command=types.Command(title=lens.title, command=lens.command,
                                                     arguments=list(lens.arguments)))
                for lens in found]

    @server.command(LIST_DOCUMENTS)
    def list_documents(ls, *arguments):
        try:
            rule_id, passed, failed, errors = (list(arguments) + [[], [], [], []])[:4]
            lines = [f"{rule_id}: fails {len(failed)}, passes {len(passed)}"]
            lines += [f"  fails: {path}" for path in failed] + [f"  passes: {path}" for path in passed]
            lines += [f"  error: {path}" for path in errors]
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message="\n".join(lines)))
            return {"rule": rule_id, "passed": passed, "failed": failed, "errors": errors}
        except Exception:  # noqa: BLE001 - a bad argument must not take the server down
            log.exception("%s failed", LIST_DOCUMENTS)
            return None
