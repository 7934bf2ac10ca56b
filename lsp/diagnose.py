"""One open document -> its diagnostics: which file is what, one engine call, conversion.

Markdown (languageId `markdown`, or a `.md`/`.markdown` file) is checked in its workspace
(`Workspace.check_text`: schema validation, every policy, waivers, overrides); the findings of
CI-only rules, and any of a file with nothing written yet, are left out (`engine.editor.problems`). YAML is told apart by content
(`Workspace.check_file_text`): a policy gets its structure and rule-language errors at exact
columns, a policy test its structure, `.policy.yaml` its configuration errors (unknown rule
ids in `rules` are errors, in `waivers` warnings; an invalid waiver is WVR003, an error at the
waiver's key at fault, as `policy check` reports it), each with its code and "did you mean"
suggestion. Other YAML and other files get no diagnostics. Nothing here judges anything: the
engine does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

from lsprotocol import types

from ..engine.documents.secrets import secret_values
from ..engine.editor.problems import file_problems, shown_findings
from ..engine.files import read_regular_file
from ..engine.limits import MAX_DOCUMENT_BYTES
from ..engine.policy.help_links import rule_help_url
from .convert import TextLines, finding_diagnostic, problem_diagnostic

MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Snapshot:
    """One version of an open document, taken on the event loop when it changed."""

    uri: str
    version: int
    text: str
    language_id: str
    path: str            # file system path, or the URI for unsaved (`untitled:`) buffers
    generation: int = 0  # the server's results generation (configuration, index) at the time
    revision: int = 0    # the server's count of the client's changes: a new text, a new revision
    judged: str | bytes | None = None  # what the engine judges when it is not `text`: the file's
        # bytes from disk (Check workspace, read as `policy check` reads them), or the client's text
        # with lone surrogates (DOC003); `text` is then their decoding, which every UTF-8 output takes


@dataclass
class Outcome:
    """The diagnostics of one snapshot and what the engine said, for other features to reuse."""

    snapshot: Snapshot
    file_kind: Optional[str]                 # markdown | policy | policy_test | config | unknown | None
    diagnostics: list = field(default_factory=list)
    checked: object = None                   # engine.workspace.CheckedDocument (Markdown)
    problems: list = field(default_factory=list)  # engine.editor.problems.FileProblem (YAML), as shown
    now: object = None                       # the clock's time the document was judged at


def file_type(language_id: str, path: str) -> Optional[str]:
    """`markdown`, `yaml` or None, from the languageId and else the file name."""
    if language_id in ("yaml", "markdown"):
        return language_id
    suffix = PurePath(path).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return None


def diagnose(workspace, snapshot: Snapshot, lines: TextLines, rule_links, now=None) -> Outcome:
    """Check one snapshot with the engine workspace; `lines` is its text indexed for positions,
    `rule_links` links rule ids to their docs, `now` is the server's clock (`lsp/clock.py`)."""
    kind = file_type(snapshot.language_id, snapshot.path)
    if kind == "markdown":
        content = snapshot.text if snapshot.judged is None else snapshot.judged
        checked = workspace.check_text(snapshot.path, content, now=now)
        diagnostics = [finding_diagnostic(f, lines, rule_links)
                       for f in shown_findings(checked.findings, workspace.policies.rules(), snapshot.text)]
        return Outcome(snapshot, "markdown" if checked.document.kind else None, diagnostics, checked=checked,
                       now=now)
    if kind == "yaml":
        found = workspace.check_file_text(snapshot.path, snapshot.text)
        problems = file_problems(found, snapshot.path)
        quoted = secret_values(snapshot.text) if problems else ()
        diagnostics = [problem_diagnostic(p, lines, quoted) for p in problems]
        return Outcome(snapshot, found.kind, diagnostics, problems=problems)
    return Outcome(snapshot, None)


class RuleLinks:
    """Rule id -> (href, Location, summary): its documentation page (a built-in rule; else its
    place in its policy file) and its definition in its policy YAML file (an engine finding:
    its page only, Location None).

    Built once per loaded policy set; each policy file is read once to convert the rule's
    place to the client's position encoding.
    """

    def __init__(self, policies, encoding: str, uri_of):
        self._rules = policies.rules()
        self._encoding = encoding
        self._uri_of = uri_of
        self._files: dict = {}
        self._links: dict = {}

    def __call__(self, rule_id: str):
        if rule_id in self._links:
            return self._links[rule_id]
        found = self._rules.get(rule_id)
        link = None
        if found is None and rule_help_url(rule_id):  # an engine finding: its reference, no policy file
            link = (rule_help_url(rule_id), None, "")
        if found is not None:
            policy, rule = found
            path = Path(policy.path).resolve()
            lines = self._lines(path)
            uri = self._uri_of(str(path))
            if lines is not None and uri:
                where = lines.range(rule.span)
                href = rule_help_url(rule_id, policy) or f"{uri}#L{rule.span.line}"
                link = (href, types.Location(uri=uri, range=where), _one_line(rule.summary))
        self._links[rule_id] = link
        return link

    def _lines(self, path: Path) -> Optional[TextLines]:
        key = str(path)
        if key not in self._files:
            try:
                self._files[key] = TextLines(read_regular_file(path, MAX_DOCUMENT_BYTES).decode("utf-8"), self._encoding)
            except (OSError, ValueError):  # unreadable, not a regular file, not UTF-8, over the limit
                self._files[key] = None
        return self._files[key]


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 200 else text[:197] + "..."
