"""`policy report`'s three outputs and its command line: table, JSON, the self-contained page."""

from __future__ import annotations

import json
import re

import pytest

from hotfix_policy.cli.main import main
from hotfix_policy.engine.metrics import compute, gather, render

from .conftest import NOW


@pytest.fixture
def metrics(records):
    return compute(gather([str(records)], now=NOW))


def test_json_keys_are_stable(metrics):
    parsed = json.loads(render(metrics, "json"))
    assert list(parsed) == ["version", "now", "documents", "excluded", "thresholds", "time_to_resolution", "impact_duration",
                            "hotfixes", "quality_escapes", "process_adherence", "warning_signs"]
    assert parsed["version"] == 1 and parsed["now"] == NOW
    assert list(parsed["time_to_resolution"]) == ["incidents", "count", "median_seconds", "p90_seconds"]
    assert list(parsed["time_to_resolution"]["incidents"][0]) == ["incident", "path", "method", "from", "to",
                                                                   "seconds", "open"]
    assert list(parsed["impact_duration"]["incidents"][0]) == ["incident", "path", "source", "seconds"]
    assert list(parsed["hotfixes"]) == ["source", "count", "items", "per_month"]
    assert list(parsed["hotfixes"]["items"][0]) == ["key", "branch", "sha", "date", "month", "incident",
                                                    "changed_files"]
    assert list(parsed["quality_escapes"]) == ["rule", "count", "escapes"]
    assert list(parsed["process_adherence"]) == ["hotfixes", "complete", "share", "items"]
    assert list(parsed["process_adherence"]["items"][0]) == ["hotfix", "incident", "pull_request", "incident_record",
                                                             "justification", "testing_evidence", "review", "complete"]
    assert list(parsed["warning_signs"][0]) == ["id", "name", "threshold", "unit", "limit", "value", "raised",
                                                "known", "details"]
    assert render(metrics, "json") == render(metrics, "json")


def test_table(metrics):
    text = render(metrics, "table")
    assert "median 1h 20m, p90 5h 0m (3 resolved incidents; open ones left out)" in text
    assert "median 1h 30m, p90 5h 30m (4 incidents with a Duration)" in text
    assert "Process adherence: 1 of 3 hotfixes (33%) with a complete audit trail" in text
    assert "Quality escapes (incidents caused by an earlier hotfix, WS002): 1" in text
    assert re.search(r"^  2026-09 +2 +more than 1$", text, re.M)
    assert re.search(r"^  2026-10 +0$", text, re.M)
    assert re.search(r"^  Scope creep +more than 10 changed files .* +not known +no$", text, re.M)
    assert "  Long resolution times: INC-102, INC-104 (open)" in text
    # Aligned: every row of the adherence table starts its columns where the header does.
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  hotfix  ") or line.startswith("  hotfix ")))
    header = lines[start]
    for row in lines[start + 1:start + 4]:
        assert row[header.index("incident")] != " " and row[header.index("incident") - 1] == " "


def test_html_is_self_contained_and_prints(metrics):
    page = render(metrics, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page, re.I)
    assert "@import" not in page
    charts = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(charts) == 2
    months, resolution = charts
    assert "Hotfixes per month" in months and "more than 1 per month" in months
    assert "Time to resolution" in resolution and "4 hours" in resolution
    # Data points: pygal draws each value as a dot: 3 months; 3 resolved incidents.
    assert len(re.findall(r'<circle[^>]*class="dot', months)) == 3
    assert len(re.findall(r'<circle[^>]*class="dot', resolution)) == 3
    assert render(metrics, "html") == page   # no random ids or dates: same figures, same page


def test_the_header_shows_minutes_whatever_the_clock_says(records, capsys):
    """Unpinned, the clock has seconds and microseconds: the table and the page show minutes."""
    assert main(["report", str(records), "--now", "2026-11-05T15:00:42.123456Z"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("Hotfix metrics at 2026-11-05 15:00Z (")
    assert main(["report", str(records), "--now", "2026-11-05T15:00:42.123456Z", "--format", "html"]) == 0
    assert "At 2026-11-05 15:00Z from" in capsys.readouterr().out


def test_cli_formats_and_output(records, tmp_path, capsys):
    assert main(["report", str(records), "--now", NOW]) == 0
    assert "Hotfix metrics at 2026-11-05 15:00Z" in capsys.readouterr().out
    target = tmp_path / "out" / "metrics.json"
    target.parent.mkdir()
    assert main(["report", str(records), "--now", NOW, "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["hotfixes"]["count"] == 3
    page = tmp_path / "metrics.html"
    assert main(["report", str(records), "--now", NOW, "--format", "html", "--output", str(page)]) == 0
    assert "<svg" in page.read_text()


@pytest.mark.parametrize("args, message", [
    (["--now", "yesterday"], "--now must be a time"),
    (["--config", "missing.yaml"], "no such configuration file"),
    (["-"], "not stdin"),
    (["no/such/folder"], "no such file or directory"),
])
def test_cli_mistakes_are_one_line_exit_2(records, capsys, args, message, monkeypatch):
    monkeypatch.chdir(records)
    assert main(["report", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_unwritable_output(records, capsys):
    assert main(["report", str(records), "--now", NOW, "--output", str(records / "no" / "such" / "x.txt")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_cli_html_without_pygal_is_one_line(records, capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pygal", None)
    assert main(["report", str(records), "--now", NOW, "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "needs pygal" in err and len(err.strip().splitlines()) == 1


def _threshold_line_ends(svg: str) -> list:
    """The x of each point of the warning line (the second series) as pygal draws it."""
    path = re.search(r'class="series serie-1 color-1"><path d="M([^"]*)" class="line', svg)
    assert path, "no warning line drawn"
    numbers = [float(n) for n in re.findall(r"-?[0-9.]+", path.group(1))]
    return numbers[0::2]


def test_threshold_lines_are_drawn_with_a_single_data_point():
    """One hotfix, one resolved incident: the legend names the warning line, so it is drawn."""
    from hotfix_policy.engine.metrics.charts import hotfixes_per_month_chart, resolution_chart

    months = hotfixes_per_month_chart([{"month": "2026-10", "count": 1}], 1)
    assert "more than 1 per month" in months
    assert len(re.findall(r'<circle[^>]*class="dot', months)) == 1      # the one month, nothing made up
    xs = _threshold_line_ends(months)
    assert len(xs) >= 2 and max(xs) - min(xs) > 100
    resolution = resolution_chart([{"incident": "INC-1", "from": "2026-10-27T13:00:00Z", "seconds": 7200,
                                    "open": False}], 4)
    assert len(re.findall(r'<circle[^>]*class="dot', resolution)) == 1
    xs = _threshold_line_ends(resolution)
    assert len(xs) >= 2 and max(xs) - min(xs) > 100
