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
  how it was found, and its bytes' SHA-256 (remembered while the file's state is what it was
  when it was hashed: file_hashes.py; a run stores nothing when a file was written while it
  ran: its documents may hold bytes the key did not read; a run whose extraction began before
  the key, extraction_pool.py, keys with each file's state from before that);
- the documents no file holds (the event's PR body, commits, tags, the repository's git facts)
  and `ctx` but `ctx.now`, as the run computes them, hashed canonically.

The clock: an entry keeps its run's `now` and until when its findings hold (`check.Judgement`:
the rules', from `Evaluator.valid_until`, and the waivers'); it replays at a time t only when
now <= t < valid_until, or t == now (a pinned clock). Which files the checkout changes (asked of
git only when stored PR bodies are judged, pull_request_scope.py) is kept in the entry and asked
again before it replays. Past its time, the entry still holds the rules' verdict on each document
and until when each holds (policy/verdicts.py): the run judges again only the documents whose
verdict has run out (and the workspace policies, if theirs has), then stores the run anew. Once
a run of the key has come past an entry's time, the entry also keeps what judging reads of each
document (entry.py): later such runs read back from the extraction cache only the documents
they judge again (rejudge.py); before that, they read every document back.

Not used: in a run judged by the base commit's configuration (keying it would mean the base's
files too), when a document comes from stdin, by `--explain` and the editor (they need the
documents). Entries live in the `runs` folder beside the other two caches, under the same rules
(cache_folder.py: `HOTFIX_POLICY_NO_CACHE`, only this user's own entries are read). An entry is
JSON lines (entry.py), never pickle, named by its key and naming it inside (checked on load),
ending with a checksum of the rest (`cache_folder.sealed`: a CRC-32 against damage that still
parses, such as an edited findings line, which would replay the wrong verdict; not against a
person who can write the cache folder, who could as well edit the installed tool), bounded
(`MAX_RUN_CACHE_ENTRY_BYTES`; the folder keeps `MAX_RUN_CACHE_ENTRIES`); it holds the masked
text of the documents a finding names, as the report prints them, and the documents' values as
rules read them (secrets masked). Anything wrong with an entry is a miss: the run goes on as if
there were no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime, time, timedelta
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..cache_folder import cache_folder, intact_length, joined_size, opened, read_entry, sealed, touch, write_lines
from ..documents.secrets import names_hold_a_secret
from ..files import FileTooLarge, RealPaths, file_state
from ..limits import (MAX_DOCUMENT_BYTES, MAX_JSON_BYTES, MAX_RUN_CACHE_ENTRIES, MAX_RUN_CACHE_ENTRY_BYTES,
                      MAX_YAML_BYTES)
from ..policy.check import Gathered, gather, run_check
from ..policy.code_digest import code_digest
from ..policy.config import Config
from ..policy.inputs import ENVIRONMENT, RunInputs, event_path, run_root
from ..policy.model import PolicySet
from ..policy.pull_request_scope import the_change
from ..policy.verdicts import Verdict, Verdicts, holds
from .entry import (DAMAGED_ENTRY, document_lines, line, outcome_from, outcome_lines, read_line, verdict_from,
                    verdict_line)
from .file_hashes import FileHashes, content_hash
from .outcome import RunOutcome, outcome_of
from .rejudge import StoredRun, judged_again
from .stored_values import count, moment, text

if TYPE_CHECKING:
    from ..policy.extraction_pool import EarlyExtraction

_FORMAT = 5  # 5: sealed with a checksum
_FOLDER = "runs"
_SUFFIX = ".json"


def checked(inputs: RunInputs, config: Config, policies: PolicySet, progress=None, store=None,
            early: Optional[EarlyExtraction] = None) -> RunOutcome:
    """The run's outcome: replayed when the run cache holds it for exactly these inputs at this
    time; past its time, judged again where the verdicts ran out; else judged (and stored for
    the next run). `store(job)` is given the job that writes the new entry, for the caller to run
    when it chooses (`policy check`: once its report is out); by default it runs at once.
    `early`: the run's files, their extraction perhaps begun (the caller closes it)."""
    cache = _run_cache(inputs, config)
    gathered = gather(inputs, config, early)
    if cache is None:
        return outcome_of(run_check(inputs, config, policies, progress, gathered), inputs)
    key = cache.key(inputs, config, policies, gathered)
    found = cache.get(key, gathered, config) if key is not None else Found(None, None, None)
    if found.outcome is not None:
        return found.outcome
    if found.stored is not None:
        again = judged_again(found.stored, found.earlier, gathered, inputs, config, policies)
        if again is not None:
            def put_again() -> None:
                if cache.files_unchanged():
                    cache.put(key, again.outcome, found.stored.outcome_lines(again.outcome), gathered.now,
                              again.valid_until, found.stored.asked, again.verdicts, found.stored.documents)

            (store or _at_once)(put_again)
            return again.outcome
    result = run_check(inputs, config, policies, progress, gathered, earlier=found.earlier)
    outcome = outcome_of(result, inputs)
    if key is not None:
        def put() -> None:
            if not cache.files_unchanged():
                return
            # The documents are kept once a run of the key came past an entry's time: writing them
            # costs a tenth of a second a 1,000 records, which a history whose findings hold for
            # ever would pay on every change for nothing.
            kept = document_lines(result.documents, result.context, result.other_pull_requests) \
                if found.earlier is not None else None
            cache.put(key, outcome, outcome_lines(outcome), gathered.now, result.valid_until, result.change_asked,
                      result.verdicts, kept)

        (store or _at_once)(put)
    return outcome


def _at_once(job) -> None:
    job()


def holds_no_runs() -> bool:
    """Whether the run cache holds no entry (a new machine, a CI cache not restored, or turned
    off): such a run is judged in full, so it may extract before it makes its key
    (`extraction_pool.EarlyExtraction`), which a run that may be replayed should not."""
    folder = cache_folder(_FOLDER)
    if folder is None:
        return True
    try:
        with os.scandir(folder) as entries:
            return not any(entry.name.endswith(_SUFFIX) for entry in entries)
    except OSError:
        return True


class Found(NamedTuple):
    """What the run cache holds for a run: its outcome when that holds now, else the verdicts on
    its documents (some may still hold) and the rest of the entry (`stored`, when it keeps the
    documents), else nothing."""
    outcome: Optional[RunOutcome]
    earlier: Optional[Verdicts]
    stored: Optional[StoredRun]


class RunCache:
    """The run cache's folder (already checked to be this user's alone)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._read_as: dict = {}  # path -> the file's state when the key read it (`files.file_state`)
        self._read_lines: dict = {}  # id of a verdict `get` read -> (the verdict, its line)

    def key(self, inputs: RunInputs, config: Config, policies: PolicySet, gathered: Gathered) -> Optional[str]:
        """The digest of everything the run's outcome depends on but the clock (see the module);
        None when some input cannot be keyed (a file that cannot be read in full, a value of
        no known type): the run is judged and not stored."""
        from ..report.placement import checkout_root

        digest = hashlib.sha256(f"{_FORMAT} {code_digest()}".encode("ascii"))

        def add(*parts) -> None:
            digest.update(repr(parts).encode("utf-8") + b"\0")

        try:
            add("config", str(config.path), config.loaded.text if config.loaded is not None else None)
            for policy in policies.policies:
                add("policy", policy.path, content_hash(policy.path, MAX_YAML_BYTES))
            add("data", _canonical(policies.data))
            add("inputs", inputs.paths, inputs.kind, inputs.follow_outside_links, inputs.policy_from,
                inputs.branch, inputs.base, inputs.commits, inputs.tags)
            add("environment", [(name, inputs.environment.get(name)) for name in ENVIRONMENT])
            for name, path in (("event", event_path(inputs)), ("reviews", inputs.reviews),
                               ("changed files", inputs.changed_files)):
                add(name, path, path and content_hash(path, MAX_JSON_BYTES))
            root = run_root(inputs, config)
            add("places", os.getcwd(), str(root), checkout_root(root), repr(gathered.now.tzinfo))
            hashes = FileHashes(self.folder / "hashes", hashlib.sha256(repr((os.getcwd(), inputs.paths)).encode(
                "utf-8", "surrogateescape")).hexdigest())
            real_path = RealPaths()
            for file in gathered.files + gathered.context_files:
                if file.path == "-":
                    return None
                if file.problem is None:
                    state = self._read_as[file.path] = gathered.states.get(file.path) or file_state(file.path)
                add(file.path, file.explicit, file.problem, file.folder, real_path(file.path),
                    None if file.problem else hashes.sha256(file.path, state, MAX_DOCUMENT_BYTES))
            hashes.save()
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
            return all(file_state(path) == state for path, state in self._read_as.items())
        except OSError:
            return False

    def get(self, key: str, gathered: Gathered, config: Config) -> Found:
        """The outcome stored under `key` if it holds at the run's time and the checkout's change
        is what it was; else the verdicts stored with it, which the run judges with. Anything
        absent, foreign, malformed or made for another key is a miss: neither."""
        missed = Found(None, None, None)
        raw = read_entry(self.folder, key + _SUFFIX, MAX_RUN_CACHE_ENTRY_BYTES)
        if raw is None or intact_length(raw) is None:
            return missed
        try:
            lines = raw.split(b"\n")[:-1]  # the checksum's line last
            header = read_line(lines[0])
            if type(header) is not dict or header.get("format") != _FORMAT or header.get("key") != key:
                return missed
            verdicts, documents = header["verdicts"], header["documents"]
            if documents is not None and verdicts is None:
                return missed
            if len(lines) != 4 + (0 if verdicts is None else 1 + count(verdicts)) + \
                    (0 if documents is None else 1 + count(documents)):
                return missed
            asked = header["asked"]
            if asked is not None and _stored_change(the_change(text(asked[0]), gathered.ctx,
                                                               config.data.get("main_branch"))) != asked[1]:
                return missed
            if not holds(moment(header["now"]), moment(header["valid_until"], True), gathered.now):
                if verdicts is None:
                    return missed
                earlier = self._verdicts_from(lines[4], lines[5:5 + verdicts])
                stored = None if documents is None else \
                    StoredRun(lines[2], lines[3], lines[5 + verdicts:], _asked_from(asked))
                return Found(None, earlier, stored)
            outcome = outcome_from(lines[1], lines[2], lines[3])
        except DAMAGED_ENTRY:
            return missed
        touch(self.folder / (key + _SUFFIX))
        return Found(outcome, None, None)

    def put(self, key: str, outcome: RunOutcome, lines: list, now: datetime, valid_until: Optional[datetime],
            asked: Optional[tuple], verdicts: Optional[Verdicts], documents: Optional[list]) -> bool:
        """Store the outcome, as its lines (`entry.outcome_lines`), under `key`, judged at `now` and
        holding until `valid_until`, with the rules' verdicts on each document and the documents'
        lines (`entry.document_lines`; None: not kept); whether it was stored (not when a name it
        holds holds a secret, nor when over MAX_RUN_CACHE_ENTRY_BYTES, nor then without the
        documents)."""
        if names_hold_a_secret(chain(outcome.names(), _asked_names(asked))):
            return False
        header = {"format": _FORMAT, "key": key, "now": now.isoformat(),
                  "valid_until": valid_until.isoformat() if valid_until is not None else None,
                  "asked": None if asked is None else [asked[0], _stored_change(asked[1])],
                  "verdicts": None if verdicts is None else len(verdicts.documents),
                  "documents": None if documents is None or verdicts is None else len(documents) - 1}
        lines = [line(header), *lines]
        if verdicts is not None:
            lines.append(verdict_line(verdicts.workspace))
            lines += [self._line_of(verdict) for verdict in verdicts.documents]
            if documents is not None:
                whole = sealed(lines + documents)
                if joined_size(whole) <= MAX_RUN_CACHE_ENTRY_BYTES:
                    return write_lines(self.folder, key + _SUFFIX, whole, MAX_RUN_CACHE_ENTRY_BYTES)
                lines[0] = line({**header, "documents": None})
        return write_lines(self.folder, key + _SUFFIX, sealed(lines), MAX_RUN_CACHE_ENTRY_BYTES)

    def _verdicts_from(self, workspace: bytes, documents: list) -> Verdicts:
        """The verdicts of an entry's lines; each document's line is remembered, to be written
        again as it was read while its verdict holds (`_line_of`). The errors of `outcome_from`
        for anything malformed."""
        read = []
        for stored in documents:
            verdict = verdict_from(stored, about_itself=True)
            self._read_lines[id(verdict)] = (verdict, stored)
            read.append(verdict)
        return Verdicts(tuple(read), verdict_from(workspace, about_itself=False))

    def _line_of(self, verdict: Verdict) -> bytes:
        """A document's verdict as an entry's line: the line it was read from, if it was."""
        read = self._read_lines.get(id(verdict))
        return read[1] if read is not None and read[0] is verdict else verdict_line(verdict)


def _run_cache(inputs: RunInputs, config: Config) -> Optional[RunCache]:
    """The run cache for this run, or None: turned off, not this user's alone, a pull-request
    run judged by the base commit's configuration, or a document read from stdin."""
    if config.base is not None or "-" in inputs.paths:
        return None
    folder = cache_folder(_FOLDER)
    if folder is None:
        return None
    return RunCache(folder) if opened(folder, MAX_RUN_CACHE_ENTRIES - 1) else None  # room for this run's


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


def _stored_change(change: Optional[tuple]) -> Optional[list]:
    return None if change is None else [change[0], sorted(change[1])]


def _asked_names(asked: Optional[tuple]) -> tuple:
    """The folders and paths in what git was asked (`check.CheckResult.change_asked`)."""
    if asked is None:
        return ()
    folder, change = asked
    return (folder,) if change is None else (folder, change[0], *change[1])


def _asked_from(stored) -> Optional[tuple]:
    """What the header says git was asked, as `check.CheckResult.change_asked` has it."""
    if stored is None:
        return None
    folder, change = stored
    return text(folder), None if change is None else (change[0], frozenset(map(text, change[1])))
