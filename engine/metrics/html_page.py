"""The report as one self-contained HTML page: inline CSS, inline SVG charts, nothing fetched.

It opens from a file with no network, and prints (A4 or Letter) with each section kept whole
where it fits, charts scaled to the page and the warning signs first.
"""

from __future__ import annotations

from html import escape

from .charts import hotfixes_per_month_chart, resolution_chart
from .resolution import minute_text
from .stats import duration_text
from .table import METHOD_TEXT, SOURCE_TEXT, sign_value

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #fff;
       margin: 0 auto; max-width: 980px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
p.meta { color: #555; margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 10px 14px; }
.card .label { font-size: .85rem; color: #555; }
.card .figure { font-size: 1.4rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.id, td.num { white-space: nowrap; }
.raised { color: #a61b1b; font-weight: 700; }
.ok { color: #2e7d32; }
.no { color: #a61b1b; }
figure { margin: 12px 0; }
figure svg { width: 100%; height: auto; display: block; }
section { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .card { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { margin: 15mm; }
"""


def _cells(row: tuple, numeric: tuple = ()) -> str:
    return "".join(f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>" for i, cell in enumerate(row))


def _table(header: tuple, rows: list, numeric: tuple = ()) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(f"<tr>{_cells(row, numeric)}</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _id(text) -> str:
    """An incident id or hotfix branch that must not break at its hyphens."""
    return f'<span class="id">{escape(text)}</span>' if text else "-"


def _yes(value: bool) -> str:
    return '<span class="ok">yes</span>' if value else '<span class="no">no</span>'


def _when(text) -> str:
    return escape(minute_text(text))


def _card(label: str, figure: str) -> str:
    return f'<div class="card"><div class="label">{escape(label)}</div><div class="figure">{escape(figure)}</div></div>'


def html_page(metrics: dict) -> str:
    resolution, impact = metrics["time_to_resolution"], metrics["impact_duration"]
    hotfixes, escapes = metrics["hotfixes"], metrics["quality_escapes"]
    adherence, thresholds = metrics["process_adherence"], metrics["thresholds"]
    share = "-" if adherence["share"] is None else f"{adherence['share'] * 100:.0f}%"
    raised = [s for s in metrics["warning_signs"] if s["raised"]]
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Hotfix metrics</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<h1>Hotfix metrics</h1>",
        f'<p class="meta">At {_when(metrics["now"])} from {metrics["documents"]} documents. '
        f'{len(raised)} of {len(metrics["warning_signs"])} warning signs raised.</p>',
        '<div class="cards">',
        _card("Time to resolution, median / p90",
              f"{duration_text(resolution['median_seconds'])} / {duration_text(resolution['p90_seconds'])}"),
        _card("Impact duration, median / p90",
              f"{duration_text(impact['median_seconds'])} / {duration_text(impact['p90_seconds'])}"),
        _card("Hotfixes", str(hotfixes["count"])),
        _card("Quality escapes", str(escapes["count"])),
        _card("Complete audit trail", f"{adherence['complete']} of {adherence['hotfixes']} ({share})"),
        "</div>",
        "<section><h2>Warning signs</h2>",
        _table(("Sign", "Threshold", "Value", "Raised", "Where"),
               [(escape(s["name"]), escape(s["threshold"]), escape(sign_value(s)),
                 '<span class="raised">RAISED</span>' if s["raised"] else '<span class="ok">no</span>',
                 escape(", ".join(s["details"]))) for s in metrics["warning_signs"]]),
        "</section>",
        f"<section><h2>Hotfixes per month</h2><p>Calendar months in UTC, from {escape(SOURCE_TEXT[hotfixes['source']])}.</p>",
        f"<figure>{hotfixes_per_month_chart(hotfixes['per_month'], thresholds['hotfixes_per_month'])}</figure>"
        if hotfixes["per_month"] else "<p>No hotfix found.</p>",
        _table(("Month", "Hotfixes", "Which"),
               [(escape(m["month"]), m["count"], escape(", ".join(m["hotfixes"]))) for m in hotfixes["per_month"]],
               numeric=(1,)),
        "</section>",
        "<section><h2>Time to resolution</h2>",
        "<p>From detection to fix deployed: the review's timeline (first entry mentioning \u201cdetected\u201d to "
        "the first mentioning \u201cdeployed\u201d), else Declared to the first MONITORING update. "
        f"Median {escape(duration_text(resolution['median_seconds']))}, "
        f"p90 {escape(duration_text(resolution['p90_seconds']))} over {resolution['count']} resolved incidents.</p>",
        f"<figure>{resolution_chart(resolution['incidents'], thresholds['max_resolution_hours'])}</figure>"
        if resolution["count"] else "<p>No resolved incident to chart.</p>",
        _table(("Incident", "From", "To", "Time", "Measured by"),
               [(_id(r["incident"]), _when(r["from"]), _when(r["to"]), escape(duration_text(r["seconds"])),
                 escape(METHOD_TEXT[r["method"]])) for r in resolution["incidents"]], numeric=(3,)),
        "</section>",
        "<section><h2>Impact duration</h2>",
        f"<p>Median {escape(duration_text(impact['median_seconds']))}, p90 {escape(duration_text(impact['p90_seconds']))} "
        f"over {impact['count']} incidents with a Duration.</p>",
        _table(("Incident", "Duration", "From"),
               [(_id(r["incident"]), escape(duration_text(r["seconds"])), escape(r["source"] or "not known"))
                for r in impact["incidents"]], numeric=(1,)),
        "</section>",
        f"<section><h2>Quality escapes ({escape(escapes['rule'])})</h2>",
        _table(("Incident", "Finding"), [(_id(e["incident"]), escape(e["message"])) for e in escapes["escapes"]]),
        "</section>",
        f"<section><h2>Process adherence</h2><p>{adherence['complete']} of {adherence['hotfixes']} hotfixes "
        f"({share}) have a complete audit trail: incident record, justification, testing evidence and a "
        "post-incident review.</p>",
        _table(("Hotfix", "Incident", "Pull request", "Record", "Justification", "Testing", "Review", "Complete"),
               [(escape(a["hotfix"]), _id(a["incident"]), _id(a["pull_request"]),
                 _yes(a["incident_record"]), _yes(a["justification"]), _yes(a["testing_evidence"]),
                 _yes(a["review"]), _yes(a["complete"])) for a in adherence["items"]]),
        "</section>",
        "</body>", "</html>",
    ]
    return "\n".join(parts) + "\n"
