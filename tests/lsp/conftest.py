"""Language server tests: a real server over stdio (pytest-lsp), a small workspace of our own.

The workspace has `.policy.yaml` with `packs: []`, so only the tiny pack in `helpers.py`
applies (the built-in pack does not affect these tests). A test that hangs is killed after
TEST_TIMEOUT seconds with every thread's traceback.
"""

from __future__ import annotations

import asyncio
import faulthandler
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import SERVER, WAIT, make_workspace

TEST_TIMEOUT = 120


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    faulthandler.dump_traceback_later(TEST_TIMEOUT, exit=True)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    # lsprotocol reads any object with a `command` key as a Command, so a CodeAction with an edit
    # and a command would lose its edit on the client side: a Command's `command` is a string.
    converter = lsp_client.protocol._converter
    converter.register_structure_hook(Union[types.Command, types.CodeAction], lambda value, _: converter.structure(
        value, types.Command if isinstance(value.get("command"), str) else types.CodeAction))
    registrations = lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(ls, params: types.RegistrationParams):
        registrations.extend(params.registrations)  # as editors do: accept

    yield
    try:
        await asyncio.wait_for(lsp_client.shutdown_session(), WAIT)
    except Exception:  # noqa: BLE001 - a test may have stopped the server on purpose
        pass
