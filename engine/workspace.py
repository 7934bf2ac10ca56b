"""An editor's workspace as the engine sees it: configuration, policies and an index of every
document, kept current as files change, so one open document can be checked in context.

The language server holds one `Workspace`; it is the only engine object the server needs for
validation. Indexing can run in a background thread: until it is done, rules that read other
documents (`docs`) are held back rather than reporting a false "no such incident".

The workspace reads files nobody named: whatever lies in the folder. It reads regular files only
(`files.read_regular_file`: opening a FIFO blocks until a writer comes, a device never ends), walks
the folders without recursion (a tree deeper than Python's recursion limit is a tree like any
other), and a file it cannot read or parse is left out of the index (`index_problems` says
which), never the end of the index.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .cel.ast import Ident, walk as walk_tree
from .files import leads_outside, read_regular_file
from .kinds import WORKSPACE
from .limits import MAX_DOCUMENT_BYTES
from .policy.check import apply_overrides, capped, load_run_policies
from .policy.config import Config, default_data, find_config, load_config
from .policy.environment import context_without_pull_request
from .policy.evaluate import Evaluator
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
        self._cross = frozenset(rule.id for policy in policies.policies for rule in policy.rules
                                if _reads_docs(policy, rule))
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
            if document is not None and document.kind is not None:
                with self._lock:
                    self._documents[str(path)] = document
                count += 1
        self._ready.set()
        return count

    def refresh_file(self, path: str, deleted: bool = False) -> None:
        """A file changed on disk, or was deleted: read it again (or drop it) from the index; a
        file the index would not find (excluded, in a folder not walked) is dropped."""
        key = str(Path(path).resolve())
        found = self.root is not None and self._globs().finds(path, self.root)
        document = self._read(Path(key)) if found and not deleted else None
        with self._lock:
            if document is not None and document.kind is not None:
                self._documents[key] = document
            else:
                self._documents.pop(key, None)

    def _read(self, path: Path):
        """The document at path, or None when it cannot be read (not a regular file, too large,
        gone) or its reading fails: one file never stops the index."""
        from .documents import parse_document

        if self.root is not None and leads_outside(path, self.root):
            self.index_problems.append((str(path), "a link to a file outside the workspace: not read"))
            return None
        try:
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
    def check_text(self, path: str, text: str, now: Optional[datetime] = None, ctx: Optional[dict] = None) -> CheckedDocument:
        """The findings of one document (open in the editor, maybe unsaved) in its workspace; none
        for a file the configuration excludes, as `policy check` does not judge it."""
        from .documents import parse_document

        document = parse_document(text, path=path, config_globs=self._globs())
        if self.excluded_by(path):
            return CheckedDocument(document, [])
        if document.kind is None:  # not a document (a README): only "cannot be read" is news
            unreadable = [f for f in document.findings if f.rule == "DOC003"]
            return CheckedDocument(document, apply_overrides(unreadable, self.config.rules))
        key = str(Path(path).resolve())
        others = [d for p, d in self._snapshot().items() if p != key]
        moment = now or self.config.clock or datetime.now(timezone.utc)
        context = dict(ctx) if ctx else context_without_pull_request(moment)
        context.setdefault("now", moment)
        held = () if self.ready else tuple(sorted(self._cross))
        disabled = frozenset(r for r, level in self.config.rules.items() if level == "off") | frozenset(held)
        findings = settled(list(document.findings),
                           [f for f in Evaluator(self.policies, disabled).run([document] + others, context,
                                                                              only=[document]) if f.path == path])
        findings = apply_overrides(findings, self.config.rules)
        findings = capped([f for f in apply_waivers(findings, self.config, moment, document_authors([document]))
                           if f.path == path])
        return CheckedDocument(document, findings, held)

    def check_file_text(self, path: str, text: str):
        """Mistakes in a policy, policy test or `.policy.yaml` open in the editor (maybe unsaved):
        a `validation.FileProblems`, kind None for YAML that is none of ours."""
        from .policy.validation import validate_text

        return validate_text(text, path, self.config.data)

    # -- internals -------------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        with self._lock:
            return dict(self._documents)

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


def _reads_docs(policy, rule) -> bool:
    """Whether a rule (with its policy's match and variables) reads other documents."""
    expressions = [rule.expression, rule.for_each, rule.target, rule.message_expression, policy.match]
    expressions += [v.expression for v in policy.variables]
    for expression in expressions:
        if expression is None:
            continue
        if any(isinstance(node, Ident) and node.name == "docs" for node in walk_tree(expression.program.ast)):
            return True
    return policy.applies_to == WORKSPACE
