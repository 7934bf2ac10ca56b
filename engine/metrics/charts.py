"""The report's charts as inline SVG, drawn by pygal (pure Python: no browser, no network).

Charts are rendered without pygal's tooltip script (`js=[]`) and without the inline config
script pygal always adds, so the page runs and loads nothing; the SVG carries its own inline
style. Chart ids are fixed and the render-date comment dropped, so the same figures give the
same page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_THRESHOLD_STYLE = {"width": 3, "dasharray": "10, 6"}
_ONE_DAY = timedelta(days=1)


def _common() -> dict:
    from pygal.style import Style

    style = Style(background="white", plot_background="white", foreground="#222", foreground_strong="#111",
                  foreground_subtle="#777", colors=("#1f5fa8", "#c0392b", "#2e7d32"),
                  font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                  title_font_size=18, label_font_size=13, major_label_font_size=13, legend_font_size=13,
                  value_font_size=12, guide_stroke_color="#e2e2e2", guide_stroke_dasharray="0",
                  major_guide_stroke_color="#cfcfcf", major_guide_stroke_dasharray="0", stroke_width=2,
                  opacity=".9", opacity_hover=".9", transition="none")
    return {"js": [], "style": style, "width": 900, "height": 380, "disable_xml_declaration": True,
            "legend_at_bottom": True, "dots_size": 4, "print_values": False, "margin": 16}


def hotfixes_per_month_chart(per_month: list, limit: int) -> str:
    """Hotfixes each calendar month, with the seed's "more than 1 per month" line."""
    import pygal

    top = max([m["count"] for m in per_month] + [limit + 1])
    chart = pygal.Line(**_common(), title="Hotfixes per month", y_title="hotfixes", range=(0, top),
                       x_label_rotation=0, show_y_guides=True)
    chart.y_labels = list(range(0, top + 1, max(1, top // 8)))   # whole hotfixes only
    months, counts = [m["month"] for m in per_month], [m["count"] for m in per_month]
    if len(months) == 1:   # a line needs two ends: an unlabelled, valueless slot either side
        months, counts = ["", *months, ""], [None, *counts, None]
    chart.x_labels = months
    chart.add("Hotfixes", counts)
    chart.add(f"Warning line: more than {limit} per month", [limit] * len(months), show_dots=False,
              stroke_style=_THRESHOLD_STYLE)
    return _finish(chart.render(is_unicode=True), "hotfixes-per-month")


def resolution_chart(incidents: list, max_hours: float) -> str:
    """Time to resolution of each incident (hours) by when it was detected, with the
    `data.max_resolution_hours` line."""
    import pygal

    points = [(_parse(r["from"]), round(r["seconds"] / 3600, 2), r["incident"]) for r in incidents
              if r["seconds"] is not None and not r["open"]]
    chart = pygal.DateTimeLine(**_common(), title="Time to resolution (detection to fix deployed)",
                               y_title="hours", x_value_formatter=lambda moment: moment.strftime("%Y-%m-%d"),
                               x_label_rotation=20, range=(0, max([p[1] for p in points] + [max_hours]) * 1.1))
    chart.add("Time to resolution", [{"value": (moment, hours), "label": label} for moment, hours, label in points])
    if points:
        first, last = min(p[0] for p in points), max(p[0] for p in points)
        if first == last:   # one incident (or one day): a line needs two ends, a day either side
            first, last = first - _ONE_DAY, last + _ONE_DAY
        chart.add(f"Warning line: {max_hours} hours", [(first, max_hours), (last, max_hours)], show_dots=False,
                  stroke_style=_THRESHOLD_STYLE)
    return _finish(chart.render(is_unicode=True), "time-to-resolution")


def _finish(svg: str, name: str) -> str:
    """No script, no render-date comment, and a fixed chart id (pygal's is a random uuid)."""
    svg = re.sub(r"<script\b[^>]*>.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<!--Generated with pygal.*?-->", "", svg, flags=re.S)
    match = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    return svg.replace(match.group(1), name) if match else svg


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
