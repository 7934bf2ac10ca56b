"""The run's hotfixes, how many reached production each calendar month, and their audit trail.

A hotfix is what the built-in pack's WS001 counts: each hotfix merge into main that git knows
(the repository document's `merges` with a date) when there is any, else each incident record
that names a Branch (dated by its Declared). Months are calendar months in UTC.

Process adherence follows the seed's "Audit Trail Requirements": a hotfix's trail is complete
when it has an incident record, a justification (a hotfix PR for it whose Emergency
Justification is filled in), testing evidence (that PR's required testing boxes, "Existing
tests pass" and "New test validates fix", checked, as PR006 requires) and a post-incident
review of its incident.

Pure: documents' data in, plain JSON-ready dicts out.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from .resolution import incident_label, iso, reviews_by_incident

REQUIRED_TESTING = ("Existing tests pass", "New test validates fix")
TRAIL = ("incident_record", "justification", "testing_evidence", "review")


def hotfix_list(documents: list, changed_files: Optional[dict] = None) -> dict:
    """`{source: git|incident_records|none, items: [...]}`, oldest first.

    `changed_files` maps a merge's sha to how many files it changed on main (None: unknown).
    """
    changed_files = changed_files or {}
    incidents = [d for d in documents if d.kind == "incident"]
    by_branch = {}
    for document in incidents:
        branch = document.data.get("branch")
        if isinstance(branch, str) and branch:
            by_branch.setdefault(branch, document)
    merges = []
    for document in documents:
        if document.kind == "repository":
            merges += [m for m in document.data.get("merges") or [] if isinstance(m.get("date"), datetime)]
    items = []
    if merges:
        source = "git"
        for merge in merges:
            branch = merge.get("branch")
            record = by_branch.get(branch) if branch else None
            items.append({"key": branch or merge.get("sha"), "branch": branch, "sha": merge.get("sha"),
                          "date": merge["date"], "record": record,
                          "changed_files": changed_files.get(merge.get("sha"))})
    else:
        dated = [d for d in incidents if d.data.get("branch") and isinstance(d.data.get("declared"), datetime)]
        source = "incident_records" if dated else "none"
        for document in dated:
            items.append({"key": document.data["branch"], "branch": document.data["branch"], "sha": None,
                          "date": document.data["declared"], "record": document, "changed_files": None})
    items.sort(key=lambda item: (item["date"], str(item["key"])))
    return {"source": source, "items": items}


def month_of(moment: datetime) -> str:
    """`2026-11`: the calendar month in UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m")


def per_month(items: list) -> list:
    """`[{month, count, hotfixes}]` for every month from the first hotfix's to the last's
    (months without a hotfix included, with count 0)."""
    if not items:
        return []
    counts: dict = {}
    for item in items:
        counts.setdefault(month_of(item["date"]), []).append(str(item["key"]))
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        label = f"{year:04d}-{month:02d}"
        months.append({"month": label, "count": len(counts.get(label, [])), "hotfixes": counts.get(label, [])})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def hotfix_json(item: dict) -> dict:
    record = item["record"]
    return {"key": item["key"], "branch": item["branch"], "sha": item["sha"], "date": iso(item["date"]),
            "month": month_of(item["date"]), "incident": incident_label(record) if record is not None else None,
            "changed_files": item["changed_files"]}


def adherence(items: list, documents: list) -> dict:
    """`{hotfixes, complete, share, items: [{hotfix, incident, pull_request, <TRAIL>..., complete}]}`."""
    reviews = reviews_by_incident(documents)
    pulls = [d for d in documents if d.kind == "pull_request"]
    incidents = {d.data.get("number"): d for d in documents
                 if d.kind == "incident" and isinstance(d.data.get("number"), int)}
    rows = []
    for item in items:
        record = item["record"]
        pull = _pull_request_for(item, record, pulls)
        if record is None and pull is not None:
            record = incidents.get(_reference(pull.data))
        number = record.data.get("number") if record is not None else None
        row = {"hotfix": item["key"],
               "incident": incident_label(record) if record is not None else None,
               "pull_request": (pull.id or pull.path) if pull is not None else None,
               "incident_record": record is not None,
               "justification": pull is not None and bool(str(pull.data.get("emergency_justification") or "").strip()),
               "testing_evidence": pull is not None and _testing_checked(pull.data),
               "review": isinstance(number, int) and bool(reviews.get(number))}
        row["complete"] = all(row[part] for part in TRAIL)
        rows.append(row)
    complete = sum(1 for row in rows if row["complete"])
    return {"hotfixes": len(rows), "complete": complete,
            "share": round(complete / len(rows), 4) if rows else None, "items": rows}


def _pull_request_for(item: dict, record, pulls: list):
    """The hotfix PR for a hotfix: one naming its incident, else one whose head is its branch."""
    number = record.data.get("number") if record is not None else None
    if isinstance(number, int):
        for pull in pulls:
            if _reference(pull.data) == number:
                return pull
    branch = item.get("branch")
    if branch:
        for pull in pulls:
            if pull.data.get("head") == branch:
                return pull
    return None


def _reference(data: dict) -> Optional[int]:
    for reference in (data.get("incident_reference"), (data.get("bypass") or {}).get("incident")):
        number = (reference or {}).get("number")
        if isinstance(number, int):
            return number
    return None


def _testing_checked(data: dict) -> bool:
    """Each required box is there and checked (as PR006 reads them: the line starts with it)."""
    entries = [e for e in data.get("testing_performed") or [] if isinstance(e.get("text"), str)]
    return all(any(e.get("checked") and e["text"].strip().lower().startswith(name.lower()) for e in entries)
               for name in REQUIRED_TESTING)
