"""The run cache ("verdict replay"): a `policy check` run's whole outcome, printed again by a
later run while nothing it depends on has changed.

A warm run of a repository's history spent most of its time reading its documents back from the
extraction cache and judging them again, to find what the previous run found (benchmarks/README.md,
Scale). Findings are a function of the run's inputs and the clock, so when the inputs are the
same and the clock is within the findings' validity, the run cache replays the outcome
(outcome.py: what the report and the stderr notes need) after reading and hashing the files,
without decoding a document. An entry's key is a digest of everything the outcome depends on
except the clock:

- the code: the package version, every file of the engine, its schemas and bundled policies, the
  extractor's digest (Python's and the Markdown parsers' versions);
- the configuration's path and text, each loaded policy file's path and bytes, the effective `data`;
- the run's inputs: paths, `--kind`, `--follow-outside-links`, `--policy-from`, `--branch`,
  `--base`, `--commits`, `--tags`, the bytes of the event, reviews and changed-files files, the
  GitHub Actions variables a run reads (`inputs.ENVIRONMENT`);
- where it runs: the working directory, the run's root, the checkout's root, the clock's zone;
- every candidate file, named, found or read as context: its path as shown, where links lead,
  how it was found, and its bytes' SHA-256 (a run stores nothing when a file was written while
  it ran: its documents may hold bytes the key did not read);
- the documents no file holds (the event's PR body, commits, tags, the repository's git facts)
  and `ctx` but `ctx.now`, as the run computes them, hashed canonically.

The clock: an entry keeps its run's `now` and until when its findings hold (`check.Judgement`:
the rules', from `Evaluator.valid_until`, and the waivers'); it replays at a time t only when
now <= t < valid_until, or t == now (a pinned clock). Which files the checkout changes (asked of
git only when stored PR bodies are judged, pull_request_scope.py) is kept in the entry and asked
again before it replays. Past its time, the entry still holds the rules' verdict on each document
and until when each holds (policy/verdicts.py): the run reads its documents and judges again
only those whose verdict has run out (and the workspace policies, if theirs has), then stores
the run anew.

Not used: in a run judged by the base commit's configuration (keying it would mean the base's
files too), when a document comes from stdin, by `--explain` and the editor (they need the
documents). Entries live in the `runs` folder beside the other two caches, under the same rules
(cache_folder.py: `HOTFIX_POLICY_NO_CACHE`, only this user's own entries are read). An entry is
JSON, never pickle, named by its key and naming it inside (checked on load), bounded
(`MAX_RUN_CACHE_ENTRY_BYTES`; the folder keeps `MAX_RUN_CACHE_ENTRIES`); it holds the masked
text of the documents a finding names, as the report prints them. Anything wrong with an entry
is a miss: the run goes on as if there were no cache.

An entry is lines of compact JSON: the header (key, times, how many verdicts), the outcome, the
workspace's verdict, then one line per document's verdict. A replay decodes the outcome alone,
a run past the entry's time the verdicts alone (the outcome, with the text of every document a
finding names, is most of an entry), and a verdict that still holds is written back as the
line it was read from.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple, Optional

from .. import __version__
from ..cache_folder import cache_folder, opened, read_entry, touch, write_entry
from ..documents.blocks import PARSER_PACKAGES
from ..documents.discovery import Excluded
from ..files import FileTooLarge, read_regular_file
from ..findings import Finding, Severity
from ..limits import (MAX_DOCUMENT_BYTES, MAX_JSON_BYTES, MAX_RUN_CACHE_ENTRIES, MAX_RUN_CACHE_ENTRY_BYTES,
                      MAX_YAML_BYTES)
from ..report.model import DocumentInfo, Place
from ..resources import resource_dir
from ..span import Span
from ..policy.check import Gathered, gather, run_check
from ..policy.config import Config
from ..policy.document_files import Discovered
from ..policy.inputs import ENVIRONMENT, RunInputs, event_path, run_root
from ..policy.model import PolicySet
from ..policy.verdicts import Verdict, Verdicts, holds
from .outcome import RunOutcome, outcome_of
from ..policy.pull_request_scope import the_change

_FORMAT = 3
_SUFFIX = ".json"


def checked(inputs: RunInputs, config: Config, policies: PolicySet, progress=None) -> RunOutcome:
    """The run's outcome: replayed when the run cache holds it for exactly these inputs at this
    time, else judged (and stored for the next run)."""
    cache = _run_cache(inputs, config)
    if cache is None:
        return outcome_of(run_check(inputs, config, policies, progress), inputs)
    gathered = gather(inputs, config)
    key = cache.key(inputs, config, policies, gathered)
    found = cache.get(key, gathered, config) if key is not None else Found(None, None)
    if found.outcome is not None:
        return found.outcome
    result = run_check(inputs, config, policies, progress, gathered, earlier=found.earlier)
    outcome = outcome_of(result, inputs)
    if key is not None and cache.files_unchanged():
        cache.put(key, outcome, gathered.now, result.valid_until, result.change_asked, result.verdicts)
    return outcome


class Found(NamedTuple):
    """What the run cache holds for a run: its outcome when that holds now, else the verdicts on
    its documents (some may still hold), else nothing."""
    outcome: Optional[RunOutcome]
    earlier: Optional[Verdicts]


class RunCache:
    """The run cache's folder (already checked to be this user's alone)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._read_as: dict = {}  # path -> the file's state when the key read it (`_file_state`)
        self._read_lines: dict = {}  # id of a verdict `get` read -> (the verdict, its line)

    def key(self, inputs: RunInputs, config: Config, policies: PolicySet, gathered: Gathered) -> Optional[str]:
        """The digest of everything the run's outcome depends on but the clock (see the module);
        None when some input cannot be keyed (a file that cannot be read in full, a value of
        no known type): the run is judged and not stored."""
        from ..report.placement import checkout_root

        digest = hashlib.sha256(code_digest().encode("ascii"))

        def add(*parts) -> None:
            digest.update(repr(parts).encode("utf-8") + b"\0")

        try:
            add("config", str(config.path), config.loaded.text if config.loaded is not None else None)
            for policy in policies.policies:
                add("policy", policy.path, _content_hash(policy.path, MAX_YAML_BYTES))
            add("data", _canonical(policies.data))
            add("inputs", inputs.paths, inputs.kind, inputs.follow_outside_links, inputs.policy_from,
                inputs.branch, inputs.base, inputs.commits, inputs.tags)
            add("environment", [(name, inputs.environment.get(name)) for name in ENVIRONMENT])
            for name, path in (("event", event_path(inputs)), ("reviews", inputs.reviews),
                               ("changed files", inputs.changed_files)):
                add(name, path, path and _content_hash(path, MAX_JSON_BYTES))
            root = run_root(inputs, config)
            add("places", os.getcwd(), str(root), checkout_root(root), repr(gathered.now.tzinfo))
            for file in gathered.files + gathered.context_files:
                if file.path == "-":
                    return None
                if file.problem is None:
                    self._read_as[file.path] = _file_state(file.path)
                add(file.path, file.explicit, file.problem, file.folder, os.path.realpath(file.path),
                    None if file.problem else _content_hash(file.path, MAX_DOCUMENT_BYTES))
            for document in gathered.given:
                add(document.path, document.kind, document.id, document.text, document.read,
                    document.read_in_full, document.findings, _canonical(document.data))
            add("ctx", _canonical({name: value for name, value in gathered.ctx.items() if name != "now"}))
        except (OSError, FileTooLarge, TypeError, ValueError):
            return None
        return digest.hexdigest()

    def files_unchanged(self) -> bool:
        """Whether every file the key read is as it was then: one written while the run read it
        again (an editor saving) would store one content's findings under the other's key."""
        try:
            return all(_file_state(path) == state for path, state in self._read_as.items())
        except OSError:
            return False

    def get(self, key: str, gathered: Gathered, config: Config) -> Found:
        """The outcome stored under `key` if it holds at the run's time and the checkout's change
        is what it was; else the verdicts stored with it, which the run judges with. Anything
        absent, foreign, malformed or made for another key is a miss: neither."""
        raw = read_entry(self.folder, key + _SUFFIX, MAX_RUN_CACHE_ENTRY_BYTES)
        if raw is None:
            return Found(None, None)
        try:
            lines = raw.split(b"\n")
            header = json.loads(lines[0])
            if type(header) is not dict or header.get("format") != _FORMAT or header.get("key") != key:
                return Found(None, None)
            count = header["verdicts"]
            if len(lines) != (2 if count is None else 3 + _count(count)):
                return Found(None, None)
            asked = header["asked"]
            if asked is not None and _stored_change(the_change(_text(asked[0]), gathered.ctx,
                                                               config.data.get("main_branch"))) != asked[1]:
                return Found(None, None)
            if not holds(_moment(header["now"]), _moment(header["valid_until"], True), gathered.now):
                return Found(None, None if count is None else self._verdicts_from(lines[2], lines[3:]))
            outcome = _outcome_from(json.loads(lines[1]))
        except (UnicodeDecodeError, KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError):
            return Found(None, None)
        touch(self.folder / (key + _SUFFIX))
        return Found(outcome, None)

    def put(self, key: str, outcome: RunOutcome, now: datetime, valid_until: Optional[datetime],
            asked: Optional[tuple], verdicts: Optional[Verdicts]) -> bool:
        """Store `outcome` under `key`, judged at `now` and holding until `valid_until`, with the
        rules' verdicts on each document; whether it was stored (not when over
        MAX_RUN_CACHE_ENTRY_BYTES)."""
        header = {"format": _FORMAT, "key": key, "now": now.isoformat(),
                  "valid_until": valid_until.isoformat() if valid_until is not None else None,
                  "asked": None if asked is None else [asked[0], _stored_change(asked[1])],
                  "verdicts": None if verdicts is None else len(verdicts.documents)}
        lines = [_line(header), _line(_outcome_to(outcome))]
        if verdicts is not None:
            lines.append(_line(None if verdicts.workspace is None else _verdict_to(verdicts.workspace)))
            lines += [self._line_of(verdict) for verdict in verdicts.documents]
        return write_entry(self.folder, key + _SUFFIX, b"\n".join(lines), MAX_RUN_CACHE_ENTRY_BYTES)

    def _verdicts_from(self, workspace: bytes, documents: list) -> Verdicts:
        """The verdicts of an entry's lines; each document's line is remembered, to be written
        again as it was read while its verdict holds (`_line_of`). The errors of `_outcome_from`
        for anything malformed."""
        read = []
        for line in documents:
            verdict = _verdict_from(json.loads(line), about_itself=True)
            self._read_lines[id(verdict)] = (verdict, line)
            read.append(verdict)
        stored = json.loads(workspace)
        return Verdicts(tuple(read), None if stored is None else _verdict_from(stored, about_itself=False))

    def _line_of(self, verdict: Verdict) -> bytes:
        """A document's verdict as an entry's line: the line it was read from, if it was."""
        read = self._read_lines.get(id(verdict))
        return read[1] if read is not None and read[0] is verdict else _line(_verdict_to(verdict))


def _line(value) -> bytes:
    """One line of an entry: compact JSON, which escapes every line break inside a string."""
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _run_cache(inputs: RunInputs, config: Config) -> Optional[RunCache]:
    """The run cache for this run, or None: turned off, not this user's alone, a pull-request
    run judged by the base commit's configuration, or a document read from stdin."""
    if config.base is not None or "-" in inputs.paths:
        return None
    folder = cache_folder("runs")
    if folder is None:
        return None
    return RunCache(folder) if opened(folder, MAX_RUN_CACHE_ENTRIES - 1) else None  # room for this run's


@cache
def code_digest() -> str:
    """What the code that judges is: the package version, Python's, every file of the engine, the
    bundled schemas and policies, and the Markdown parsers extraction may use (read once per
    process)."""
    digest = hashlib.sha256()
    for part in (str(_FORMAT), __version__, sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    engine = Path(__file__).resolve().parent.parent
    for top in (engine, resource_dir("schemas"), resource_dir("policies")):
        for file in sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(file.relative_to(top)).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(file.read_bytes())
    digest.update(_parsers().encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _parsers() -> str:
    """Which Markdown parsers are installed, as the files of their packages (name, size, time):
    their versions without importing them, which a replayed run never does (0.1 s)."""
    found = []
    for name in PARSER_PACKAGES:
        spec = importlib.util.find_spec(name)
        folder = Path(spec.origin).parent if spec is not None and spec.origin else None
        if folder is None:
            found.append(f"{name}: none")
            continue
        with os.scandir(folder) as listing:
            files = sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                           for entry in listing if entry.is_file())
        found.append(f"{name}: {folder} {files}")
    return "\n".join(found)


def _content_hash(path, limit: int) -> str:
    return hashlib.sha256(read_regular_file(path, limit)).hexdigest()


def _file_state(path) -> tuple:
    """What changes when a file is written or replaced (git's index compares the same), taken
    before its bytes are read."""
    info = os.stat(path)
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev


def _canonical(value) -> str:
    """`value` as one text, the same for equal values; TypeError for a value of no known type."""
    return json.dumps(value, sort_keys=True, default=_typed, ensure_ascii=False, separators=(",", ":"))


def _typed(value):
    if isinstance(value, (datetime, date, time)):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, timedelta):
        return ["timedelta", repr(value)]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(map(_canonical, value))]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _moment(value, absent: bool = False) -> Optional[datetime]:
    if value is None and absent:
        return None
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


def _stored_change(change: Optional[tuple]) -> Optional[list]:
    return None if change is None else [change[0], sorted(change[1])]


def _outcome_to(outcome: RunOutcome) -> dict:
    named = {finding.path for finding in outcome.findings}
    return {"findings": [_finding_to(finding) for finding in outcome.findings],
            "documents": outcome.documents, "written": outcome.written, "context": outcome.context,
            "excluded": [[e.path, e.glob, e.folder] for e in outcome.discovered.excluded],
            "empty_folders": [list(folder) for folder in outcome.discovered.empty_folders],
            # no format reads the text of a document no finding names (report/)
            "sources": {path: text if path in named else None for path, text in outcome.sources.items()},
            "docs": {path: [info.kind, info.id, info.file, info.record and [info.record.path, info.record.span]]
                     for path, info in outcome.docs.items()},
            "event_files": outcome.event_files}


def _outcome_from(data: dict) -> RunOutcome:
    """The outcome `_outcome_to` stored; ValueError, TypeError, KeyError or IndexError for
    anything else."""
    for part in ("findings", "excluded", "empty_folders", "event_files"):
        _shaped(data[part], list)
    for part in ("sources", "docs"):
        _shaped(data[part], dict)
    discovered = Discovered(excluded=[Excluded(_text(path), _text(glob), _text(folder, True))
                                      for path, glob, folder in data["excluded"]],
                            empty_folders=[(_text(folder), _count(read), _count(left_out))
                                           for folder, read, left_out in data["empty_folders"]])
    docs = {_text(path): DocumentInfo(_text(kind), _text(id_), _text(file, True),
                                      None if record is None else Place(_text(record[0]), _span(record[1])))
            for path, (kind, id_, file, record) in data["docs"].items()}
    return RunOutcome(findings=[_finding_from(item) for item in data["findings"]], documents=_count(data["documents"]),
                      written=_count(data["written"]), context=_count(data["context"]), discovered=discovered,
                      sources={_text(path): _text(text, True) for path, text in data["sources"].items()},
                      docs=docs, event_files=[_text(path) for path in data["event_files"]])


def _verdict_to(verdict: Verdict) -> list:
    return [verdict.path, [_finding_to(finding) for finding in verdict.findings], verdict.judged_at.isoformat(),
            None if verdict.valid_until is None else verdict.valid_until.isoformat()]


def _verdict_from(item, about_itself: bool) -> Verdict:
    """A verdict; a document's holds findings about that document only (the workspace's, about any)."""
    _shaped(item, list)
    path, findings, judged_at, valid_until = item
    _shaped(findings, list)
    decoded = tuple(_finding_from(finding) for finding in findings)
    if about_itself and any(finding.path != path for finding in decoded):
        raise ValueError("a document's verdict with a finding about another file")
    return Verdict(_text(path), decoded, _moment(judged_at), _moment(valid_until, True))


def _finding_to(finding: Finding) -> list:
    return [finding.rule, Severity(finding.severity).value, finding.message, finding.path, finding.span,
            finding.policy, finding.kind, finding.document, finding.waived]


def _finding_from(item: list) -> Finding:
    rule, severity, message, path, span, policy, kind, document, waived = item
    if type(waived) is not bool or not all(type(text) is str for text in (rule, message, path, policy, kind, document)):
        raise TypeError("a finding of the wrong shape")
    return Finding(rule, _SEVERITIES[severity], message, path, None if span is None else _span(span), policy, kind,
                   document, waived)


_SEVERITIES = {severity.value: severity for severity in Severity}


_LARGEST_FILE = max(MAX_DOCUMENT_BYTES, MAX_YAML_BYTES, MAX_JSON_BYTES)
"""No span of a file the run read lies past this."""


def _span(value) -> Optional[Span]:
    if value is None:
        return None
    if type(value) is not list or len(value) != 6 or \
            not all(type(number) is int and 0 <= number <= _LARGEST_FILE for number in value):
        raise TypeError("not a span")
    return Span._make(value)


def _shaped(value, kind: type) -> None:
    if type(value) is not kind:
        raise TypeError(f"not a {kind.__name__}")


def _text(value, absent: bool = False):
    if type(value) is str or (absent and value is None):
        return value
    raise TypeError("not a string")


def _count(value) -> int:
    if type(value) is int and value >= 0:
        return value
    raise TypeError("not a count")
