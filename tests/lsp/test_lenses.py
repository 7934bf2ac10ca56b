"""Code lenses end to end: passes and fails per rule over the workspace's documents."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import CLEAN_INCIDENT, POLICY, WAIT, log_message, open_document, start


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
    rule, passed, failed, errors = command.arguments
    assert rule == "T001" and [Path(p).name for p in passed] == ["INC-1.md"] and \
        [Path(p).name for p in failed] == ["INC-2.md"]
    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command.command, arguments=command.arguments)), WAIT)
    assert result["failed"] == failed
