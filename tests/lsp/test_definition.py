"""Go to definition end to end: a finding's rule, a rule id in config, `variables.x`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import INCIDENT, WAIT, codes, diagnostics_until, open_document, start, where


async def definition(client, uri: str, line: int, character: int) -> list:
    return await asyncio.wait_for(client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))), WAIT)


async def test_from_a_finding_to_its_rule(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, uri, lambda d: codes(d) == ["T001", "T002"])
    [location] = await definition(client, uri, 3, 12)
    assert location.uri == (workspace / "policies" / "incident.yaml").as_uri()
    assert where(location) == (6, 10, 6, 14)


async def test_from_a_rule_id_in_config_and_from_a_variable(client, workspace: Path):
    await start(client, workspace)
    await diagnostics_until(client, open_document(client, workspace / "incidents" / "INC-1.md",
                                                  (workspace / "incidents" / "INC-1.md").read_text()), lambda d: True)
    config = open_document(client, workspace / ".policy.yaml",
                           "packs: []\npolicies: [policies/]\nwaivers:\n  - rules: [T003]\n", language="yaml")
    [location] = await definition(client, config, 3, 13)
    assert location.uri == (workspace / "policies" / "incident.yaml").as_uri()
    assert where(location) == (17, 10, 17, 14)
    policy = ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: v}\nspec:\n  appliesTo: incident\n"
              "  variables:\n    - name: sev\n      expression: doc.severity\n  rules:\n"
              "    - id: V001\n      severity: error\n      expression: \"variables.sev == 'HIGH'\"\n")
    uri = open_document(client, workspace / "policies" / "v.yaml", policy, language="yaml")
    [location] = await definition(client, uri, 11, 31)
    assert location.uri == uri and where(location) == (6, 12, 6, 15)
