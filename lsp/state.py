"""What the server holds for one client: the engine workspace, the open documents and their last
check outcomes, and the queues of work.

One `engine.workspace.Workspace` for the workspace root (the first workspace folder, else
`rootUri`; with neither there is no index). At `initialized` its configuration loads on the
check worker and its documents are indexed on a background thread; when the index is ready,
open documents are checked again (cross-document rules were held back until then). A results
*generation* counts everything that changes diagnostics without a document changing (a
configuration reload, the index becoming ready, a saved document); pull results carry it.

The open documents are the server's own snapshots, taken on the event loop when the client
opens or changes one. Each change is a new *revision*, counted here: a client whose versions
repeat or go backwards never gets the outcome of another text. Request threads read these
snapshots; nothing is read from disk for a document the client has not opened. File events
(saves, watched files) are coalesced: however many arrive while the worker is busy, each file is
read once and the open documents are checked again once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import itertools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from lsprotocol import types
from pygls import uris

from ..engine.diagnostics import encodable
from ..engine.documents.secrets import mask_text
from ..engine.files import show_absolute_paths
from ..engine.editor.clock import clock_kinds
from ..engine.kinds import WORKSPACE
from ..engine.workspace import Workspace
from .clock import ServerClock, Ticker
from .convert import TextLines, show_paths_from, shown
from .diagnose import Outcome, RuleLinks, Snapshot, diagnose, file_type
from .requests import RequestRunner, remaining
from .scheduler import Coalescer
from .status import StatusReporter
from .stale_waivers import StaleWaivers
from .workspace_check import WorkspaceCheck

log = logging.getLogger(__name__)

TESTS_CHANGED = "hotfixPolicy/testsChanged"
"""Sent after the policies were reloaded to a client that listed the policy tests (lsp.features.policy_tests)."""


class ServerState:
    def __init__(self, server):
        self.server = server
        self.engine = Workspace(None)
        self.encoding: str = types.PositionEncodingKind.Utf16
        self.pull = False                 # the client pulls diagnostics (textDocument/diagnostic)
        self.refresh = False              # ... and accepts workspace/diagnostic/refresh
        self.generation = 0
        self.documents: dict = {}         # unquoted uri -> Snapshot of the open document's text
        self.outcomes: dict = {}          # unquoted uri -> Outcome of the newest checked revision
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotfix-check")
        self.checks = Coalescer(self.judge, self._deliver, self.executor)
        self.requests = RequestRunner()
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._revisions = itertools.count(1)
        self._lines: dict = {}            # unquoted uri -> (revision, TextLines)
        self._file_events: dict = {}      # path -> deleted, not yet applied
        self._reload_pending = False
        self._files_busy = False
        self._refreshing = self._refresh_again = False
        self._links: Optional[RuleLinks] = None
        self._links_for = None
        self._configured = False
        self.configured = threading.Event()  # the configuration in force has loaded once (set by the worker)
        self._loop_thread: Optional[int] = None
        self.clock = ServerClock()
        self.lens_refresh = False         # the client accepts workspace/codeLens/refresh
        self.tests_listed = False         # the client asked for the policy tests (hotfixPolicy/tests)
        self.ticker = Ticker(self.clock, lambda: self.engine.config.clock, self._open_clock_reader, self._tick)
        self._clock_kinds = (None, frozenset())  # (policies, kinds whose findings read ctx.now)
        self.indexed = asyncio.Event()     # the workspace index is done (or failed: engine.ready says)
        self.status = StatusReporter(self)
        self.workspace_check = WorkspaceCheck(self)
        self.stale_waivers = StaleWaivers(self)  # WVR002 after a workspace check

    # -- lifecycle -------------------------------------------------------------------------
    def initialize(self, params: types.InitializeParams) -> None:
        """Remember the root, the negotiated position encoding and how diagnostics travel."""
        folders = params.workspace_folders or []
        root_uri = folders[0].uri if folders else params.root_uri
        if root_uri is None and params.root_path:
            root_uri = uris.from_fs_path(params.root_path)
        root = uris.to_fs_path(root_uri) if root_uri else None
        self.engine = Workspace(Path(root) if root and Path(root).is_dir() else None)
        show_absolute_paths()  # this process's working directory is the editor's choice, not the user's
        show_paths_from(self.engine.root)
        self.encoding = str(self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        self.loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        capabilities = params.capabilities
        self.pull = bool(capabilities.text_document and capabilities.text_document.diagnostic)
        workspace = capabilities.workspace
        self.refresh = bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)
        self.lens_refresh = bool(workspace and workspace.code_lens and workspace.code_lens.refresh_support)
        problem = self.clock.configure(params.initialization_options)
        if problem:
            self.log(problem, types.MessageType.Warning)

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
        finally:
            self.configured.set()
        for error in errors:
            self.log(f"configuration: {error}", types.MessageType.Warning)
        _settle_heap()
        return errors

    def _start_index(self) -> None:
        self.status.changed()

        def index() -> None:
            try:
                count = self.engine.index()
            except Exception:  # noqa: BLE001 - the server goes on; cross-document rules stay held back
                log.exception("indexing the workspace failed")
                count = None
            self.loop.call_soon_threadsafe(self._index_ready, count)

        threading.Thread(target=index, name="hotfix-index", daemon=True).start()

    def _index_ready(self, count: Optional[int]) -> None:
        self.clock.begin()
        self.indexed.set()
        if count is None:
            self.log("workspace index failed; rules that read other documents stay held back (see the server log)",
                     types.MessageType.Error)
            self.status.changed()
            return
        for path, problem in self.engine.index_problems:
            self.log(f"workspace index: {path} left out ({problem})", types.MessageType.Warning)
        self.log(f"workspace index ready: {count} documents", types.MessageType.Info)
        _settle_heap()
        self.changed()

    def shutdown(self) -> None:
        self.ticker.stop()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.requests.shutdown()

    # -- documents ---------------------------------------------------------------------------
    def track(self, uri: str) -> None:
        """The client opened or changed `uri` (pygls has applied it): a new revision, checked soon."""
        key = unquote(uri)
        document = self.server.workspace.text_documents.get(key)
        if document is None:
            return
        if key not in self.documents:
            self.workspace_check.opened(key)
            self.stale_waivers.opened(key)
        text = encodable(document.source)  # every answer and log line must encode as UTF-8
        self.documents[key] = Snapshot(document.uri, document.version if document.version is not None else 0,
                                       text, document.language_id or "",
                                       uris.to_fs_path(document.uri) or document.uri, self.generation,
                                       next(self._revisions), judged=None if text is document.source else document.source)
        self.check(uri)

    def snapshot(self, uri: Optional[str]) -> Optional[Snapshot]:
        """The open document's current text at the current generation, or None when it is not open."""
        current = self.documents.get(unquote(uri)) if uri else None
        return None if current is None else replace(current, generation=self.generation)

    def lines(self, snapshot: Snapshot) -> TextLines:
        """The snapshot's text indexed for position conversions (once per revision)."""
        key = unquote(snapshot.uri)
        known = self._lines.get(key)
        if known is not None and known[0] == snapshot.revision:
            return known[1]
        lines = TextLines(snapshot.text, self.encoding)
        self._lines[key] = (snapshot.revision, lines)
        if key not in self.documents:  # closed meanwhile (this may run on any thread)
            self._lines.pop(key, None)
        return lines

    def open_uris(self) -> list:
        return [document.uri for document in self.documents.values()]

    def check(self, uri: str) -> None:
        """Check the open document's current revision soon (coalesced)."""
        snapshot = self.snapshot(uri)
        if snapshot is not None:
            self.checks.submit(snapshot)

    async def outcome(self, uri: str) -> Optional[Outcome]:
        """The outcome for the document's current revision (checking it if not yet done)."""
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return None
        known = self.outcomes.get(unquote(uri))
        if known is not None and _same(known.snapshot, snapshot):
            return known
        return await self.checks.outcome_for(snapshot)

    def current_outcome(self, uri: str) -> Optional[Outcome]:
        """From a request thread: `outcome(uri)`, waiting at most the request's remaining time
        (None past it: the request goes on without findings)."""
        snapshot = self.snapshot(uri)
        known = self.outcomes.get(unquote(uri))
        if snapshot is None or (known is not None and _same(known.snapshot, snapshot)):
            return known if snapshot is not None else None
        future = asyncio.run_coroutine_threadsafe(self.outcome(uri), self.loop)
        try:
            return future.result(timeout=remaining())
        except concurrent.futures.TimeoutError:
            future.cancel()
            return None

    def closed(self, uri: str) -> None:
        key = unquote(uri)
        known = self.documents.pop(key, None)
        self._lines.pop(key, None)
        self.outcomes.pop(key, None)
        self.checks.forget(known.uri if known is not None else uri)
        if not self.pull:
            self.publish(uri, [], None)
        self.workspace_check.closed(key, known.uri if known is not None else uri)
        self.stale_waivers.closed(key)
        self.ticker.update(self.loop)

    def changed(self) -> None:
        """Something besides the documents changed their diagnostics: check every open one again."""
        self.generation += 1
        if self.pull and self.refresh:
            self._ask_refresh()
        for uri in self.open_uris():
            self.check(uri)
        self.status.changed()

    def _ask_refresh(self) -> None:
        """workspace/diagnostic/refresh, at most one in flight (a client that never answers holds one)."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing, self._refresh_again = True, False

        def answered(_) -> None:
            self._refreshing = False
            if self._refresh_again:
                self.loop.call_soon_threadsafe(self._ask_refresh)

        self.server.workspace_diagnostic_refresh(None, callback=None).add_done_callback(answered)

    def is_policy_file(self, uri: str) -> bool:
        """A YAML file the engine recognized as a policy, policy test or config (last check)."""
        outcome = self.outcomes.get(unquote(uri))
        if outcome is not None and outcome.file_kind in ("policy", "policy_test", "config", "unknown"):
            return True
        snapshot = self.snapshot(uri)
        path = snapshot.path if snapshot else (uris.to_fs_path(uri) or uri)
        return file_type(snapshot.language_id if snapshot else "", path) == "yaml" and \
            Path(path).name in (".policy.yaml", ".policy.yml")

    # -- file events, coalesced ---------------------------------------------------------------
    def reload_configuration(self) -> None:
        """A policy or config was saved: reload on the worker, then check open documents again."""
        self._reload_pending = True
        self._apply_file_events()

    def file_changed(self, path: str, deleted: bool) -> None:
        """A Markdown file changed on disk: re-read it on the worker, then check open documents again."""
        self._file_events[path] = deleted
        self._apply_file_events()

    def _apply_file_events(self) -> None:
        """On the loop: hand what is pending to the worker, unless a batch is already there (what
        arrives meanwhile waits for it, coalesced by path)."""
        if self._files_busy or not (self._file_events or self._reload_pending):
            return
        events, self._file_events = self._file_events, {}
        reload, self._reload_pending = self._reload_pending, False
        self._files_busy = True

        def apply() -> None:
            if reload:
                self._load_configuration()
            for path, deleted in events.items():
                self.engine.refresh_file(path, deleted)

        future = asyncio.wrap_future(self.executor.submit(apply))
        future.add_done_callback(lambda done: self._file_events_applied(done, reload))

    def _file_events_applied(self, future, reloaded: bool = False) -> None:
        self._files_busy = False
        if not future.cancelled() and future.exception() is not None:
            log.error("applying file changes failed", exc_info=future.exception())
        if reloaded and self.tests_listed:
            self.server.protocol.notify(TESTS_CHANGED, {})
        if reloaded:
            self.stale_waivers.cleared()
        self.changed()
        self._apply_file_events()

    # -- checking and publishing ----------------------------------------------------------
    def judge(self, snapshot: Snapshot) -> Outcome:
        """On the worker thread: one snapshot through the engine."""
        if not self._configured:
            self._load_configuration()
        lines = self.lines(snapshot)
        outcome = diagnose(self.engine, snapshot, lines, self.rule_links(), self.clock.now(self.engine.config.clock))
        if outcome.file_kind == "config":
            outcome.diagnostics += self.stale_waivers.diagnostics(snapshot, lines)
        return outcome

    def rule_links(self) -> RuleLinks:
        policies = self.engine.policies
        if self._links is None or self._links_for is not policies:
            self._links = RuleLinks(policies, self.encoding, uris.from_fs_path)
            self._links_for = policies
        return self._links

    def _deliver(self, snapshot: Snapshot, outcome: Optional[Outcome]) -> None:
        """On the loop: keep and publish the outcome if the document is still open at that revision."""
        key = unquote(snapshot.uri)
        current = self.documents.get(key)
        if current is None or current.revision != snapshot.revision:
            return  # closed, or a newer revision is pending and will be published
        if outcome is None:
            outcome = Outcome(snapshot, None)
            self.log(f"checking {snapshot.uri} failed; see the server log", types.MessageType.Error)
        self.outcomes[key] = outcome
        if not self.pull:
            self.publish(snapshot.uri, outcome.diagnostics, snapshot.version)
        self.ticker.update(self.loop)

    # -- the clock (lsp/clock.py) -------------------------------------------------------------
    def _open_clock_reader(self) -> bool:
        """Whether an open document's findings can change as time passes (its kind's rules read
        `ctx.now`), judged from its last check."""
        policies = self.engine.policies
        if self._clock_kinds[0] is not policies:
            self._clock_kinds = (policies, clock_kinds(policies))
        kinds = self._clock_kinds[1]
        return any(outcome.checked is not None and (outcome.checked.document.kind in kinds or WORKSPACE in kinds)
                   for outcome in self.outcomes.values())

    def _tick(self) -> None:
        """A clock minute passed: every open document's results are new (checked again, pulled
        again), and so are the record lenses' "in 12 min"."""
        self.changed()
        if self.lens_refresh:
            self.server.workspace_code_lens_refresh(None)

    def publish(self, uri: str, diagnostics: list, version: Optional[int]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    # -- messages ----------------------------------------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """window/logMessage from any thread (and the server's own log)."""
        log.info("%s", mask_text(message))
        params = types.LogMessageParams(type=kind, message=shown(message))
        try:
            if self.loop is not None and threading.get_ident() != self._loop_thread:
                self.loop.call_soon_threadsafe(self.server.window_log_message, params)
            else:
                self.server.window_log_message(params)
        except Exception:  # noqa: BLE001 - logging must never fail a request
            log.debug("could not send a log message", exc_info=True)


def _settle_heap() -> None:
    """Collect what a reload or the index left behind, then keep the policies and the index out
    of every later collection (`gc.freeze`). They are 100,000 objects and more; a full collection
    walking them during a check cost about 120 ms, one keystroke in thirty
    (benchmarks/README.md, language server section). A later reload thaws them first, so old
    policies are still collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _same(checked: Snapshot, current: Snapshot) -> bool:
    """Whether an outcome of `checked` answers for `current` (the same text, nothing changed since)."""
    return (checked.revision, checked.generation) == (current.revision, current.generation)
