"""What the server holds for one client: the engine workspace, the open documents' last
outcomes, and the check queue.

One `engine.workspace.Workspace` for the workspace root (the first workspace folder, else
`rootUri`; with neither there is no index). At `initialized` its configuration loads on the
check worker and its documents are indexed on a background thread; when the index is ready,
open documents are checked again (cross-document rules were held back until then). A results
*generation* counts everything that changes diagnostics without a document changing (a
configuration reload, the index becoming ready, a saved document); pull results carry it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from lsprotocol import types
from pygls import uris

from ..engine.files import FileTooLarge, read_bounded_text
from ..engine.limits import MAX_DOCUMENT_BYTES
from ..engine.workspace import Workspace
from .diagnose import Outcome, RuleLinks, Snapshot, diagnose, file_type
from .scheduler import Coalescer

log = logging.getLogger(__name__)


class ServerState:
    def __init__(self, server):
        self.server = server
        self.engine = Workspace(None)
        self.encoding: str = types.PositionEncodingKind.Utf16
        self.pull = False                 # the client pulls diagnostics (textDocument/diagnostic)
        self.refresh = False              # ... and accepts workspace/diagnostic/refresh
        self.generation = 0
        self.outcomes: dict = {}          # uri -> Outcome of the newest checked version
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotfix-check")
        self.checks = Coalescer(self._check, self._deliver, self.executor)
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._links: Optional[RuleLinks] = None
        self._links_for = None
        self._configured = False
        self._loop_thread: Optional[int] = None

    # -- lifecycle -------------------------------------------------------------------------
    def initialize(self, params: types.InitializeParams) -> None:
        """Remember the root, the negotiated position encoding and how diagnostics travel."""
        folders = params.workspace_folders or []
        root_uri = folders[0].uri if folders else params.root_uri
        if root_uri is None and params.root_path:
            root_uri = uris.from_fs_path(params.root_path)
        root = uris.to_fs_path(root_uri) if root_uri else None
        self.engine = Workspace(Path(root) if root and Path(root).is_dir() else None)
        self.encoding = str(self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        capabilities = params.capabilities
        self.pull = bool(capabilities.text_document and capabilities.text_document.diagnostic)
        workspace = capabilities.workspace
        self.refresh = bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)

    def start(self) -> None:
        """Load the configuration on the check worker, then index in the background."""
        self.loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        future = asyncio.wrap_future(self.executor.submit(self._load_configuration))
        future.add_done_callback(lambda _: self._start_index())

    def _load_configuration(self) -> list:
        self._configured = True
        try:
            errors = self.engine.reload_configuration()
        except Exception:  # noqa: BLE001 - keep serving with the last good configuration
            log.exception("loading the configuration failed")
            self.log("configuration could not be loaded; see the server log", types.MessageType.Error)
            return []
        for error in errors:
            self.log(f"configuration: {error}", types.MessageType.Warning)
        return errors

    def _start_index(self) -> None:
        def index() -> None:
            try:
                count = self.engine.index()
            except Exception:  # noqa: BLE001 - a bad file must not stop the server
                log.exception("indexing the workspace failed")
                count = -1
            self.loop.call_soon_threadsafe(self._index_ready, count)

        threading.Thread(target=index, name="hotfix-index", daemon=True).start()

    def _index_ready(self, count: int) -> None:
        self.log(f"workspace index ready: {max(count, 0)} documents", types.MessageType.Info)
        self.changed()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    # -- documents ---------------------------------------------------------------------------
    def snapshot(self, uri: str) -> Optional[Snapshot]:
        """The open document's current version, or None when it is not open."""
        document = self.server.workspace.text_documents.get(unquote(uri))
        if document is None:
            return None
        path = uris.to_fs_path(uri) or uri
        return Snapshot(document.uri, document.version if document.version is not None else 0, document.source,
                        document.language_id or "", path, self.generation)

    def open_uris(self) -> list:
        return [document.uri for document in self.server.workspace.text_documents.values()]

    def check(self, uri: str) -> None:
        """Check the open document's current version soon (coalesced)."""
        snapshot = self.snapshot(uri)
        if snapshot is not None:
            self.checks.submit(snapshot)

    async def outcome(self, uri: str) -> Optional[Outcome]:
        """The outcome for the document's current version (checking it if not yet done)."""
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return None
        known = self.outcomes.get(uri)
        if known is not None and (known.snapshot.version, known.snapshot.generation) == \
                (snapshot.version, snapshot.generation):
            return known
        return await self.checks.outcome_for(snapshot)

    def closed(self, uri: str) -> None:
        self.checks.forget(uri)
        self.outcomes.pop(uri, None)
        if not self.pull:
            self.publish(uri, [], None)

    def changed(self) -> None:
        """Something besides the documents changed their diagnostics: check every open one again."""
        self.generation += 1
        if self.pull and self.refresh:
            self.server.workspace_diagnostic_refresh(None)
        for uri in self.open_uris():
            self.check(uri)

    def is_policy_file(self, uri: str) -> bool:
        """A YAML file the engine recognized as a policy, policy test or config (last check)."""
        outcome = self.outcomes.get(uri)
        if outcome is not None and outcome.file_kind in ("policy", "policy_test", "config", "unknown"):
            return True
        snapshot = self.snapshot(uri)
        path = snapshot.path if snapshot else (uris.to_fs_path(uri) or uri)
        return file_type(snapshot.language_id if snapshot else "", path) == "yaml" and \
            Path(path).name in (".policy.yaml", ".policy.yml")

    def reload_configuration(self) -> None:
        """A policy or config was saved: reload on the worker, then check open documents again."""
        future = asyncio.wrap_future(self.executor.submit(self._load_configuration))
        future.add_done_callback(lambda _: self.changed())

    def file_changed(self, path: str, deleted: bool) -> None:
        """A Markdown file changed on disk: update the index on the worker, then re-check."""
        def update() -> None:
            text = None
            if not deleted:
                try:
                    text = read_bounded_text(path, MAX_DOCUMENT_BYTES, errors="replace")
                except (OSError, FileTooLarge):
                    text = None
            self.engine.update_file(path, text)

        future = asyncio.wrap_future(self.executor.submit(update))
        future.add_done_callback(lambda _: self.changed())

    # -- checking and publishing ----------------------------------------------------------
    def _check(self, snapshot: Snapshot) -> Outcome:
        """On the worker thread: one snapshot through the engine."""
        if not self._configured:
            self._load_configuration()
        return diagnose(self.engine, snapshot, self.encoding, self._rule_links())

    def _rule_links(self) -> RuleLinks:
        policies = self.engine.policies
        if self._links is None or self._links_for is not policies:
            self._links = RuleLinks(policies, self.encoding, uris.from_fs_path)
            self._links_for = policies
        return self._links

    def _deliver(self, snapshot: Snapshot, outcome: Optional[Outcome]) -> None:
        """On the loop: keep and publish the outcome if the document is still open at that version."""
        current = self.snapshot(snapshot.uri)
        if current is None or current.version != snapshot.version:
            return  # closed, or a newer version is pending and will be published
        if outcome is None:
            outcome = Outcome(snapshot, None)
            self.log(f"checking {snapshot.uri} failed; see the server log", types.MessageType.Error)
        self.outcomes[snapshot.uri] = outcome
        if not self.pull:
            self.publish(snapshot.uri, outcome.diagnostics, snapshot.version)

    def publish(self, uri: str, diagnostics: list, version: Optional[int]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    # -- messages ----------------------------------------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """window/logMessage from any thread (and the server's own log)."""
        log.info("%s", message)
        params = types.LogMessageParams(type=kind, message=message)
        try:
            if self.loop is not None and threading.get_ident() != self._loop_thread:
                self.loop.call_soon_threadsafe(self.server.window_log_message, params)
            else:
                self.server.window_log_message(params)
        except Exception:  # noqa: BLE001 - logging must never fail a request
            log.debug("could not send a log message", exc_info=True)
