"""Waivers: the product's audited suppressions, and the engine's judgement of them (WVR001-3).

A waived finding is still reported, marked waived, and does not count toward `--fail-on`.
A waiver that is malformed, unjustified (no word of its own), approved by someone who is not an
admin, approved by the author of a document it waives, expired, or expiring more than
`data.max_waiver_days` ahead is WVR003 and is never honoured.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Optional

from ..documents.secrets import mask_text
from ..documents.values import PLACEHOLDER
from ..findings import Finding, Severity
from .config import Config, parse_time
from .structure import waiver_problem_details


@dataclass
class _Waiver:
    index: int
    entry: dict
    rules: tuple
    documents: tuple
    approver: str
    expires: Optional[datetime]
    used: bool = False


def _normal(login) -> str:
    return str(login or "").strip().lstrip("@").lower()


def apply_waivers(findings: list, config: Config, now: datetime, authors: dict, judged_all: bool = True) -> list:
    """The findings with waived ones marked, followed by the WVR findings about the waivers.

    authors maps a document's id and path to the logins that wrote it (PR and commit authors).
    `judged_all` is False when the run judged some documents only (named files, the others read
    as context): a waiver matching none of their findings may match another's, so WVR002 ("matches
    no finding") is not said.
    """
    admins = admins_of(config)
    warning_days = int(config.data.get("waiver_warning_days", 7))
    max_days = int(config.data.get("max_waiver_days", 90))
    judged: list = []
    valid: list = []
    for index, entry in enumerate(config.waivers):
        problems = entry_problems(entry, admins)
        if not problems:
            waiver = _Waiver(index, entry, tuple(entry["rules"]), tuple(str(d) for d in entry["documents"]),
                             _normal(entry["approved_by"]), _end_of(entry["expires"]))
            lifetime = _expired(waiver, now) or _too_long(waiver, now, max_days)
            if lifetime:
                problems[("expires",)] = lifetime
        if problems:
            judged += [_about(config, ("waivers", index) + keys, Severity.ERROR, "WVR003", f"invalid waiver, not honoured: {reason}")
                       for keys, reason in problems.items()]
            continue
        if waiver.expires is not None and waiver.expires - now <= timedelta(days=warning_days):
            judged.append(_about(config, ("waivers", index), Severity.WARNING, "WVR001",
                                 f"waiver of {', '.join(waiver.rules)} expires on {entry['expires']}"))
        valid.append(waiver)
    if not valid:  # no waiver to honour: no finding to match
        return list(findings) + judged
    result = []
    self_approved: set = set()
    local_paths: dict = {}  # finding.path -> waiver_path of it: a document has many findings
    for finding in findings:
        local = local_paths.get(finding.path)
        if local is None:
            local = local_paths[finding.path] = waiver_path(finding.path, config.directory)
        matching = [w for w in valid if _matches(w, finding, local)]
        writers = authors.get(finding.document, set()) | authors.get(finding.path, set())
        self_approved.update(w.index for w in matching if w.approver in writers)
        waiver = next((w for w in matching if w.approver not in writers), None)
        if waiver is not None:
            waiver.used = True
            finding = replace(finding, waived=True)
        result.append(finding)
    for index in sorted(self_approved):
        judged.append(_about(config, ("waivers", index, "approved_by"), Severity.ERROR, "WVR003",
                             "invalid waiver: its approver wrote a document it waives; not honoured there"))
    for waiver in valid if judged_all else ():
        if not waiver.used and waiver.index not in self_approved:
            judged.append(_about(config, ("waivers", waiver.index), Severity.WARNING, "WVR002",
                                 f"waiver of {', '.join(waiver.rules)} matches no finding; remove it"))
    return result + judged


def waivers_hold_until(config: Config, now: datetime) -> Optional[datetime]:
    """The first moment after `now` at which `apply_waivers` could judge the configuration's
    waivers otherwise (one expires, comes within `waiver_warning_days` of expiring, or within
    `max_waiver_days` of now); `now` itself when that is any moment after it (a waiver holds
    through its last instant, `_expired`, and at `now` that instant is now); None when no
    waiver's judgement depends on the clock. The run cache replays a run's findings only before
    it (engine/replay/run_cache.py)."""
    if not config.waivers:
        return None
    warning = timedelta(days=int(config.data.get("waiver_warning_days", 7)))
    longest = timedelta(days=int(config.data.get("max_waiver_days", 90)))
    moments = []
    for entry in config.waivers:
        expires = entry.get("expires") if isinstance(entry, dict) else None
        end, start = _end_of(expires), parse_time(expires)
        if end is not None and end >= now:
            moments.append(end)
        for moment in (end and _earlier(end, warning), start and _earlier(start, longest)):
            if moment is not None and moment > now:
                moments.append(moment)
    return min(moments, default=None)


def _earlier(moment: datetime, by: timedelta) -> Optional[datetime]:
    try:
        return moment - by
    except OverflowError:
        return None


def _end_of(expires) -> Optional[datetime]:
    """A waiver holds through the whole day it expires on (9999-12-31: to the end of time)."""
    moment = parse_time(expires)
    if moment is not None and isinstance(expires, str) and len(expires.strip()) == 10:
        try:
            moment += timedelta(days=1)
        except OverflowError:
            moment = datetime.max.replace(tzinfo=moment.tzinfo)
    return moment


def entry_problems(entry, admins: set) -> dict:
    """Why a waiver entry can never be honoured, whatever the documents and the date, as {keys
    inside the entry: reason}: its shape's problems, then its approval's; one reason per key (a
    blank string breaks two of the schema's constraints). `policy check` and `policy validate`
    (and so the editor) both report each at its key."""
    problems: dict = {}
    for keys, message in waiver_problem_details(entry):
        problems.setdefault(tuple(keys), message)
    for key, message in approval_problems(entry, admins) if isinstance(entry, dict) else ():
        problems.setdefault((key,), message)
    return problems


def approval_problems(entry: dict, admins: set) -> list:
    """Why a waiver entry can never be honoured, whatever the documents and the date (`policy
    validate` says it too), as (the entry's key at fault, reason) pairs: no justification, an
    expiry that is no date, nobody or somebody else than an admin approving it. Keys the entry
    lacks or holds no string under are the shape's problems (`waiver_problem_details`), not these."""
    problems = []
    justification = entry.get("justification")
    if isinstance(justification, str) and not _says_something(justification):
        problems.append(("justification", f"its justification {justification[:40]!r} says nothing: write why the "
                                          "finding is acceptable (blank or invisible text, a [placeholder], TODO "
                                          "or TBD is no reason)"))
    expires = entry.get("expires")
    if isinstance(expires, str) and _end_of(expires) is None:
        problems.append(("expires", f"expires must be a date such as 2026-12-15; found {expires!r}"))
    approver = entry.get("approved_by")
    if isinstance(approver, str):
        if not admins:
            problems.append(("approved_by", "data.admins is empty, so no waiver can be approved (fail closed)"))
        elif _normal(approver) not in admins:
            problems.append(("approved_by", f"approved_by '{approver}' is not in data.admins"))
    return problems


_NOT_A_REASON = re.compile(r"\b(?:todo|tbd|tba|fixme|xxx|n/?a|none|justification|reason)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


def _says_something(justification: str) -> bool:
    """Whether a justification has a word of its own: not blank or invisible (a zero-width
    space), not a template placeholder (`[justification]`, by the documents' own rule), not
    TODO, TBD or the like."""
    return _WORD.search(_NOT_A_REASON.sub(" ", PLACEHOLDER.sub(" ", justification))) is not None


def admins_of(config: Config) -> set:
    """The logins that may approve a waiver (`data.admins`, without `@`, any case)."""
    return {_normal(a) for a in config.data.get("admins") or []}


def _expired(waiver: _Waiver, now: datetime) -> str:
    if waiver.expires < now:
        return f"it expired on {waiver.entry['expires']} (an expired waiver is never honoured)"
    return ""


def _too_long(waiver: _Waiver, now: datetime, max_days: int) -> str:
    """A waiver's lifetime is bounded: `expires` (its first moment) at most data.max_waiver_days
    after now. The format has no approval date, so the bound is measured from each run."""
    if parse_time(waiver.entry["expires"]) > now + timedelta(days=max_days):
        return (f"it expires on {waiver.entry['expires']}, more than data.max_waiver_days ({max_days}) days from "
                "now: a waiver is renewed, and approved again, at least that often")
    return ""


def waiver_path(path: str, directory) -> str:
    """A file finding's path relative to the config's folder (waiver globs are written so)."""
    if ":" in path or path in ("repository", "workspace", "-"):
        return path
    try:
        return os.path.relpath(os.path.abspath(path), directory).replace(os.sep, "/")
    except ValueError:
        return path


def _matches(waiver: _Waiver, finding: Finding, local_path: str) -> bool:
    if finding.rule not in waiver.rules:
        return False
    return any(pattern == finding.document or fnmatch.fnmatchcase(local_path, pattern)
               or fnmatch.fnmatchcase(finding.path, pattern) for pattern in waiver.documents)


def _about(config: Config, keys: tuple, severity: Severity, rule: str, message: str) -> Finding:
    """A finding about the config's waiver entry, at the place `keys` name in it; its message
    masked, as it may quote the entry (a token pasted as `approved_by`)."""
    loaded = config.loaded
    span = loaded.span_of(keys) if loaded is not None else None
    path = config.path or ".policy.yaml"
    return Finding(rule=rule, severity=severity, message=mask_text(message), path=path, span=span, policy="waivers",
                   kind="config", document=path)
