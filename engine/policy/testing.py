"""Policy tests: cases of documents, context and expected rule ids, from a pack's `tests/*.yaml`
and from every rule's `docs.examples` (the same case shape), with rule coverage.

A case sets up what a run would see: documents, `ctx`, `now`, `data`, waivers, the git facts
of `repository` (a document named `tag:<name>` is that tag, its facts taken from there) and a
GitHub `event` (its pull request is a document, its branches, author and labels fill `ctx`).
A case in `tests/` compares every finding of each document (rule ids as a set, waived findings
left out, documents not listed must have none). A rule's example compares that rule's
findings only, so an example shows the rule, not the whole pack.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from ..documents import parse_document, schema_for
from ..documents.git import tag_from_facts
from ..documents.github import event_context, pull_request, read_event
from ..documents.model import Document
from ..files import read_bounded_text, walk
from ..limits import MAX_DOCUMENT_BYTES
from ..span import Span
from .check import judge
from .config import Config, default_data, parse_time
from .environment import context_without_pull_request
from .file_errors import structure_errors
from .model import PolicySet
from .structure import check_structure, detect_file_kind

DEFAULT_NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
EVENT_PATH = "event.json"
"""The path of the pull request a case's `event` gives (its id, `pr:<number>`, works in `expect` too)."""
TAG_PREFIX = "tag:"


@dataclass
class CaseResult:
    name: str
    where: str                      # "file:line" of the case
    expected: dict
    actual: dict
    error: str = ""
    coverage: Optional["Coverage"] = None  # the outcomes its rules had (None: the case could not run)
    failures: list = field(default_factory=list)  # EVAL001 messages: why a rule could not be evaluated
    findings: list = field(default_factory=list)  # the findings compared (under their expect key), in order

    @property
    def passed(self) -> bool:
        return not self.error and self.expected == self.actual

    def describe_failure(self) -> str:
        """What a failed case expected and got, per document: `missing X; unexpected Y`."""
        lines = [f"FAIL {self.where}: {self.name}"]
        if self.error:
            lines.append(f"    error: {self.error}")
            return "\n".join(lines)
        for key, expected, actual, detail in self.differences():
            lines.append(f"    {key}: expected {expected}, got {actual} ({detail})")
        lines += [f"    EVAL001 {failure}" for failure in self.failures]
        return "\n".join(lines)

    def differences(self) -> list:
        """(document, expected ids, actual ids, `missing X; unexpected Y`) for each document that differs."""
        found = []
        for key in sorted(set(self.expected) | set(self.actual)):
            expected, actual = self.expected.get(key, []), self.actual.get(key, [])
            if expected != actual:
                missing = sorted(set(expected) - set(actual))
                extra = sorted(set(actual) - set(expected))
                detail = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                                     f"unexpected {', '.join(extra)}" if extra else "") if part)
                found.append((key, expected, actual, detail))
        return found


@dataclass
class Coverage:
    fired: set = field(default_factory=set)
    passed: set = field(default_factory=set)

    def observe(self, rule_id: str, outcome: str) -> None:
        (self.fired if outcome == "failed" else self.passed if outcome == "passed" else set()).add(rule_id)

    def covered(self, rule_id: str) -> bool:
        return rule_id in self.fired and rule_id in self.passed

    def merge(self, other: "Coverage", only_rule: Optional[str] = None) -> None:
        keep = (lambda ids: ids & {only_rule}) if only_rule else (lambda ids: ids)
        self.fired |= keep(other.fired)
        self.passed |= keep(other.passed)


@dataclass(frozen=True)
class PlannedCase:
    """One case to run, named the way a reader finds it: `PR001[branch without a version]` for a
    rule's example, `incident.yaml[clean lifecycle]` for a case of a tests/ file."""

    label: str
    where: str                      # "file:line" of the case
    case: dict
    base: Path                      # the folder its `file:` documents are read from
    only_rule: Optional[str] = None  # an example compares its rule's findings only
    path: str = ""                  # the file it is written in (a test file, or the rule's policy)
    span: Optional[Span] = None     # its entry in that file
    number: int = 1                 # its place among its file's cases, or its rule's examples

    def run(self, policies: PolicySet) -> CaseResult:
        return run_case(self.case, policies, self.base, self.where, self.only_rule)


def suite_cases(folders: list, errors: list) -> list:
    """The cases of the policy test files under the folders; structural problems appended to errors."""
    planned = []
    for folder in folders:
        for file in test_files(folder):
            loaded, cases = load_test_file(file, errors)
            for index, case in enumerate(cases):
                span = loaded.span_of(("cases", index))
                planned.append(PlannedCase(f"{file.name}[{case.get('name', index + 1)}]", f"{file}:{span.line}",
                                           case, file.parent, path=str(file), span=span, number=index + 1))
    return planned


def example_cases(policies: PolicySet) -> list:
    """Every rule's `docs.examples`, each compared on its rule's findings only."""
    planned = []
    for policy in policies.policies:
        for rule in policy.rules:
            for number, example in enumerate(rule.docs.get("examples") or []):
                span = rule.examples_at[number] if number < len(rule.examples_at) else rule.span
                planned.append(PlannedCase(f"{rule.id}[{example.get('name', number + 1)}]",
                                           f"{policy.path}:{rule.span.line} {rule.id} example {number + 1}",
                                           example, Path(policy.path).parent, only_rule=rule.id,
                                           path=policy.path, span=span, number=number + 1))
    return planned


def run_case(case: dict, policies: PolicySet, base: Path, where: str,
             only_rule: Optional[str] = None) -> CaseResult:
    """Run one case; `only_rule` limits the comparison to that rule (a docs example)."""
    coverage = Coverage()
    expected = {str(path): sorted(set(ids)) for path, ids in (case.get("expect") or {}).items()}
    try:
        repository = case.get("repository")
        documents = [_document(path, source, base, repository or {})
                     for path, source in (case.get("documents") or {}).items()]
        if repository is not None:
            documents.append(_repository(repository))
        event = _event(case.get("event"))
        if event is not None:
            documents.append(pull_request(event, path=EVENT_PATH))
        now = parse_time(case.get("now")) if case.get("now") else DEFAULT_NOW
        data = default_data()
        data.update(policies.data)
        data.update(copy.deepcopy(case.get("data") or {}))
        run_policies = PolicySet(policies.policies, data)
        config = Config(path=".policy.yaml", data=data, waivers=list(case.get("waivers") or []))
        findings = judge(documents, _context(case.get("ctx") or {}, now, event), now, config, run_policies,
                         observe=coverage.observe)
    except Exception as error:  # noqa: BLE001 - a broken case is a failed case, with the reason
        return CaseResult(case.get("name", "?"), where, expected, {}, error=f"{type(error).__name__}: {error}")
    actual: dict = {}
    failures, compared = [], []
    for finding in findings:
        if finding.rule == "EVAL001" and (only_rule is None or finding.message.startswith(f"rule {only_rule} ")):
            failures.append(f"{finding.path}: {finding.message}")
        if finding.waived or (only_rule is not None and finding.rule != only_rule):
            continue
        key = _key_for(finding, documents, expected)
        actual.setdefault(key, set()).add(finding.rule)
        compared.append(replace(finding, path=key))
    actual = {key: sorted(ids) for key, ids in actual.items()}
    for key in expected:
        actual.setdefault(key, [])
    asserted = Coverage()
    asserted.merge(coverage, only_rule)
    return CaseResult(case.get("name", "?"), where, expected, actual, coverage=asserted, failures=failures,
                      findings=compared)


def _key_for(finding, documents: list, expected: dict) -> str:
    """Findings are reported under the expect key that names their document (path or id)."""
    for candidate in (finding.path, finding.document):
        if candidate in expected:
            return candidate
    return finding.path


def _document(path: str, source, base: Path, repository: dict) -> Document:
    """A case's document; one named `tag:<name>` is that tag, with git facts from `repository`."""
    kind = None
    if isinstance(source, dict):
        kind = source.get("kind")
        text = source["text"] if "text" in source else read_bounded_text(base / source["file"], MAX_DOCUMENT_BYTES)
    else:
        text = str(source)
    path = str(path)
    if path.startswith(TAG_PREFIX) and kind in (None, "tag"):
        return tag_from_facts(path[len(TAG_PREFIX):], text, repository)
    return parse_document(text, path=path, kind=kind)


def _event(raw: Optional[dict]) -> Optional[dict]:
    """The case's GitHub event as the JSON GitHub sends (YAML times written back as strings),
    checked as `--github-event` checks it."""
    if raw is None:
        return None
    return read_event(_as_json(copy.deepcopy(raw))).data


def _as_json(value):
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _context(raw: dict, now: datetime, event: Optional[dict] = None) -> dict:
    ctx = context_without_pull_request(now)
    if event is not None:
        ctx.update(event_context(event))
    for key, value in raw.items():
        if value is None:
            continue  # approvals/changed_files: null means unknown, as when not given
        ctx[key] = value
    if "approvals" in ctx:
        ctx["approvals"] = [{**a, "login": str(a.get("login", "")).lower(),
                             **({"at": parse_time(a["at"])} if a.get("at") else {})} for a in ctx["approvals"]]
    return ctx


def _repository(raw: dict) -> Document:
    data = _typed(copy.deepcopy(raw), schema_for("repository"))
    data.setdefault("secrets", [])
    return Document(kind="repository", id="repository", path="repository", text="", data=data)


def _typed(value, schema: dict, definitions: Optional[dict] = None):
    """Test data written as YAML strings, given the schema's runtime types (times as datetimes)."""
    definitions = definitions if definitions is not None else schema.get("$defs", {})
    if "$ref" in schema:
        schema = definitions.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if isinstance(value, str) and schema.get("format") == "date-time":
        return parse_time(value) or value
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {k: _typed(v, properties.get(k, {}), definitions) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_typed(v, items if isinstance(items, dict) else {}, definitions) for v in value]
    return value


def test_files(folder: Path) -> list:
    """The policy test files under a pack's folder (`tests/*.yaml`)."""
    return sorted(Path(p) for p in walk(folder) if Path(p).suffix in (".yaml", ".yml")
                  and "tests" in Path(p).relative_to(folder).parts[:-1])


def load_test_file(path: Path, errors: list):
    """(loaded file, cases) of a PolicyTest file; structural problems appended to errors."""
    from .loader import read_yaml

    loaded = read_yaml(path, errors)
    if loaded is None:
        return None, []
    if detect_file_kind(loaded) != "policy_test":
        return None, []
    problems = check_structure(loaded, "policy_test")
    if problems:
        errors.extend(structure_errors(problems))
        return None, []
    return loaded, list(loaded.data.get("cases") or [])
