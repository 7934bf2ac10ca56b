"""The hostile workspace as a pytest fixture, shared by every launcher's test (the `policy`
command, the VS Code launcher, Neovim, Emacs), and a language server session started in it.

The workspace is the one the editor tests always used (`.policy.yaml` with `packs: []`, the tiny
pack of `tests/lsp/helpers.py`, an incident record with two mistakes, a clean one and a draft
policy with a CEL syntax error) with the marker modules of `hostile.py` planted beside them: a
launcher passes when the record gets its diagnostics and no marker was written.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_lsp.client import make_test_lsp_client

from tests.launchers.hostile import markers_written, plant
from tests.lsp.helpers import CLEAN_INCIDENT, CONFIG, INCIDENT, POLICY, WAIT, codes, diagnostics_until, \
    open_document, start

# a draft policy outside `policies/` (found by content) with a CEL syntax error: a missing comma
DRAFT = POLICY.replace("'HIGH', 'MEDIUM'", "'HIGH' 'MEDIUM'")


@dataclass(frozen=True)
class HostileWorkspace:
    root: Path
    markers: Path

    @property
    def record(self) -> Path:
        """The incident record with two mistakes (T001, T002)."""
        return self.root / "incidents" / "INC-7.md"

    @property
    def draft(self) -> Path:
        return self.root / "drafts" / "policy.yaml"

    def imported(self) -> list[str]:
        """The planted modules some launch imported: must stay empty."""
        return markers_written(self.markers)


@pytest.fixture
def hostile_workspace(tmp_path: Path) -> HostileWorkspace:
    root = tmp_path / "ws"
    for folder in ("policies", "incidents", "drafts"):
        (root / folder).mkdir(parents=True)
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "policies" / "incident.yaml").write_text(POLICY, encoding="utf-8")
    (root / "incidents" / "INC-1.md").write_text(CLEAN_INCIDENT, encoding="utf-8")
    (root / "incidents" / "INC-7.md").write_text(INCIDENT, encoding="utf-8")
    (root / "drafts" / "policy.yaml").write_text(DRAFT, encoding="utf-8")
    plant(root, tmp_path / "markers")
    return HostileWorkspace(root, tmp_path / "markers")


async def record_diagnostics(command: list[str], workspace: HostileWorkspace, env: dict | None = None) -> list[str]:
    """Start the server with `command` and the workspace as working directory (as editors do),
    open the record, and return the codes of its first diagnostics (T001 and T002 expected)."""
    client = make_test_lsp_client()
    await client.start_io(*command, cwd=workspace.root, env=env)
    try:
        await start(client, workspace.root)
        uri = open_document(client, workspace.record, workspace.record.read_text(encoding="utf-8"))
        diagnostics = await diagnostics_until(client, uri, lambda found: len(found) >= 2)
        await asyncio.wait_for(client.shutdown_session(), WAIT)
    finally:
        await client.stop()
    return codes(diagnostics)
