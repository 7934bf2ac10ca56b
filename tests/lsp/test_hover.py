"""Hover end to end: a label's description, a finding's rule docs and failing values."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import INCIDENT, WAIT, codes, diagnostics_until, open_document, start


async def hover(client, uri: str, line: int, character: int):
    return await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))), WAIT)


def where(result) -> tuple:
    r = result.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


async def test_hover_on_a_label(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    result = await hover(client, uri, 4, 2)
    assert result.contents.kind == types.MarkupKind.Markdown
    assert result.contents.value.startswith("**Status** · `doc.status` (text)")
    assert "- `FIXING`: Cause known, fix being written." in result.contents.value
    assert where(result) == (4, 0, 4, 6)


async def test_hover_on_a_finding_shows_the_rule_and_the_failing_value(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, uri, lambda d: codes(d) == ["T001", "T002"])
    result = await hover(client, uri, 3, 12)
    assert where(result) == (3, 10, 3, 16)
    value = result.contents.value
    assert "**T001** · error · policy `mini-incident`" in value
    assert "The declaration's Severity is CRITICAL, HIGH or MEDIUM." in value
    assert 'read doc.severity = "😀 bad" (line 4)' in value
    assert "result: FAILED" in value


async def test_hover_on_a_rule_id_in_config(client, workspace: Path):
    await start(client, workspace)
    await diagnostics_until(client, open_document(client, workspace / "incidents" / "INC-1.md",
                                                  (workspace / "incidents" / "INC-1.md").read_text()), lambda d: True)
    uri = open_document(client, workspace / ".policy.yaml", "packs: []\npolicies: [policies/]\nrules:\n  T002: off\n",
                        language="yaml")
    result = await hover(client, uri, 3, 3)
    # the level in force, as `policy rules T002` says it, and the policy's own beside it
    assert result.contents.value.startswith("**T002** · off in .policy.yaml (the policy: warning) · policy "
                                            "`mini-incident`")
    assert where(result) == (3, 2, 3, 6)


async def test_hover_on_a_function_a_kind_and_a_waived_rule_id(client, workspace: Path):
    await start(client, workspace)
    text = (workspace / "policies" / "incident.yaml").read_text(encoding="utf-8")
    uri = open_document(client, workspace / "policies" / "incident.yaml", text, language="yaml")
    result = await hover(client, uri, 19, 20)   # `size(` in T003's expression
    assert result.contents.value.startswith("`size(string) -> int`")
    assert result.contents.value.endswith("Example: `size(['a', 'b']) + 'héllo'.size()` is `7`")
    assert where(result) == (19, 19, 19, 23)
    result = await hover(client, uri, 4, 15)    # `appliesTo: incident`
    assert result.contents.value.startswith("**incident** · kind\n\nAn incident record (Markdown)")
    await diagnostics_until(client, open_document(client, workspace / "incidents" / "INC-1.md",
                                                  (workspace / "incidents" / "INC-1.md").read_text()), lambda d: True)
    uri = open_document(client, workspace / ".policy.yaml",
                        "packs: []\npolicies: [policies/]\nwaivers:\n  - rules: [T002]\n", language="yaml")
    result = await hover(client, uri, 3, 13)
    assert result.contents.value.startswith("**T002** · warning · policy `mini-incident`")
    assert where(result) == (3, 12, 3, 16)
