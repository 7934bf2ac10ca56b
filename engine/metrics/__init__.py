"""The seed's "Hotfix Metrics and Monitoring" figures for `policy report`.

    gather(paths, config_path=None, now=None) -> Gathered      the run's documents, time, ctx, git
    compute(gathered) -> dict                                  every figure, JSON-ready (docs/metrics.md)
    render(metrics, format) -> str                             "table", "json" or "html"

Each figure has its own small module (`resolution`, `hotfixes`, `escapes`, `signs`), computed
from documents' data; `collect` (its `gather`) is the only one that reads files and git.
"""

from __future__ import annotations

FORMATS = ("table", "json", "html")
VERSION = 1


def gather(paths, *, config_path=None, now=None, github_event=None):
    from .collect import gather as gather_inputs

    return gather_inputs(paths, config_path=config_path, now=now, github_event=github_event)


def compute(gathered) -> dict:
    """Every figure of the report as plain data with stable keys (docs/metrics.md)."""
    from .escapes import quality_escapes
    from .hotfixes import adherence, hotfix_json, hotfix_list, per_month
    from .resolution import impact_duration, iso, time_to_resolution
    from .signs import HOTFIXES_PER_MONTH, warning_signs

    documents, data = gathered.documents, gathered.config.data
    resolution = time_to_resolution(documents, gathered.now)
    hotfixes = hotfix_list(documents, gathered.changed_files)
    months = per_month(hotfixes["items"])
    items = [hotfix_json(item) for item in hotfixes["items"]]
    escapes = quality_escapes(documents, gathered.ctx, gathered.now, gathered.config)
    return {
        "version": VERSION,
        "now": iso(gathered.now),
        "documents": len(documents),
        "excluded": len(gathered.discovered.excluded),
        "thresholds": {"hotfixes_per_month": HOTFIXES_PER_MONTH,
                       "max_resolution_hours": data.get("max_resolution_hours", 4),
                       "max_hotfix_files": data.get("max_hotfix_files", 10)},
        "time_to_resolution": resolution,
        "impact_duration": impact_duration(documents),
        "hotfixes": {"source": hotfixes["source"], "count": len(items), "items": items, "per_month": months},
        "quality_escapes": escapes,
        "process_adherence": adherence(hotfixes["items"], documents),
        "warning_signs": warning_signs(months, escapes, resolution, items, data),
    }


def render(metrics: dict, format: str) -> str:
    """The figures in `format`, one of FORMATS (`policy report --format`)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}")
    if format == "json":
        import json

        return json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"
    if format == "html":
        from .html_page import html_page

        return html_page(metrics)
    from .table import table

    return table(metrics)
