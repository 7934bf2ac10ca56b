"""Code lenses end to end: passes and fails per rule over the workspace's documents."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

from lsprotocol import types

from tests.conftest import POLICY_COMMAND
from tests.lsp.helpers import CLEAN_INCIDENT, CONFIG, POLICY, WAIT, log_message, open_document, start


async def test_lenses_count_workspace_documents(client, workspace: Path):
    (workspace / "incidents" / "INC-2.md").write_text(
        CLEAN_INCIDENT.replace("INC-1", "INC-2").replace("HIGH", "low"), encoding="utf-8")
    await start(client, workspace)
    await log_message(client, "workspace index ready: 2 documents")
    uri = open_document(client, workspace / "policies" / "incident.yaml", POLICY, language="yaml")
    lenses = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
    shown = [((l.range.start.line, l.range.start.character), l.command.title) for l in lenses]
    assert shown == [((6, 10), "passes 1 · fails 1"), ((11, 10), "passes 2 · fails 0"),
                     ((17, 10), "passes 2 · fails 0")]
    command = lenses[0].command
    assert command.command == "hotfix-policy.listRuleDocuments"
    assert list(command.arguments) == ["T001", ["incidents/INC-1.md"], ["incidents/INC-2.md"], []]  # relative paths
    offered = []

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def pick(ls, params: types.ShowMessageRequestParams):
        offered.append([action.title for action in params.actions])
        return params.actions[0]

    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command.command, arguments=command.arguments)), WAIT)
    assert offered == [["incidents/INC-2.md"]]
    assert [shown.uri for shown in client.shown_documents] == [(workspace / "incidents" / "INC-2.md").as_uri()]
    assert result["opened"] == "incidents/INC-2.md"
    # A path from the client that leads out of the workspace is never opened.
    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command.command, arguments=["T001", [], ["../../etc/passwd"], []])), WAIT)
    assert result["opened"] is None and len(client.shown_documents) == 1


async def test_lens_counts_are_those_of_policy_check(client, workspace: Path):
    """An empty record is a document `policy check` judges when a glob names its kind: the lens
    counts it as check does."""
    (workspace / ".policy.yaml").write_text(CONFIG + "documents:\n  incident: [\"incidents/*.md\"]\n", encoding="utf-8")
    (workspace / "incidents" / "INC-3.md").write_text("", encoding="utf-8")
    (workspace / "incidents" / "INC-2.md").write_text(
        CLEAN_INCIDENT.replace("INC-1", "INC-2").replace("FIXING", "SLEEPING"), encoding="utf-8")
    checked = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json"], cwd=workspace,
                             capture_output=True, text=True, timeout=120)
    failing: dict = {}  # rule -> documents it fails; EVAL001: (rule, document) it could not evaluate
    for finding in json.loads(checked.stdout)["findings"]:
        rule = finding["rule"]
        if rule == "EVAL001":
            rule = "error " + finding["message"].split()[1]
        failing.setdefault(rule, set()).add(finding["path"])
    await start(client, workspace)
    await log_message(client, "workspace index ready: 3 documents")
    uri = open_document(client, workspace / "policies" / "incident.yaml", POLICY, language="yaml")
    lenses = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
    for lens in lenses:
        rule, passed, failed, errors = lens.command.arguments
        assert set(failed) == failing.get(rule, set()) and set(errors) == failing.get("error " + rule, set()), rule
        assert len(passed) + len(failed) + len(errors) == 3, rule
    assert lenses[0].command.title == "passes 2 · fails 0 · errors 1"  # the empty record, as check says
    assert lenses[1].command.arguments[2] == ["incidents/INC-2.md"]
