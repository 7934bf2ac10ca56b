"""What one `policy check` run looks at: the documents (files, stdin, the GitHub event, commits,
tags, the repository's git facts) and `ctx` (branch, base, author, labels, changed files,
approvals, event, now), from the command line, the GitHub Actions environment and git.
"""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Optional

from ..documents.secrets import mask_strings
from ..errors import UsageError
from ..findings import Severity
from ..kinds import FILE_KINDS, check_kind
from ..limits import MAX_DOCUMENT_BYTES
from .config import Config, parse_time
from .document_files import Discovered, candidate_files, named_file
from .policy_sources import POLICY_SOURCES


class InputError(UsageError):
    """A problem with the run's inputs (a missing event file, bad JSON, git failing): exit 2."""



ENVIRONMENT = ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_HEAD_REF", "GITHUB_BASE_REF")
"""The environment variables a run reads (`event_path`, `build_context`); the run cache keys on them."""

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")
"""GitHub events whose payload is about one pull request (its `pull_request` object)."""


@dataclass
class RunInputs:
    paths: list = field(default_factory=list)     # files and folders; "-" reads stdin
    kind: Optional[str] = None
    github_event: Optional[str] = None
    reviews: Optional[str] = None
    changed_files: Optional[str] = None
    branch: Optional[str] = None
    base: Optional[str] = None
    commits: Optional[str] = None
    tags: Optional[str] = None
    now: Optional[str] = None
    stdin: Optional[BinaryIO] = None              # read (bounded) when paths name "-"
    follow_outside_links: bool = False            # read symbolic links that leave the run's root
    policy_from: Optional[str] = None             # one of POLICY_SOURCES; None: base in a pull-request run
    environment: dict = field(default_factory=lambda: dict(os.environ))

    def __post_init__(self):
        if self.kind is not None:
            check_kind(self.kind, FILE_KINDS)  # UnknownKind (a UsageError) names the kinds a file can be
        if self.policy_from is not None and self.policy_from not in POLICY_SOURCES:
            raise InputError(f"--policy-from must be one of {', '.join(POLICY_SOURCES)}; found {self.policy_from!r}")


def run_time(inputs: RunInputs, config: Config) -> datetime:
    """`--now`, else the config's pinned `clock`, else the real clock."""
    if inputs.now:
        moment = parse_time(inputs.now)
        if moment is None:
            raise InputError(f"--now must be a time such as 2026-11-20T11:00:00Z; found {inputs.now!r}")
        return moment
    return config.clock or datetime.now(timezone.utc)


PARALLEL_MIN_FILES = 400
"""Below this many files a second process costs more (its start-up) than it saves."""


def worker_count(workers: int) -> int:
    """The processes a run extracts in: `workers`, or 0 for one per core."""
    return workers or (os.cpu_count() or 1)


def pool_pays(count: int, workers: int) -> bool:
    """Whether extracting `count` files in a pool of `workers` processes beats doing it here."""
    return count >= PARALLEL_MIN_FILES and workers >= 2


def collect_documents(inputs: RunInputs, config: Config, progress=None, workers: int = 0,
                      discovered: Optional[Discovered] = None) -> list:
    """Every document of the run, in a stable order: its files' (`file_documents`), then those no
    file holds (`given_documents`). `discovered` (optional) hears of the files excluded and the
    folders that held no document."""
    discovered = discovered if discovered is not None else Discovered()
    files = run_files(inputs, config, discovered)
    return file_documents(files, inputs, config, progress, workers, discovered) + given_documents(inputs, config)


def run_files(inputs: RunInputs, config: Config, discovered: Discovered) -> list:
    """The run's candidate files (`-` for stdin) in a stable order; `discovered` hears of the
    files excluded and the folders walked."""
    return list(candidate_files(inputs.paths, config.document_globs(), run_root(inputs, config),
                                follow_outside_links=inputs.follow_outside_links, discovered=discovered))


def file_documents(files: list, inputs: RunInputs, config: Config, progress=None, workers: int = 0,
                   discovered: Optional[Discovered] = None, extraction=None) -> list:
    """The documents of the run's candidate `files`, in their order. `progress` (optional)
    counts files read; `discovered` (optional) hears of the folders that held no document;
    `extraction`: theirs, when the run began it early (`extraction_pool.EarlyExtraction`).

    Large runs extract in `workers` processes (0: one per core); extraction is the bulk of a
    run. A worker sends a document back as its extraction cache entry, decoded and stored here
    in about a fifth of the time unpickling it takes (benchmarks/README.md, Scale).
    """
    globs = config.document_globs()
    documents = []
    if progress is not None:
        progress.start("reading", len(files))
    if any(file.path == "-" for file in files):
        from ..documents import read_stream_document

        documents.append(read_stream_document(inputs.stdin or io.BytesIO(), kind=inputs.kind, config_globs=globs))
        files = [file for file in files if file.path != "-"]
        if progress is not None:
            progress.advance()
    for chunk in extracted_chunks(files, inputs.kind, globs, workers, extraction):
        documents += chunk
        if progress is not None:
            progress.advance(len(chunk))
    if discovered is not None:
        discovered.note_folders(files, documents)
    return documents


def given_documents(inputs: RunInputs, config: Config) -> list:
    """The documents of the run that no candidate file holds: the event's pull request, the
    commits and tags asked for, the repository's git facts."""
    documents = []
    event = event_path(inputs)
    if event:
        documents.append(_guard(lambda: _pull_request(event)))
    cwd = git_folder(inputs)
    from_git = []
    if inputs.commits:
        from_git += _guard(lambda: _git_documents("commits", inputs.commits, cwd))
    if inputs.tags:
        from_git += _guard(lambda: _git_documents("tags", inputs.tags, cwd))
    repository = _guard(lambda: _repository(cwd, inputs.tags or "v*", config.data.get("main_branch")))
    if repository is not None:
        from_git.append(repository)
    for document in from_git:  # names of branches and tags, authors: strings no scanner has read
        document.data = mask_strings(document.data)
    return documents + from_git


def run_root(inputs: RunInputs, config: Config) -> Path:
    """The folder the run may read links into: the configuration's, else the git work tree's
    top, else the working directory."""
    if config.path is not None:
        return Path(config.directory)
    top = _git_output(["rev-parse", "--show-toplevel"], git_folder(inputs))
    return Path(top) if top else Path.cwd()


def named_document(path: str, inputs: RunInputs, config: Config, size_limit: int = MAX_DOCUMENT_BYTES):
    """The document at `path`, named on the command line of `policy parse`, `policy explain` or
    `policy eval --doc`, read as `policy check PATH` reads it: the same usage errors (absent, a
    loop, a folder, a device), DOC003 for a link out of the root, the configuration's kinds."""
    candidate = named_file(path, run_root(inputs, config), follow_outside_links=inputs.follow_outside_links)
    return _read(candidate, inputs.kind, config.document_globs(), size_limit)


def extract_files(files: list, kind: Optional[str], globs, cache=None) -> list:
    """Per candidate file, its document, or None for Markdown of an unknown kind under a folder
    (README.md...), unless it could not be read in full (it may be one of ours: fail closed)."""
    return [_kept(file, _read(file, kind, globs, cache=cache)) for file in files]


def _kept(file, document):
    """A misspelled front-matter kind (DOC001, an error) is kept: the author meant it to be one."""
    passed_over = document.kind is None and not file.explicit and not document.fails_closed()
    return None if passed_over else document


def _read(file, kind: Optional[str], globs, size_limit: int = MAX_DOCUMENT_BYTES, cache=None):
    """The document of one candidate file; a file that cannot be read is DOC003 on its path. An
    unchanged file's document comes from the extraction cache (documents/cache.py), or `cache`."""
    from ..documents import Document, load_document
    from ..documents.cache import document_cache

    if file.problem is not None:
        unread = Document(None, None, str(Path(file.path)), "", read_in_full=False, read=False)  # as read ones show
        unread.add_finding("DOC003", Severity.ERROR, file.problem, None)
        return unread
    return load_document(Path(file.path), kind=kind, config_globs=globs, size_limit=size_limit,
                         cache=cache or document_cache())


def extracted_chunks(files: list, kind: Optional[str], globs, workers: int, extraction=None):
    """Chunks of documents in file order. A large run reads what the extraction cache holds in
    this process and extracts the rest in a process per core when they are many: a process is
    worth its start-up and the documents' trip back only for documents still to extract.
    `extraction`: an `extraction_pool.PoolExtraction` of `files` begun earlier, taken if it can be."""
    from .extraction_pool import started

    size = 100
    workers = worker_count(workers)
    pool = extraction if extraction is not None and extraction.takes(files) else None
    known: dict = {}
    missing: list = []  # the files extracted here when no pool extracts them
    if pool is None:
        known = _cached_documents(files, kind, globs) if pool_pays(len(files), workers) else {}
        missing = [file for index, file in enumerate(files) if index not in known]
        pool = started(missing, kind, globs, workers) if pool_pays(len(missing), workers) else None
    extracted = pool.documents() if pool is not None else iter(extract_files(missing, kind, globs))
    chunk: list = []
    for index in range(len(files)):
        document = known[index] if index in known else next(extracted)
        if document is not None:
            chunk.append(document)
        if (index + 1) % size == 0 or index + 1 == len(files):
            yield chunk
            chunk = []
    _note_use()


def _note_use() -> None:
    """Write when the extraction cache's entries this run read were used."""
    from ..documents.cache import document_cache

    cache = document_cache()
    if cache is not None:
        cache.flush()


def _cached_documents(files: list, kind: Optional[str], globs) -> dict:
    """Index in `files` -> its document (or None, left out), for the files the extraction cache
    holds as they are now."""
    from ..documents.cache import document_cache
    from ..documents.loader import cached_document

    cache = document_cache()
    known: dict = {}
    if cache is None or not cache.holds_any():
        return known
    for index, file in enumerate(files):
        if file.problem is None:
            document = cached_document(Path(file.path), cache, kind=kind, config_globs=globs)
            if document is not None:
                known[index] = _kept(file, document)
    return known


def build_context(inputs: RunInputs, documents: list, now: datetime) -> dict:
    """`ctx` for the rules. Approvals and changed files are absent when unknown."""
    from ..documents import approvals, load_changed_files, load_reviews
    from ..documents.github import event_context, read_event

    ctx: dict = {"now": now, "labels": []}
    event = event_path(inputs)
    if event:
        ctx.update(event_context(_guard(lambda: read_event(event)).data))  # every field it reads: checked
    environment = inputs.environment
    ctx.setdefault("branch", environment.get("GITHUB_HEAD_REF") or "")
    ctx.setdefault("base", environment.get("GITHUB_BASE_REF") or "")
    if inputs.branch is not None:
        ctx["branch"] = inputs.branch
    if inputs.base is not None:
        ctx["base"] = inputs.base
    if not ctx["branch"]:
        ctx["branch"] = _git_output(["rev-parse", "--abbrev-ref", "HEAD"], git_folder(inputs)) or ""
    if inputs.reviews:
        ctx["approvals"] = _guard(lambda: approvals(load_reviews(inputs.reviews)))
    if inputs.changed_files:
        ctx["changed_files"] = _guard(lambda: load_changed_files(inputs.changed_files))
    elif ctx.get("base"):
        changed = _git_output(["diff", "--name-only", f"{ctx['base']}...HEAD"], git_folder(inputs))
        if changed is not None:
            ctx["changed_files"] = [line for line in changed.splitlines() if line]
    ctx.setdefault("author", "")
    return mask_strings(ctx)  # branch, labels, file names and the event reach messages unscanned


def document_authors(documents: list) -> dict:
    """Document id and path -> logins of its authors (for waiver approval checks)."""
    authors: dict = {}
    for document in documents:
        data = document.data
        logins = set()
        author = data.get("author")
        if isinstance(author, dict):
            logins |= {str(author.get(k, "")).lower() for k in ("login", "name") if author.get(k)}
            email = str(author.get("email") or "")
            if "@" in email:
                logins.add(email.split("@", 1)[0].lower())
        if logins:
            for key in (document.id, document.path):
                if key:
                    authors.setdefault(key, set()).update(logins)
    return authors


def event_path(inputs: RunInputs) -> Optional[str]:
    """The pull request's event file: `--github-event`, else GitHub Actions' own for a pull
    request's event."""
    if inputs.github_event:
        return inputs.github_event
    from ..documents.github import PULL_REQUEST_EVENTS

    environment = inputs.environment
    if environment.get("GITHUB_EVENT_NAME") in PULL_REQUEST_EVENTS:
        return environment.get("GITHUB_EVENT_PATH") or None
    return None


def _pull_request(path: str):
    from ..documents import pull_request

    return pull_request(path)


def _git_documents(what: str, argument: str, cwd):
    from ..documents import commits, tags

    return commits(argument, cwd=cwd) if what == "commits" else tags(argument, cwd=cwd)


def _repository(cwd, tag_pattern: str, main_branch: str):
    from ..documents import repository_facts

    return repository_facts(cwd=cwd, tag_pattern=tag_pattern, main_branch=main_branch)


def git_folder(inputs: RunInputs) -> Optional[str]:
    """The folder git runs in: the first PATH's (a file's folder), else the working directory (None)."""
    for given in inputs.paths or []:
        if given != "-":
            path = Path(given)
            return str(path if path.is_dir() else path.parent)
    return None


def _git_output(args: list, cwd) -> Optional[str]:
    try:
        result = subprocess.run(["git", *args], cwd=cwd or None, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _guard(action):
    """Run an input step; its known failures become InputError (one line, exit 2)."""
    from ..documents.git import GitError
    from ..documents.github import EventError

    try:
        return action()
    except (GitError, EventError, OSError, ValueError) as error:
        raise InputError(str(error)) from None
