"""Code lenses on a policy's rules: how many workspace documents each passes and fails, and
the `hotfix-policy.listRuleDocuments` command that offers the failing ones to open (VS Code shows
its own quick pick instead), and "run N examples" (`policy_tests`); on an open incident record, when
its next status update is due (`engine.editor.clock`), judged at the clock time of its last
check, so the lens turns "overdue" with the same check that brings the rule's warning."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types
from pygls import uris

from ...engine.editor import LIST_DOCUMENTS, OPEN_RULE, policy_lenses
from ...engine.editor.clock import update_due
from ...engine.editor.yaml_position import file_kind, load
from ...engine.limits import MAX_LENS_DOCUMENT_CHOICES
from ...engine.policy.planned_tests import folders_to_test

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
                              engine.config.clock, engine.root, folders_to_test(engine.config), engine.config)
        return [types.CodeLens(range=lines.range(lens.span),
                               command=types.Command(title=lens.title, command=lens.command,
                                                     arguments=list(lens.arguments)))
                for lens in found]

    @server.command(LIST_DOCUMENTS)
    async def list_documents(ls, *arguments):
        """Offer the documents the rule fails (then those it could not evaluate) as buttons; the
        one chosen opens (window/showDocument). Paths are relative to the workspace."""
        try:
            rule_id, passed, failed, errors = (list(arguments) + [[], [], [], []])[:4]
            offered = [str(path) for path in list(failed) + list(errors)]
            answer = {"rule": rule_id, "passed": passed, "failed": failed, "errors": errors, "opened": None}
            if not offered:
                ls.window_show_message(types.ShowMessageParams(
                    type=types.MessageType.Info, message=f"{rule_id}: no document fails (passes {len(passed)})"))
                return answer
            shown = offered[:MAX_LENS_DOCUMENT_CHOICES]
            more = f" (the first {len(shown)} shown)" if len(offered) > len(shown) else ""
            chosen = await ls.window_show_message_request_async(types.ShowMessageRequestParams(
                type=types.MessageType.Info, message=f"{rule_id} fails {len(failed)} document{'' if len(failed) == 1 else 's'}{more}: open one",
                actions=[types.MessageActionItem(title=path) for path in shown]))
            if chosen is not None and chosen.title in shown:
                target = _in_workspace(ls, chosen.title)
                if target is not None:
                    await ls.window_show_document_async(types.ShowDocumentParams(
                        uri=uris.from_fs_path(str(target)), take_focus=True))
                    answer["opened"] = chosen.title
            return answer
        except Exception:  # noqa: BLE001 - a bad argument must not take the server down
            log.exception("%s failed", LIST_DOCUMENTS)
            return None


def _in_workspace(ls, shown: str):
    """The file a lens names (relative to the workspace), or None for one outside it: a
    command's arguments come from the client and never open another file."""
    root = ls.state.engine.root
    if root is None:
        return None
    target = (root / shown).resolve()
    return target if target.is_relative_to(root) and target.is_file() else None


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
