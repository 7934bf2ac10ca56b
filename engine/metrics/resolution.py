"""Time to resolution and impact duration per incident: the seed's first two success metrics.

Time to resolution is the seed's "from detection to fix deployed", read as the built-in pack's
WS003 reads it: from the incident's review timeline (its first entry mentioning "detected" to
its first entry mentioning "deployed") when a review of the incident has both, else from the
record (Declared to the first MONITORING update: the fix is deployed and being watched). An
incident still open with neither is measured until the run's time and marked open; open
incidents are listed but left out of the median and p90. Impact duration is the resolution's
Duration, else the review's Duration.

Pure: documents' data in, plain JSON-ready dicts out.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Optional

from .stats import summary

_DETECTED = re.compile(r"\bdetected\b", re.IGNORECASE)
_DEPLOYED = re.compile(r"\bdeployed\b", re.IGNORECASE)
_FINISHED = ("RESOLVED", "CLOSED")


def reviews_by_incident(documents: list) -> dict:
    """Incident number -> its reviews' data, in document order."""
    reviews: dict = {}
    for document in documents:
        if document.kind != "post_incident_review":
            continue
        number = (document.data.get("incident") or {}).get("number")
        if isinstance(number, int):
            reviews.setdefault(number, []).append(document.data)
    return reviews


def incident_label(document) -> str:
    """How the report names an incident: its id (`INC-2041`), else its path."""
    return str(document.data.get("id") or document.id or document.path)


def time_to_resolution(documents: list, now: datetime) -> dict:
    """`{incidents: [...], count, median_seconds, p90_seconds}` over every incident record."""
    reviews = reviews_by_incident(documents)
    rows = []
    for document in documents:
        if document.kind != "incident":
            continue
        data = document.data
        row = {"incident": incident_label(document), "path": document.path, "method": "unknown",
               "from": None, "to": None, "seconds": None, "open": False}
        measured = _from_review(reviews.get(data.get("number"), [])) or _from_record(data)
        if measured is not None:
            row["from"], row["to"], row["method"] = measured
        elif isinstance(data.get("declared"), datetime) and _is_open(data):
            row.update({"from": data["declared"], "to": now, "method": "open", "open": True})
        if row["from"] is not None:
            row["seconds"] = _seconds(row["to"] - row["from"])
        rows.append(row)
    rows.sort(key=_chronological)
    measured_seconds = [row["seconds"] for row in rows if row["seconds"] is not None and not row["open"]]
    return {"incidents": [_json_times(row) for row in rows], **summary(measured_seconds)}


def impact_duration(documents: list) -> dict:
    """`{incidents: [...], count, median_seconds, p90_seconds}`: each incident's Duration."""
    reviews = reviews_by_incident(documents)
    rows = []
    for document in documents:
        if document.kind != "incident":
            continue
        data = document.data
        row = {"incident": incident_label(document), "path": document.path, "source": None, "seconds": None}
        duration = (data.get("resolution") or {}).get("duration")
        if isinstance(duration, timedelta):
            row.update(source="resolution", seconds=_seconds(duration))
        else:
            review = next((r for r in reviews.get(data.get("number"), []) if isinstance(r.get("duration"), timedelta)),
                          None)
            if review is not None:
                row.update(source="review", seconds=_seconds(review["duration"]))
        rows.append(row)
    return {"incidents": rows, **summary([row["seconds"] for row in rows if row["seconds"] is not None])}


def _from_review(reviews: list) -> Optional[tuple]:
    """(detected, deployed, "review_timeline") from the first review whose timeline has both."""
    for review in reviews:
        entries = [e for e in review.get("timeline") or []
                   if isinstance(e.get("time"), datetime) and isinstance(e.get("text"), str)]
        detected = next((e["time"] for e in entries if _DETECTED.search(e["text"])), None)
        deployed = next((e["time"] for e in entries if _DEPLOYED.search(e["text"])), None)
        if detected is not None and deployed is not None:
            return detected, deployed, "review_timeline"
    return None


def _from_record(data: dict) -> Optional[tuple]:
    """(Declared, first MONITORING update, "monitoring_update") when the record has both."""
    declared = data.get("declared")
    if not isinstance(declared, datetime):
        return None
    for update in data.get("updates") or []:
        if update.get("status") == "MONITORING" and isinstance(update.get("time"), datetime):
            return declared, update["time"], "monitoring_update"
    return None


def _is_open(data: dict) -> bool:
    return not data.get("resolution") and not data.get("closed") and data.get("current_status") not in _FINISHED


def _seconds(delta: timedelta):
    seconds = delta.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _chronological(row: dict):
    start = row["from"]
    return (start is None, start.timestamp() if start is not None else 0, row["incident"])


def _json_times(row: dict) -> dict:
    return {**row, "from": iso(row["from"]), "to": iso(row["to"])}


def minute_text(text: Optional[str]) -> str:
    """A time of the metrics (`iso`'s form) as the table and the page show it, to the minute
    (`2026-11-20 09:05Z`), whatever the clock's seconds; `-` for none."""
    if text is None:
        return "-"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%MZ")


def iso(moment: Optional[datetime]) -> Optional[str]:
    """RFC 3339 in UTC with a `Z` (`2026-11-20T09:05:00Z`), or None."""
    if moment is None:
        return None
    text = moment.astimezone(timezone.utc).isoformat()
    return text.replace("+00:00", "Z")
