"""Helpers for the language server tests: the small pack and documents, and waits that never
sleep (each with a timeout)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import POLICY_COMMAND

WAIT = 30.0  # seconds any single wait may take

SERVER = ClientServerConfig(server_command=[POLICY_COMMAND, "lsp"])
CONFIG = """\
packs: []
policies: [policies/]
"""

POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: mini-incident, description: A tiny pack for the language server's tests.}
spec:
  appliesTo: incident
  rules:
    - id: T001
      severity: error
      expression: "doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      message: "Severity must be CRITICAL, HIGH or MEDIUM"
      docs: {summary: "The declaration's Severity is CRITICAL, HIGH or MEDIUM."}
    - id: T002
      severity: warning
      expression: >-
        doc.status in ['INVESTIGATING', 'FIXING',
          'TESTING', 'DEPLOYING', 'MONITORING', 'CLOSED']
      message: "Unknown status"
    - id: T003
      severity: error
      expression: "size(docs.incident.filter(i, i.number == doc.number)) <= 1"
      message: "Another incident record has the same number"
"""

INCIDENT = """\
# INC-7: Checkout 🚀 failing

🚨 PRODUCTION INCIDENT DECLARED
Severity: 😀 bad
Status: WHATEVER
Declared: 2026-11-20T09:10Z
"""

CLEAN_INCIDENT = """\
# INC-1: Search is slow

🚨 PRODUCTION INCIDENT DECLARED
Severity: HIGH
Status: FIXING
Declared: 2026-11-20T09:10Z
"""


def make_workspace(root: Path) -> Path:
    """A workspace with `.policy.yaml` (`packs: []`), the tiny pack above and one clean incident."""
    (root / "policies").mkdir(parents=True)
    (root / "incidents").mkdir()
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "policies" / "incident.yaml").write_text(POLICY, encoding="utf-8")
    (root / "incidents" / "INC-1.md").write_text(CLEAN_INCIDENT, encoding="utf-8")
    return root


async def start(client: LanguageClient, root: Path | None, profile: str = "visual-studio-code",
                encodings=None) -> types.InitializeResult:
    """initialize + initialized for a workspace root, with a real editor's capabilities."""
    capabilities = pytest_lsp.client_capabilities(profile)
    if encodings is not None:
        capabilities.general = capabilities.general or types.GeneralClientCapabilities()
        capabilities.general.position_encodings = encodings
    params = types.InitializeParams(capabilities=capabilities)
    if root is not None:
        params.root_uri = root.as_uri()
        params.workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    return await asyncio.wait_for(client.initialize_session(params), WAIT)


def open_document(client: LanguageClient, path: Path, text: str, language: str = "markdown",
                  version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def change_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def diagnostics_until(client: LanguageClient, uri: str, condition, timeout: float = WAIT) -> list:
    """The published diagnostics of `uri` once `condition(diagnostics)` holds."""
    async def wait() -> list:
        while True:
            if uri in client.diagnostics and condition(client.diagnostics[uri]):
                return client.diagnostics[uri]
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    try:
        return await asyncio.wait_for(wait(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"no matching diagnostics for {uri}; last: {client.diagnostics.get(uri)}") from None


async def log_message(client: LanguageClient, text: str, timeout: float = WAIT) -> str:
    """Wait for a window/logMessage containing `text`."""
    async def wait() -> str:
        while True:
            for message in client.log_messages:
                if text in message.message:
                    return message.message
            await client.wait_for_notification(types.WINDOW_LOG_MESSAGE)

    return await asyncio.wait_for(wait(), timeout)


def codes(diagnostics) -> list:
    return sorted(str(d.code) for d in diagnostics)


def where(diagnostic) -> tuple:
    r = diagnostic.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


BROKEN_POLICY_CONFIG = "packs: []\npolicies:\n  - policies/\n"


async def open_config_loading_a_broken_policy(client, workspace: Path) -> str:
    """`.policy.yaml` loading `policies/kind.yaml`, whose `appliesTo: incidnet` is a mistake,
    opened in a started server; its URI."""
    (workspace / ".policy.yaml").write_text(BROKEN_POLICY_CONFIG, encoding="utf-8")
    (workspace / "policies" / "kind.yaml").write_text(POLICY.replace("appliesTo: incident", "appliesTo: incidnet"),
                                                       encoding="utf-8")
    await start(client, workspace)
    return open_document(client, workspace / ".policy.yaml", BROKEN_POLICY_CONFIG, language="yaml")
