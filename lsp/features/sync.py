"""Document and workspace synchronization: the server's life cycle and what triggers a check.

initialize (root, encoding, diagnostics mode) -> initialized (configuration, background index,
file watchers); open and change take a new snapshot of the document and check it (coalesced),
save checks it again; saving a policy or `.policy.yaml` reloads the configuration and
re-checks every open document; saving Markdown updates the index; files changed outside the
editor (watched files) do the same. Reloads and file updates are coalesced (`ServerState`): a
storm of events costs one reading of each file.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types
from pygls import uris

from . import feature

log = logging.getLogger(__name__)

_WATCHED = ("**/*.md", "**/*.markdown", "**/*.yaml", "**/*.yml")


def register(server) -> None:
    @feature(server, types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams):
        ls.state.initialize(params)

    @feature(server, types.INITIALIZED)
    def initialized(ls, params: types.InitializedParams):
        ls.state.start()
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            asyncio.ensure_future(_watch_files(ls))

    @feature(server, types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams):
        ls.state.track(params.text_document.uri)

    @feature(server, types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams):
        ls.state.track(params.text_document.uri)

    @feature(server, types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls, params: types.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        state = ls.state
        path = uris.to_fs_path(uri)
        if state.is_policy_file(uri):
            state.reload_configuration()          # re-checks every open document after
        elif path and path.lower().endswith((".md", ".markdown")):
            state.file_changed(path, deleted=False)  # re-indexed, then every open document re-checked
        else:
            state.check(uri)

    @feature(server, types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams):
        ls.state.closed(params.text_document.uri)

    @feature(server, types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls, params: types.DidChangeWatchedFilesParams):
        state = ls.state
        reload = False
        for change in params.changes:
            path = uris.to_fs_path(change.uri)
            if not path:
                continue
            if path.lower().endswith((".yaml", ".yml")):
                reload = True
            elif path.lower().endswith((".md", ".markdown")):
                state.file_changed(path, deleted=change.type == types.FileChangeType.Deleted)
        if reload:
            state.reload_configuration()

    @feature(server, types.SHUTDOWN)
    def shutdown(ls, params):
        ls.state.shutdown()


async def _watch_files(ls) -> None:
    """Ask the client to tell us about Markdown and YAML files changed outside the editor."""
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in _WATCHED])
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="hotfix-policy-watched-files",
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)]))
    except Exception as error:  # noqa: BLE001 - the client may refuse; checks still work
        log.info("file watching not registered: %s", error)
