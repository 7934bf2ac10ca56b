"""Document symbols end to end: a Markdown outline and a policy's rules."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import INCIDENT, POLICY, WAIT, open_document, start


async def symbols(client, uri: str) -> list:
    return await asyncio.wait_for(client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)


def where(r) -> tuple:
    return (r.start.line, r.start.character, r.end.line, r.end.character)


async def test_markdown_outline(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    [title] = await symbols(client, uri)
    assert title.name == "INC-7: Checkout 🚀 failing" and title.kind == types.SymbolKind.Namespace
    assert where(title.selection_range) == (0, 2, 0, 28)  # the rocket is 2 UTF-16 units
    [block] = title.children
    assert block.name == "🚨 PRODUCTION INCIDENT DECLARED" and block.detail == "declaration"
    assert [(f.name, f.detail, where(f.selection_range)) for f in block.children] == [
        ("Severity", "😀 bad", (3, 0, 3, 8)), ("Status", "WHATEVER", (4, 0, 4, 6)),
        ("Declared", "2026-11-20T09:10Z", (5, 0, 5, 8))]


async def test_policy_outline(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "policies" / "incident.yaml", POLICY, language="yaml")
    [rules] = await symbols(client, uri)
    assert rules.name == "rules"
    assert [(r.name, r.detail, where(r.selection_range)) for r in rules.children] == [
        ("T001", "error", (6, 10, 6, 14)), ("T002", "warning", (11, 10, 11, 14)), ("T003", "error", (17, 10, 17, 14))]
