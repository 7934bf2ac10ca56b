"""The seed's warning signs ("Review Process if These Occur"), each with its threshold.

* Frequent hotfixes: more than 1 hotfix in a calendar month (UTC).
* Hotfix-induced issues: any quality escape (a WS002 finding).
* Long resolution times: a time to resolution above `data.max_resolution_hours` (an open
  incident counts with its time so far, as WS003 counts it).
* Scope creep: a hotfix that changed more than `data.max_hotfix_files` files, where the number
  is known (git merges); "not known" when no hotfix's number is.

Pure: the computed figures in, `[{id, name, threshold, unit, limit, value, raised, known,
details}]` out (`value` and `limit` in `unit`).
"""

from __future__ import annotations

HOTFIXES_PER_MONTH = 1
"""The seed's "more than 1 per month" line."""


def warning_signs(months: list, escapes: dict, resolution: dict, hotfixes: list, data: dict) -> list:
    max_hours = data.get("max_resolution_hours", 4)
    max_files = data.get("max_hotfix_files", 10)
    busy = [m for m in months if m["count"] > HOTFIXES_PER_MONTH]
    timed = [r for r in resolution["incidents"] if r["seconds"] is not None]
    slow = [r for r in timed if r["seconds"] > max_hours * 3600]
    counted = [h for h in hotfixes if h["changed_files"] is not None]
    wide = [h for h in counted if h["changed_files"] > max_files]
    return [
        {"id": "frequent_hotfixes", "name": "Frequent hotfixes",
         "threshold": f"more than {HOTFIXES_PER_MONTH} hotfix in a calendar month",
         "unit": "hotfixes", "limit": HOTFIXES_PER_MONTH, "value": max((m["count"] for m in months), default=0),
         "raised": bool(busy), "known": True,
         "details": [f"{m['month']}: {m['count']} hotfixes" for m in busy]},
        {"id": "hotfix_induced_issues", "name": "Hotfix-induced issues",
         "threshold": "any incident caused by an earlier hotfix (WS002)",
         "unit": "incidents", "limit": 0, "value": escapes["count"], "raised": escapes["count"] > 0, "known": True,
         "details": [e["incident"] for e in escapes["escapes"]]},
        {"id": "long_resolution_times", "name": "Long resolution times",
         "threshold": f"time to resolution above {max_hours} hours (data.max_resolution_hours)",
         "unit": "hours", "limit": max_hours,
         "value": round(max(r["seconds"] for r in timed) / 3600, 2) if timed else None,
         "raised": bool(slow), "known": bool(timed),
         "details": [r["incident"] + (" (open)" if r["open"] else "") for r in slow]},
        {"id": "scope_creep", "name": "Scope creep",
         "threshold": f"more than {max_files} changed files in a hotfix (data.max_hotfix_files)",
         "unit": "files", "limit": max_files, "value": max((h["changed_files"] for h in counted), default=None),
         "raised": bool(wide), "known": bool(counted),
         "details": [f"{h['key']}: {h['changed_files']} files" for h in wide]},
    ]
