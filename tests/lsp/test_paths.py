"""Paths in what the server says do not depend on where the editor started it.

Editors start the server anywhere: Neovim's plugin in its own folder, eglot in the project's
root, others in a parent of it. Here the server runs in the temporary folder that holds the
workspace (`/tmp`, a parent of it): the engine keeps absolute paths, URIs are the files' own,
and messages and hovers name the workspace's files from its root, as `policy check` run there
does.
"""

from __future__ import annotations

import asyncio
import shlex
import tempfile
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import POLICY_COMMAND
from tests.lsp.helpers import (
    WAIT,
    diagnostics_until,
    open_config_loading_a_broken_policy,
)

IN_A_PARENT = ClientServerConfig(server_command=[
    "sh", "-c", f"cd {shlex.quote(tempfile.gettempdir())} && exec {shlex.quote(POLICY_COMMAND)} lsp"])


@pytest_lsp.fixture(config=IN_A_PARENT)
async def client(lsp_client: LanguageClient):
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(lambda ls, params: None)  # as editors do: accept
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), WAIT)


async def test_uris_and_messages_name_the_workspaces_files(client, workspace: Path):
    assert Path(tempfile.gettempdir()) in workspace.parents  # the case the users met
    uri = await open_config_loading_a_broken_policy(client, workspace)
    [diagnostic] = await diagnostics_until(client, uri, lambda d: len(d) >= 1)
    assert diagnostic.message.startswith("policies/kind.yaml does not load")
    listed = await asyncio.wait_for(client.protocol.send_request_async("hotfixPolicy/tests", {}), WAIT)
    error_uris = {error.uri for error in listed.errors if error.uri}
    assert (workspace / "policies" / "kind.yaml").as_uri() in error_uris  # the file's own URI, not cwd-relative
