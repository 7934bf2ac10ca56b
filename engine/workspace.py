"""An editor's workspace as the engine sees it: configuration, policies and an index of every
document, kept current as files change, so one open document can be checked in context.

The language server holds one `Workspace`; it is the only engine object the server needs for
validation. Indexing can run in a background thread: until it is done, rules that read other
documents (`docs`) are held back rather than reporting a false "no such incident".

The index keeps the `docs` binding of the documents on disk (`policy.docs_index`) and replaces one
document's entry when a file changes; a check of an open document replaces that document's entry
with its text, copying only what that changes. The workspace policies (`appliesTo: workspace`)
judge the documents as saved: they run once per index generation (a file saved or changed on
disk, the index becoming ready, a configuration reload) and when the clock passes a moment
their findings depend on (`Evaluator.valid_until`: a deadline ahead, never a passed one); every check takes the findings about its document from that run, placed at
the title of the text being checked. Typing in one record therefore costs what typing in it alone
costs, and a saved file gets what `policy check` of the same files gives
(benchmarks/README.md, language server section, says why this waits for a save).

The workspace reads files nobody named: whatever lies in the folder. It reads regular files only
(`files.read_regular_file`: opening a FIFO blocks until a writer comes, a device never ends), walks
the folders without recursion (a tree deeper than Python's recursion limit is a tree like any
other), and a file it cannot open or that is over the size limit is left out of the index
(`index_problems` says which), never the end of the index; one it opens but cannot decode (not
UTF-8, binary) is in it, DOC003 as in `policy check`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .files import leads_outside, read_regular_file
from .findings import Severity
from .kinds import WORKSPACE
from .limits import MAX_DOCUMENT_BYTES
from .policy.check import apply_overrides, capped, load_run_policies
from .policy.config import Config, default_data, find_config, load_config
from .policy.docs_index import DocsIndex
from .policy.environment import context_without_pull_request
from .policy.evaluate import Evaluator
from .policy.rule_reads import reads_binding
from .policy.template_text import settled
from .policy.inputs import document_authors
from .policy.model import PolicyError, PolicySet
from .policy.waivers import apply_waivers


@dataclass
class CheckedDocument:
    document: object      # engine.documents.Document
    findings: list        # this document's findings only
    held_back: tuple = () # ids of cross-document rules not run (index not ready)


class Workspace:
    def __init__(self, root: Optional[Path]):
        self.root = root.resolve() if root else None
        self.config = Config(data=default_data())
        self.policies = PolicySet((), self.config.data)
        self.policy_errors: list = []
        self._documents: dict = {}  # resolved path -> Document (files on disk)
        self._docs: Optional[DocsIndex] = None  # their `docs`, once the index is ready
        self.generation = 0  # counts changes of the index and of the policies
        self._workspace_run: Optional[_WorkspaceRun] = None
        self.documents_read = 0  # files extracted (a test's counter: no document is read again per edit)
        self.index_problems: list = []  # (path, problem) of files left out of the index
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._cross: frozenset = frozenset()

    # -- configuration and policies ------------------------------------------------------------
    def reload_configuration(self) -> list:
        """Load the config and policies; on mistakes keep the last good policies, return the errors."""
        try:
            path = find_config(self.root) if self.root else None
            config = load_config(path)
        except PolicyError as error:
            self.policy_errors = error.errors
            return self.policy_errors
        errors: list = []
        policies = load_run_policies(config, errors_out=errors)  # a broken policy leaves the others working
        self.config, self.policies, self.policy_errors = config, policies, errors
        self.generation += 1
        self._cross = frozenset(rule.id for policy in policies.policies for rule in policy.rules
                                if policy.applies_to == WORKSPACE or reads_binding(policy, rule, "docs"))
        return errors

    # -- the document index ----------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def index(self) -> int:
        """Read every document under the root (run it in a background thread); returns the count.
        The files are those `policy check` on the root reads (`documents.discovery`)."""
        count = 0
        for path in self._document_files():
            document = self._read(path)
            if _judged(document):
                with self._lock:
                    self._documents[str(path)] = document
                count += 1
        with self._lock:
            keys = sorted(self._documents, key=_order)
            self._docs = DocsIndex.of([self._documents[key] for key in keys], [_order(key) for key in keys])
            self.generation += 1
        self._ready.set()
        return count

    def refresh_file(self, path: str, deleted: bool = False) -> None:
        """A file changed on disk, or was deleted: read it again (or drop it) from the index; a
        file the index would not find (excluded, in a folder not walked) is dropped."""
        key = str(Path(path).resolve())
        found = self.root is not None and self._globs().finds(path, self.root)
        document = self._read(Path(key)) if found and not deleted else None
        if not _judged(document):
            document = None
        with self._lock:
            if document is not None:
                self._documents[key] = document
            elif self._documents.pop(key, None) is None:
                return  # it was not in the index and is not now: nothing changed
            if self._docs is not None:
                self._docs = self._docs.replaced(_order(key), document)
            self.generation += 1

    def _read(self, path: Path):
        """The document at path, or None when it cannot be read (not a regular file, too large,
        gone) or its reading fails: one file never stops the index."""
        from .documents import parse_document

        if self.root is not None and leads_outside(path, self.root):
            self.index_problems.append((str(path), "a link to a file outside the workspace: not read"))
            return None
        try:
            self.documents_read += 1
            return parse_document(read_regular_file(path, MAX_DOCUMENT_BYTES), path=str(path), config_globs=self._globs())
        except (OSError, ValueError) as error:  # not a regular file, unreadable, over the limit
            self.index_problems.append((str(path), str(error)))
        except Exception as error:  # noqa: BLE001 - an engine bug on one file: recorded, not fatal
            self.index_problems.append((str(path), f"{type(error).__name__}: {error}"))
        del self.index_problems[:-100]  # the last hundred are enough to say what happened
        return None

    def documents(self) -> list:
        with self._lock:
            return list(self._documents.values())

    def excluded_by(self, path: str) -> Optional[str]:
        """The configuration's `exclude` glob that leaves the file at `path` out, else None."""
        return self._globs().excluded_by(path)

    # -- checking --------------------------------------------------------------------------------
    def check_text(self, path: str, text: str | bytes, now: Optional[datetime] = None, ctx: Optional[dict] = None) -> CheckedDocument:
        """The findings of one document (open in the editor, maybe unsaved) in its workspace; none
        for a file the configuration excludes, as `policy check` does not judge it. Bytes (a file
        as saved) are decoded as `policy check` decodes them: not UTF-8 is DOC003 at its place."""
        from .documents import parse_document

        document = parse_document(text, path=path, config_globs=self._globs())
        if self.excluded_by(path):
            return CheckedDocument(document, [])
        if document.kind is None:  # not a document (a README): only why it fails closed is news
            closed = [f for f in document.findings
                      if f.rule == "DOC003" or (f.rule == "DOC001" and f.severity is Severity.ERROR)]
            return CheckedDocument(document, apply_overrides(closed, self.config.rules))
        key = str(Path(path).resolve())
        moment = now or self.config.clock or datetime.now(timezone.utc)
        context = dict(ctx) if ctx else context_without_pull_request(moment)
        context.setdefault("now", moment)
        with self._lock:
            index, generation = self._docs, self.generation
            waiting = None if index is not None else dict(self._documents)
        held = () if index is not None else tuple(sorted(self._cross))
        disabled = frozenset(r for r, level in self.config.rules.items() if level == "off") | frozenset(held)
        if index is None:  # still indexing: the documents read so far, in a binding made for this check
            keys = sorted(waiting, key=_order)
            index = DocsIndex.of([waiting[k] for k in keys], [_order(k) for k in keys])
            about = []
        else:
            about = self._workspace_findings(index, generation, disabled, moment, context if ctx else None, key, document)
        docs = index.replaced(_order(key), document).binding
        own = Evaluator(self.policies, disabled).run([document], context, only=[document], docs=docs, workspace=False)
        findings = settled(list(document.findings), [f for f in own if f.path == path] + about)
        findings = apply_overrides(findings, self.config.rules)
        findings = capped([f for f in apply_waivers(findings, self.config, moment, document_authors([document]))
                           if f.path == path])
        return CheckedDocument(document, findings, held)

    def _workspace_findings(self, index: DocsIndex, generation: int, disabled: frozenset, moment: datetime,
                            ctx: Optional[dict], key: str, document) -> list:
        """The workspace policies' findings about the document at `key`, from their run over the
        index as saved (run again when the index, the policies or the rules turned off changed, or
        the clock left the time their findings hold for), placed at `document`'s title: such a
        finding is about a whole document and always sits at its title."""
        if not any(policy.applies_to == WORKSPACE for policy in self.policies.policies):
            return []
        judged = (generation, id(self.policies), disabled)
        known = self._workspace_run
        if ctx is not None or known is None or known.judged != judged or known.policies is not self.policies \
                or not known.holds_at(moment):
            documents = index.documents()
            context = ctx or context_without_pull_request(moment)
            context.setdefault("now", moment)
            evaluator = Evaluator(self.policies, disabled)
            by_path: dict = {}
            for finding in evaluator.workspace_findings(documents, context, index.binding):
                by_path.setdefault(finding.path, []).append(finding)
            known = _WorkspaceRun(judged, self.policies, by_path, moment, evaluator.valid_until)
            if ctx is None:
                self._workspace_run = known
        where = document.title
        name = document.id or document.path
        return [replace(f, path=document.path, span=where, document=name, kind=document.kind)
                for f in known.by_path.get(key, [])]

    def check_file_text(self, path: str, text: str):
        """Mistakes in a policy, policy test or `.policy.yaml` open in the editor (maybe unsaved):
        a `validation.FileProblems`, kind None for YAML that is none of ours."""
        from .policy.validation import validate_text

        return validate_text(text, path, self.config.data)

    # -- internals -------------------------------------------------------------------------------
    def _globs(self):
        return self.config.document_globs()

    def _document_files(self):
        """The files under the root that may be documents, in path order, less those excluded
        (`DocumentGlobs.files`: hidden and tool folders only where a glob names them; links to
        folders are not followed; no recursion, one open folder at a time)."""
        if self.root is None:
            return
        for name, excluded in self._globs().files(str(self.root)):
            if excluded is None:
                yield Path(name)


@dataclass(frozen=True)
class _WorkspaceRun:
    """One run of the workspace policies: what it judged, its findings by path, and the times
    they hold for (from `since` until before `until`; None: for ever after)."""

    judged: tuple
    policies: object
    by_path: dict
    since: datetime
    until: Optional[datetime]

    def holds_at(self, moment: datetime) -> bool:
        return moment == self.since or (self.since <= moment and (self.until is None or moment < self.until))


def _judged(document) -> bool:
    """Whether a file the walk found is one `policy check` judges: a document of a kind, or one
    that fails closed (unreadable, a misspelt front-matter kind), not a README."""
    return document is not None and (document.kind is not None or document.fails_closed())


def _order(key: str) -> tuple:
    """A document's place in the index: the order the folder walk (and so `policy check`) reads
    files in, names compared folder by folder."""
    return Path(key).parts


