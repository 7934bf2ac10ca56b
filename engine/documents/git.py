"""Git as documents: commits of a range, tags, and the repository facts the GIT rules read.

Format plumbing only: git's output is parsed here, and commit and tag messages then go
through the same schema-driven extraction as any file (their `x-source` labels). Facts
(DESIGN.md "Repository facts"): `merges` are the hotfixes that reached main, found on main's
first-parent history as a merge commit whose message or second parent names a `hotfix/`
branch, or as a non-merge `hotfix(` commit (a fast-forward or squash); `branches` the live
branches; `tags` every tag matching the pattern with the previous `v*` tag. Each fact has one
collector, named in `REPOSITORY_FACTS`.
"""

from __future__ import annotations

import re
import subprocess
from typing import NamedTuple

from .model import Document
from .secrets import mask_strings, mask_text
from .values import parse_semver, parse_timestamp

_HOTFIX_BRANCH = re.compile(r"hotfix/[\w.\-/]*[\w\-]")
_RECORD, _FIELD = "\x1e", "\x00"


class GitError(RuntimeError):
    """git failed (not a repository, a bad range, git missing): a usage error for the CLI."""


def git_bytes(args: list, cwd=None) -> bytes:
    """git's output for `args`, as bytes; GitError with git's first line of complaint."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"cannot run git: {error}") from None
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        raise GitError((stderr.strip().splitlines() or [f"git {' '.join(args)} failed"])[0])
    return result.stdout


def _git(args: list, cwd=None) -> str:
    """git's output as text, newlines as Python's text mode reads them."""
    text = git_bytes(args, cwd).decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _records(output: str, fields: int) -> list:
    rows = []
    for record in output.split(_RECORD):
        record = record.lstrip("\n")
        if not record:
            continue
        parts = record.split(_FIELD)
        if len(parts) >= fields:
            rows.append(parts[:fields - 1] + [_FIELD.join(parts[fields - 1:])])
    return rows


def _message_document(message: str, kind: str, path: str, facts: dict) -> Document:
    """Extract a commit or tag message, then add git's facts and rebuild the id. A tag's name
    (its path and id) and git's facts are no scanned text: their secrets are masked here."""
    from .loader import parse_document  # extraction's modules: a run that replays never needs them
    from .pipeline import finish

    document = parse_document(message.strip("\n") or " ", path=mask_text(path), kind=kind)
    document.findings = [f for f in document.findings if not (f.rule == "DOC003" and "empty" in f.message)]
    data = mask_strings(dict(facts))
    data.update({key: value for key, value in document.data.items() if key not in facts})
    data.pop("id", None)
    return finish(document, kind, data, document.spans, document.anchors, document.placeholders,
                  source_text=document.text, validate_always=False)


def commits(rev_range: str, *, cwd=None) -> list:
    """One `commit` document per non-merge commit of `A..B`, oldest first. A range is never an
    option of git's (`--output=F` would write a file): one that starts with `-` is refused."""
    if rev_range.startswith("-"):
        raise GitError(f"--commits {rev_range!r}: a range of commits (A..B) cannot start with '-'")
    output = _git(["log", "--no-merges", "--reverse", f"--format=%H%x00%h%x00%P%x00%an%x00%ae%x00%aI%x00%B{_RECORD}",
                   rev_range, "--"], cwd)
    documents = []
    for sha, short, parents, name, email, date, message in _records(output, 7):
        facts = {"sha": sha, "short_sha": short, "parents": parents.split(), "author": {"name": name, "email": email}}
        when = parse_timestamp(date)
        if when is not None:
            facts["date"] = when
        documents.append(_message_document(message, "commit", f"commit:{sha}", facts))
    return documents


def _tag_rows(pattern: str, cwd) -> list:
    output = _git(["for-each-ref", f"refs/tags/{pattern}", "--format=%(refname:short)%00%(objecttype)%00%(objectname)"
                   f"%00%(*objectname)%00%(creatordate:iso-strict)%00%(taggername)%00%(taggeremail)%00%(contents){_RECORD}"], cwd)
    rows = []
    for name, objecttype, objectname, peeled, date, tagger, email, contents in _records(output, 8):
        annotated = objecttype == "tag"
        rows.append({"name": name, "annotated": annotated, "target": peeled if annotated else objectname,
                     "date": parse_timestamp(date), "message": contents if annotated else "",
                     "tagger": {"name": tagger, "email": email.strip("<>")} if annotated else None,
                     "version": _version_of(name)})
    return rows


def _version_of(name: str):
    """The version a tag's name is (`v1.2.1`, `1.2.1`), else None."""
    return parse_semver(name) if re.fullmatch(r"v?\d+\.\d+\.\d+", name) else None


def _previous(rows: list) -> dict:
    """name -> the tag with the next lower version among `v*` tags."""
    versioned = sorted((r for r in rows if r["version"] and r["name"].startswith("v")),
                       key=lambda r: (r["version"]["major"], r["version"]["minor"], r["version"]["patch"]))
    return {later["name"]: earlier for earlier, later in zip(versioned, versioned[1:])}


def tags(pattern: str = "v*", *, cwd=None) -> list:
    """One `tag` document per tag matching `pattern` (lightweight ones too: `annotated` false)."""
    rows = _tag_rows(pattern, cwd)
    previous = _previous(rows if pattern == "v*" else _tag_rows("v*", cwd) + rows)
    documents = []
    for row in rows:
        facts = {"name": row["name"], "annotated": row["annotated"], "target": row["target"], "message": row["message"]}
        for key in ("date", "tagger", "version"):
            if row[key]:
                facts[key] = row[key]
        if row["name"] in previous:
            facts["previous"] = previous[row["name"]]["name"]
            facts["previous_version"] = previous[row["name"]]["version"]
        branch = _merge_branch(row["target"], cwd)
        if branch:
            facts["merge_branch"] = branch
        documents.append(_message_document(row["message"], "tag", f"tag:{row['name']}", facts))
    return documents


def tag_from_facts(name: str, message: str, repository: dict) -> Document:
    """The `tag` document `tags()` would make for tag `name`, its git facts read from repository
    facts (the repository kind's shape: its `tags` entry, the merge that carries it) instead of
    git: how a policy test case gives a tag its name, previous version and hotfix branch."""
    entry = next((t for t in repository.get("tags") or [] if t.get("name") == name), {})
    facts = {"name": name, "annotated": entry.get("annotated", True)}
    for key in ("target", "date"):
        if entry.get(key) is not None:
            facts[key] = entry[key]
    version = _version_of(name)
    if version:
        facts["version"] = version
    previous = entry.get("previous")
    if previous and _version_of(previous):
        facts["previous"], facts["previous_version"] = previous, _version_of(previous)
    merge = next((m for m in repository.get("merges") or [] if name in (m.get("tags") or [])), {})
    if merge.get("branch"):
        facts["merge_branch"] = merge["branch"]
    return _message_document(message, "tag", f"tag:{name}", facts)


def _merge_branch(sha: str, cwd) -> str | None:
    try:
        parents, _, message = _git(["log", "-1", "--format=%P%x00%B", sha], cwd).partition(_FIELD)
    except GitError:
        return None
    parents = parents.split()
    if len(parents) < 2:
        return None
    return _branch_named(message, parents[1], cwd)


def _branch_named(message: str, second_parent: str | None, cwd) -> str | None:
    named = _branch_in_message(message)
    if named:
        return named
    return _hotfix_branches_of([second_parent], cwd)[0] if second_parent else None


def _branch_in_message(message: str) -> str | None:
    """The `hotfix/` branch a merge's message names (`Merge branch 'hotfix/v1.2.1'`), or None."""
    match = _HOTFIX_BRANCH.search(message)
    return match.group(0).rstrip("'\".,") if match else None


_NAMED_AT_ONCE = 500
"""Commits named by one `git name-rev`: well under any system's limit on a command line."""


def _hotfix_branches_of(shas: list, cwd) -> list:
    """Per commit, the `hotfix/` branch it was written on, or None: the branch whose own line
    (first parents only, `hotfix/x~2`) reaches it. A name through a merge (`hotfix/x~1^2`) is a
    commit of another branch that the hotfix branch was cut after, not the hotfix's own. Named by
    `git name-rev` a batch at a time, not a process per merge: main's history only grows."""
    names: list = []
    for start in range(0, len(shas), _NAMED_AT_ONCE):
        batch = shas[start:start + _NAMED_AT_ONCE]
        try:
            output = _git(["name-rev", "--name-only", "--refs=refs/heads/hotfix/*", "--refs=refs/remotes/*/hotfix/*",
                           *batch], cwd).split("\n")
        except GitError:
            output = []
        names += [_hotfix_branch(name) for name in output[:len(batch)]] + [None] * (len(batch) - len(output))
    return names


def _hotfix_branch(name: str) -> str | None:
    """`hotfix/x` from name-rev's `hotfix/x`, `remotes/origin/hotfix/x~2`; None otherwise."""
    if "^" in name:
        return None
    name = re.sub(r"^(?:remotes/)?(?:[\w.-]+/)?(?=hotfix/)", "", name.strip())
    name = re.sub(r"~\d+$", "", name)
    return name if name.startswith("hotfix/") else None


def _exists(ref: str, cwd) -> bool:
    try:
        _git(["rev-parse", "--verify", "--quiet", ref], cwd)
        return True
    except GitError:
        return False


def _short(name: str) -> str | None:
    if name.endswith("/HEAD") or name == "HEAD":
        return None
    return re.sub(r"^(?:remotes/)?origin/", "", name)


_MAIN_REFS = ("main", "origin/main", "master", "origin/master")
_DEVELOP_REFS = ("develop", "origin/develop")


class _Lines:
    """How far each commit reaches along main's and develop's first-parent lines: the position
    (oldest first) of the latest commit of each line among its ancestors, -1 for none. A commit
    of a line holds every earlier one, so "does X hold line commit C" is "does X reach C's
    position", and "does tip bring commits of develop's line that base lacks" is "does tip reach
    further along it than base". One walk of the branches' history answers them all, where a git
    process per hotfix and per branch grew with the history (`git branch --contains`, `rev-list`).
    Walked when first asked."""

    def __init__(self, cwd, main: str | None, develop: str | None):
        self._cwd, self._main, self._develop = cwd, main, develop
        self._reached: dict | None = None  # sha -> (position on main's line, on develop's line)
        self._main_tip: str | None = None

    def main_position(self, sha: str) -> int:
        return self._reach(sha)[0]

    def develop_position(self, sha: str) -> int:
        return self._reach(sha)[1]

    def main_tip(self) -> str | None:
        """The sha main points at."""
        self._reach("")
        return self._main_tip

    def _reach(self, sha: str) -> tuple:
        if self._reached is None:
            self._reached = self._walk()
        return self._reached.get(sha, (-1, -1))

    def _walk(self) -> dict:
        main, develop = (self._line(ref) for ref in (self._main, self._develop))
        self._main_tip = next(reversed(main), None)
        tips = [ref for ref in (self._main, self._develop) if ref]
        history = _git(["log", "--branches", "--remotes", *tips, "--topo-order", "--reverse", "--format=%H %P"],
                       self._cwd)
        reached: dict = {}
        for commit, *parents in map(str.split, history.splitlines()):
            before = [reached.get(parent, (-1, -1)) for parent in parents]
            reached[commit] = (main.get(commit, max((b[0] for b in before), default=-1)),
                               develop.get(commit, max((b[1] for b in before), default=-1)))
        return reached

    def _line(self, ref: str | None) -> dict:
        """sha -> position on ref's first-parent line, oldest first."""
        if not ref:
            return {}
        shas = _git(["rev-list", "--first-parent", "--reverse", ref], self._cwd).split()
        return {sha: position for position, sha in enumerate(shas)}


class _Repository(NamedTuple):
    """What every fact collector needs: where git runs, the main and develop refs (None when
    absent), the tag pattern of the run, and how far commits reach along main and develop."""

    cwd: object
    main: str | None
    develop: str | None
    tag_pattern: str
    lines: _Lines

    def brings_develop_commits(self, base: str, tip: str) -> bool:
        """Whether tip brings commits of develop's own (first-parent) history that base lacks."""
        return self.develop is not None and self.lines.develop_position(tip) > self.lines.develop_position(base)


def _merges(repo: _Repository) -> list:
    """Each hotfix that reached main, in order: a first-parent merge commit whose message or
    second parent names a `hotfix/` branch, or a non-merge `hotfix(` commit (fast-forward or
    squash)."""
    if not repo.main:
        return []
    cwd = repo.cwd
    tags_at: dict = {}
    for row in _tag_rows("*", cwd):
        tags_at.setdefault(row["target"], []).append(row["name"])
    output = _git(["log", "--first-parent", "--reverse", f"--format=%H%x00%h%x00%P%x00%cI%x00%B{_RECORD}", repo.main], cwd)
    rows = [(sha, short, parents.split(), date, message) for sha, short, parents, date, message in _records(output, 5)]
    unnamed = [parents[1] for _, _, parents, _, message in rows if len(parents) >= 2 and not _branch_in_message(message)]
    named = dict(zip(unnamed, _hotfix_branches_of(unnamed, cwd)))
    merges = []
    for sha, short, parents, date, message in rows:
        header = message.strip().split("\n", 1)[0]
        is_merge = len(parents) >= 2
        branch = (_branch_in_message(message) or named.get(parents[1])) if is_merge else None
        if not (branch or (not is_merge and header.startswith("hotfix("))):
            continue
        merge = {"sha": sha, "short_sha": short, "parents": parents, "merge_commit": is_merge,
                 "message": message.strip(), "header": header, "tags": tags_at.get(sha, [])}
        when = parse_timestamp(date)
        if when is not None:
            merge["date"] = when
        if branch:
            merge["branch"] = branch
            version = parse_semver(branch)
            if version:
                merge["version"] = version
        merge["contains_develop_commits"] = is_merge and repo.brings_develop_commits(parents[0], parents[1])
        merges.append(merge)
    branches = _branch_tips(cwd)
    for merge in merges:
        position = repo.lines.main_position(merge["sha"])
        merge["contained_in"] = sorted({name for name, sha in branches if repo.lines.main_position(sha) >= position})
    return merges


def _branch_tips(cwd) -> list:
    """(name as the facts spell it, sha) of every local and remote branch; a remote's HEAD left out."""
    output = _git(["for-each-ref", "refs/heads", "refs/remotes", "--format=%(refname:short)%00%(objectname)"], cwd)
    return [(short, sha) for name, _, sha in (row.partition(_FIELD) for row in output.splitlines())
            if (short := _short(name)) is not None]


def _branches(repo: _Repository) -> list:
    """Live branches (local and remote, once each), whether main contains them, and for
    `hotfix/` branches whether they bring commits of develop's own history."""
    cwd, main = repo.cwd, repo.main
    branches, seen = [], set()
    refs = ["refs/heads", "refs/remotes"]
    output = _git(["for-each-ref", *refs, "--format=%(refname)%00%(refname:short)%00%(objectname)"], cwd)
    merged = set(_git(["for-each-ref", f"--merged={main}", *refs, "--format=%(refname)"], cwd).split()) \
        if main else set()
    for line in output.splitlines():
        ref, name, sha = line.split(_FIELD)
        short = _short(name)
        if short is None or short in seen or short == "origin":
            continue
        seen.add(short)
        branch = {"name": short, "sha": sha, "hotfix": short.startswith("hotfix/")}
        if main:
            branch["merged"] = ref in merged
            if branch["hotfix"]:
                branch["contains_develop_commits"] = repo.brings_develop_commits(repo.lines.main_tip(), sha)
        branches.append(branch)
    return branches


def _tag_facts(repo: _Repository) -> list:
    """Every tag matching the run's pattern, with the previous `v*` tag by version."""
    rows = _tag_rows(repo.tag_pattern, repo.cwd)
    previous = _previous(rows if repo.tag_pattern == "v*" else _tag_rows("v*", repo.cwd) + rows)
    entries = []
    for row in rows:
        entry = {"name": row["name"], "annotated": row["annotated"], "message": row["message"].strip(), "target": row["target"]}
        if row["version"]:
            entry["version"] = row["version"]
        if row["date"]:
            entry["date"] = row["date"]
        if row["name"] in previous:
            entry["previous"] = previous[row["name"]]["name"]
        entries.append(entry)
    return entries


REPOSITORY_FACTS = {"merges": _merges, "branches": _branches, "tags": _tag_facts}
"""The repository document's lists (DESIGN.md "Repository facts"): fact -> its collector."""


def main_branch_ref(cwd, main_branch: str | None = None) -> str | None:
    """The main branch's ref: `main_branch` (`data.main_branch`) or its remote copy, else the
    usual names; None when the clone has none of them."""
    named = (main_branch, f"origin/{main_branch}") if main_branch else ()
    candidates = dict.fromkeys(named + _MAIN_REFS)
    return next((ref for ref in candidates if _exists(ref, cwd)), None)


def checkout_change(cwd, main_branch: str | None = None) -> tuple[str, set] | None:
    """(the work tree's top, the files this checkout changes since it left the main branch:
    committed on the branch, staged, edited and new but not ignored), paths relative to the top;
    None outside git or without a main branch to compare with."""
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
        main = main_branch_ref(top, main_branch)
        if main is None:
            return None
        fork_point = _git(["merge-base", main, "HEAD"], top).strip()
        edited = _git(["diff", "--name-only", "--no-renames", fork_point, "--"], top)
        new = _git(["ls-files", "--others", "--exclude-standard", "--full-name"], top)
    except GitError:
        return None
    return top, {line for line in (edited + "\n" + new).splitlines() if line}


def work_tree_top(folder) -> str | None:
    """The top folder of the git work tree holding `folder` (None: the working directory), or
    None outside one."""
    try:
        top = git_bytes(["rev-parse", "--show-toplevel"], folder or None).decode("utf-8", "surrogateescape").strip()
    except GitError:
        return None
    return top or None


def repository_facts(*, cwd=None, tag_pattern: str = "v*", main_branch: str | None = None) -> Document | None:
    """The `repository` document, or None when not inside a git work tree."""
    try:
        if _git(["rev-parse", "--is-inside-work-tree"], cwd).strip() != "true":
            return None
    except GitError:
        return None
    main = main_branch_ref(cwd, main_branch)
    develop = next((ref for ref in _DEVELOP_REFS if _exists(ref, cwd)), None)
    repo = _Repository(cwd, main, develop, tag_pattern, _Lines(cwd, main, develop))
    data: dict = {fact: collect(repo) for fact, collect in REPOSITORY_FACTS.items()}
    data["secrets"] = []
    try:
        data["head"] = _git(["rev-parse", "HEAD"], cwd).strip()
    except GitError:
        pass
    if main:
        data["main"] = _short(main)
    if develop:
        data["develop"] = _short(develop)
    from .pipeline import finish

    document = Document("repository", "repository", "repository", "")
    return finish(document, "repository", data, {}, {}, [], source_text="", validate_always=True)
