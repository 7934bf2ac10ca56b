"""The requests behind an editor's status item and workspace commands (the VS Code extension's
language status item, "Check workspace", "List rules", "Open rule reference"; any client may
send them):

- `hotfixPolicy/status` -> the status (`lsp.status`); `hotfixPolicy/statusChanged` follows each change.
- `hotfixPolicy/rules` -> `{reference, rules: [{id, severity, summary, policy, url, location}]}`:
  every rule in force and the engine's findings (`engine.editor.rule_list`); `url` is the rule's
  reference page (`engine.policy.help_links`), `location` its place in its policy file (None for
  the engine's findings), `reference` the page of every rule.
- `hotfixPolicy/checkWorkspace` -> the summary of checking every indexed document
  (`lsp.workspace_check`: its diagnostics are published); `hotfixPolicy/clearWorkspaceCheck`
  takes them away.

None is about one open document, so they run on the loop rather than a request thread: the
check worker does the work, one document at a time.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types

from ...engine.editor.rule_list import rule_entries
from ...engine.limits import MAX_REQUEST_WAIT_SECONDS
from ...engine.policy.help_links import RULES_PAGE, docs_url
from ..convert import shown
from ..params import request_params
from . import feature

STATUS = "hotfixPolicy/status"
RULES = "hotfixPolicy/rules"
CHECK_WORKSPACE = "hotfixPolicy/checkWorkspace"
CLEAR_WORKSPACE_CHECK = "hotfixPolicy/clearWorkspaceCheck"


def register(server) -> None:
    @feature(server, STATUS)
    async def status(ls, params):
        request_params(STATUS, params)
        await _configured(ls.state)
        return ls.state.status.payload()

    @feature(server, RULES)
    async def rules(ls, params):
        request_params(RULES, params)
        state = ls.state
        await _configured(state)
        # On the check worker, the one thread that uses the rule links (they read policy files).
        listed = await asyncio.wrap_future(state.executor.submit(_rules, state, ls.protocol._converter))
        return {"reference": docs_url(RULES_PAGE), "rules": listed}

    @feature(server, CHECK_WORKSPACE)
    async def check_workspace(ls, params):
        request_params(CHECK_WORKSPACE, params)
        return await ls.state.workspace_check.run()

    @feature(server, CLEAR_WORKSPACE_CHECK)
    def clear_workspace_check(ls, params):
        request_params(CLEAR_WORKSPACE_CHECK, params)
        ls.state.workspace_check.clear()


async def _configured(state) -> None:
    """Wait for the first configuration load: the configuration in force, not the defaults it
    replaces within a second (past the bound, what is loaded so far)."""
    await asyncio.to_thread(state.configured.wait, MAX_REQUEST_WAIT_SECONDS)


def _rules(state, converter) -> list:
    links = state.rule_links()
    listed = []
    for entry in rule_entries(state.engine.policies, state.engine.config.rules):
        link = links(entry.id) if entry.policy is not None else None
        location = link[1] if link is not None else None
        listed.append({"id": entry.id, "severity": entry.severity, "summary": shown(entry.summary),
                       "policy": shown(entry.policy) if entry.policy is not None else None, "url": entry.help_url,
                       "location": converter.unstructure(location) if location is not None else None})
    return listed
