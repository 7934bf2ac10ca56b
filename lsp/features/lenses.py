"""Code lenses on a policy's rules: how many workspace documents each passes and fails, and
the `hotfix-policy.listRuleDocuments` command that lists them; on an open incident record, when
its next status update is due (`engine.editor.clock`), judged at the clock time of its last
check, so the lens turns "overdue" with the same check that brings the rule's warning."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types

from ...engine.editor import LIST_DOCUMENTS, OPEN_RULE, policy_lenses
from ...engine.editor.clock import update_due
from ...engine.editor.yaml_position import file_kind, load

from . import request
from .definition import document_of

log = logging.getLogger(__name__)


def register(server) -> None:
    @request(server, types.TEXT_DOCUMENT_CODE_LENS, empty=list)
    def code_lens(ls, params: types.CodeLensParams):
        text, path, lines, kind = document_of(ls, params.text_document.uri)
        if kind == "markdown":
            return _record_lenses(ls, params.text_document.uri, lines)
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


def _record_lenses(ls, uri: str, lines) -> list:
    """"next update due 14:42 UTC, in 12 min" on an open incident's last status message; a click
    shows the rule that sets the interval."""
    outcome = ls.state.current_outcome(uri)
    if outcome is None or outcome.checked is None or outcome.now is None:
        return []
    engine = ls.state.engine
    due = update_due(outcome.checked.document, engine.policies, engine.policies.data or engine.config.data,
                     outcome.now, engine.config.clock is not None, engine.config.rules)
    if due is None:
        return []
    _, policy_path, rule_span = due.rule
    return [types.CodeLens(range=lines.range(due.span), command=types.Command(
        title=due.title, command=OPEN_RULE,
        arguments=[str(Path(policy_path).resolve()), rule_span.line, rule_span.column]))]
