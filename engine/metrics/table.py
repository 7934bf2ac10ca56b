"""The report as a plain-text terminal table: aligned columns, no colour, no wide characters."""

from __future__ import annotations

from .resolution import minute_text
from .stats import duration_text

METHOD_TEXT = {"review_timeline": "review timeline (detected -> deployed)",
            "monitoring_update": "Declared -> first MONITORING", "open": "open: Declared -> now",
            "unknown": "not known"}
SOURCE_TEXT = {"git": "hotfix merges on main in git", "incident_records": "incident records with a Branch",
            "none": "no hotfix found"}


def columns(header: tuple, rows: list, indent: str = "  ") -> list:
    """Lines of left-aligned columns, two spaces apart, trailing spaces trimmed."""
    table = [tuple(str(cell) for cell in header)] + [tuple(str(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return [(indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths))).rstrip() for row in table]


def _yes(value) -> str:
    return "yes" if value else "no"


def _stats(figure: dict, what: str) -> str:
    return (f"  median {duration_text(figure['median_seconds'])}, p90 {duration_text(figure['p90_seconds'])}"
            f" ({figure['count']} {what})")


def table(metrics: dict) -> str:
    count = metrics["excluded"]
    excluded = f"; {count} {'file' if count == 1 else 'files'} excluded" if count else ""
    lines = [f"Hotfix metrics at {minute_text(metrics['now'])} ({metrics['documents']} documents{excluded})", ""]

    resolution = metrics["time_to_resolution"]
    lines.append("Time to resolution (detection to fix deployed)")
    rows = [(r["incident"], minute_text(r["from"]), minute_text(r["to"]), duration_text(r["seconds"]), METHOD_TEXT[r["method"]])
            for r in resolution["incidents"]]
    lines += columns(("incident", "from", "to", "time", "measured by"), rows) if rows else ["  no incident records"]
    lines += [_stats(resolution, "resolved incidents; open ones left out"), ""]

    impact = metrics["impact_duration"]
    lines.append("Impact duration")
    rows = [(r["incident"], duration_text(r["seconds"]), r["source"] or "not known") for r in impact["incidents"]]
    lines += columns(("incident", "duration", "from"), rows) if rows else ["  no incident records"]
    lines += [_stats(impact, "incidents with a Duration"), ""]

    hotfixes = metrics["hotfixes"]
    limit = metrics["thresholds"]["hotfixes_per_month"]
    lines.append(f"Hotfixes per month (UTC; {SOURCE_TEXT[hotfixes['source']]})")
    rows = [(m["month"], m["count"], f"more than {limit}" if m["count"] > limit else "") for m in hotfixes["per_month"]]
    lines += columns(("month", "hotfixes", "warning"), rows) if rows else ["  none"]
    lines.append("")

    escapes = metrics["quality_escapes"]
    lines.append(f"Quality escapes (incidents caused by an earlier hotfix, {escapes['rule']}): {escapes['count']}")
    lines += [f"  {e['message']}" if e["message"].startswith(e["incident"]) else f"  {e['incident']}: {e['message']}"
              for e in escapes["escapes"]]
    lines.append("")

    adherence = metrics["process_adherence"]
    share = "-" if adherence["share"] is None else f"{adherence['share'] * 100:.0f}%"
    lines.append(f"Process adherence: {adherence['complete']} of {adherence['hotfixes']} hotfixes ({share}) "
                 "with a complete audit trail")
    rows = [(a["hotfix"], a["incident"] or "-", _yes(a["incident_record"]), _yes(a["justification"]),
             _yes(a["testing_evidence"]), _yes(a["review"]), _yes(a["complete"])) for a in adherence["items"]]
    if rows:
        lines += columns(("hotfix", "incident", "record", "justification", "testing", "review", "complete"), rows)
    lines.append("")

    lines.append("Warning signs")
    rows = [(s["name"], s["threshold"], sign_value(s), "RAISED" if s["raised"] else "no") for s in metrics["warning_signs"]]
    lines += columns(("sign", "threshold", "value", "raised"), rows)
    for sign in metrics["warning_signs"]:
        if sign["raised"]:
            lines.append(f"  {sign['name']}: {', '.join(sign['details'])}")
    return "\n".join(lines) + "\n"


def sign_value(sign: dict) -> str:
    if not sign["known"] or sign["value"] is None:
        return "not known"
    value = sign["value"]
    if sign["unit"] == "hours":
        return duration_text(value * 3600)
    return str(value)
