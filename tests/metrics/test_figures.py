"""Every figure of `policy report` on fixture repositories whose answers are worked out by hand."""

from __future__ import annotations

import shutil

import pytest

from hotfix_policy.engine.metrics import compute, gather

from .conftest import NOW
from .fixtures import GitRepo, incident, pull_request, review, write


def report(root, **options) -> dict:
    return compute(gather([str(root)], now=NOW, **options))


def by_incident(rows: list) -> dict:
    return {row["incident"]: row for row in rows}


def test_time_to_resolution(records):
    figure = report(records)["time_to_resolution"]
    rows = by_incident(figure["incidents"])
    assert {k: (r["method"], r["seconds"], r["open"]) for k, r in rows.items()} == {
        "INC-101": ("review_timeline", 80 * 60, False),
        "INC-102": ("monitoring_update", 5 * 3600, False),
        "INC-103": ("monitoring_update", 45 * 60, False),
        "INC-104": ("open", 6 * 3600, True),
        "INC-105": ("unknown", None, False),
    }
    assert rows["INC-101"]["from"] == "2026-09-03T09:50:00Z" and rows["INC-101"]["to"] == "2026-09-03T11:10:00Z"
    assert rows["INC-104"]["to"] == NOW
    # Chronological by detection, unknown last.
    assert [r["incident"] for r in figure["incidents"]] == ["INC-101", "INC-102", "INC-103", "INC-104", "INC-105"]
    # Resolved ones only: 45m, 80m, 5h -> median 80m; p90 is rank ceil(0.9 * 3) = 3: 5h.
    assert (figure["count"], figure["median_seconds"], figure["p90_seconds"]) == (3, 80 * 60, 5 * 3600)


def test_impact_duration(records):
    figure = report(records)["impact_duration"]
    rows = by_incident(figure["incidents"])
    assert {k: (r["source"], r["seconds"]) for k, r in rows.items()} == {
        "INC-101": ("resolution", 7200), "INC-102": ("review", 19800), "INC-103": ("resolution", 3600),
        "INC-104": (None, None), "INC-105": ("resolution", 2700)}
    # 45m, 1h, 2h, 5h30m: median (1h + 2h) / 2; p90 rank ceil(3.6) = 4.
    assert (figure["count"], figure["median_seconds"], figure["p90_seconds"]) == (4, 5400, 19800)


def test_hotfixes_per_month_from_records(records):
    hotfixes = report(records)["hotfixes"]
    assert hotfixes["source"] == "incident_records" and hotfixes["count"] == 3
    assert [(h["key"], h["month"], h["incident"]) for h in hotfixes["items"]] == [
        ("hotfix/v2.0.1-cart", "2026-09", "INC-101"), ("hotfix/v2.0.2-login", "2026-09", "INC-102"),
        ("hotfix/v2.0.3-cart-total", "2026-11", "INC-103")]
    assert [(m["month"], m["count"]) for m in hotfixes["per_month"]] == [("2026-09", 2), ("2026-10", 0), ("2026-11", 1)]


def test_quality_escapes_are_ws002(records):
    escapes = report(records)["quality_escapes"]
    assert escapes["rule"] == "WS002" and escapes["count"] == 1
    [escape] = escapes["escapes"]
    assert escape["incident"] == "INC-103" and escape["path"].endswith("INC-103.md")
    assert "hotfix/v2.0.1-cart" in escape["message"]


def test_quality_escapes_ignore_overrides_and_waivers(records):
    (records / ".policy.yaml").write_text("packs: [builtin:hotfix]\nrules: {WS002: off}\n")
    assert report(records)["quality_escapes"]["count"] == 1


def test_process_adherence(records):
    figure = report(records)["process_adherence"]
    assert (figure["hotfixes"], figure["complete"], figure["share"]) == (3, 1, 0.3333)
    rows = {row["hotfix"]: row for row in figure["items"]}
    parts = ("incident_record", "justification", "testing_evidence", "review", "complete")
    assert {k: tuple(r[p] for p in parts) for k, r in rows.items()} == {
        "hotfix/v2.0.1-cart": (True, True, True, True, True),
        "hotfix/v2.0.2-login": (True, True, False, True, False),
        "hotfix/v2.0.3-cart-total": (True, False, False, False, False)}
    assert rows["hotfix/v2.0.1-cart"]["pull_request"].endswith("pr-101.md")
    assert rows["hotfix/v2.0.3-cart-total"]["pull_request"] is None


def test_justification_left_as_placeholder_is_missing(tmp_path):
    root = write(tmp_path, {
        ".policy.yaml": "packs: [builtin:hotfix]\n",
        "incidents/INC-7.md": incident(7, "2026-09-03T10:00Z", branch="hotfix/v1.0.1-x"),
        "prs/pr.md": pull_request(7, justification="[Why this couldn't wait]"),
    })
    [row] = report(root)["process_adherence"]["items"]
    assert (row["incident_record"], row["justification"], row["testing_evidence"], row["review"]) == \
        (True, False, True, False)


def test_warning_signs(records):
    signs = {s["id"]: s for s in report(records)["warning_signs"]}
    assert list(signs) == ["frequent_hotfixes", "hotfix_induced_issues", "long_resolution_times", "scope_creep"]
    frequent = signs["frequent_hotfixes"]
    assert (frequent["limit"], frequent["value"], frequent["raised"], frequent["details"]) == \
        (1, 2, True, ["2026-09: 2 hotfixes"])
    induced = signs["hotfix_induced_issues"]
    assert (induced["limit"], induced["value"], induced["raised"], induced["details"]) == (0, 1, True, ["INC-103"])
    long = signs["long_resolution_times"]
    assert (long["unit"], long["limit"], long["value"], long["raised"], long["details"]) == \
        ("hours", 4, 6.0, True, ["INC-102", "INC-104 (open)"])
    scope = signs["scope_creep"]
    assert (scope["limit"], scope["value"], scope["raised"], scope["known"]) == (10, None, False, False)


def test_thresholds_come_from_data(records):
    (records / ".policy.yaml").write_text("packs: [builtin:hotfix]\ndata: {max_resolution_hours: 6}\n")
    metrics = report(records)
    assert metrics["thresholds"]["max_resolution_hours"] == 6
    long = {s["id"]: s for s in metrics["warning_signs"]}["long_resolution_times"]
    assert (long["raised"], long["details"]) == (False, [])  # 5 h and 6 h are not above 6 h


def test_empty_run(tmp_path):
    write(tmp_path, {".policy.yaml": "packs: [builtin:hotfix]\n"})
    metrics = report(tmp_path)
    assert metrics["time_to_resolution"] == {"incidents": [], "count": 0, "median_seconds": None, "p90_seconds": None}
    assert metrics["hotfixes"] == {"source": "none", "count": 0, "items": [], "per_month": []}
    assert metrics["process_adherence"]["share"] is None
    assert not any(s["raised"] for s in metrics["warning_signs"])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_hotfixes_changed_files_and_adherence(tmp_path):
    """Three hotfix merges on main: Oct 10 (2 files), Oct 28 (12 files), Dec 2 (1 file).

    Git wins over the incident records as the hotfix source; only INC-201 and INC-203 name a
    merged branch; INC-203 names v5.0.2 (merged Oct 28, before it): a quality escape.
    """
    repo = GitRepo(tmp_path)
    repo.commit({"README.txt": "app\n"}, "initial", date="2026-09-01T00:00:00Z")
    repo.hotfix("hotfix/v5.0.1-null", {"a.py": "1\n", "tests/test_a.py": "1\n"}, "2026-10-10T10:00:00Z")
    repo.hotfix("hotfix/v5.0.2-wide", {f"m{i}.py": f"{i}\n" for i in range(12)}, "2026-10-28T23:30:00Z")
    repo.hotfix("hotfix/v5.0.3-last", {"z.py": "z\n"}, "2026-12-02T08:00:00Z")
    write(tmp_path, {
        ".policy.yaml": "packs: [builtin:hotfix]\n",
        "docs/incidents/INC-201.md": incident(201, "2026-10-10T08:00Z", branch="hotfix/v5.0.1-null",
                                              updates=(("2026-10-10T09:00Z", "MONITORING"),)),
        "docs/incidents/INC-203.md": incident(203, "2026-12-02T06:00Z", branch="hotfix/v5.0.3-last",
                                              issue="Reports empty since 5.0.2 moved the module"),
        "docs/incidents/INC-299.md": incident(299, "2026-11-15T06:00Z", branch="hotfix/v9.9.9-never-merged"),
        "docs/prs/pr-201.md": pull_request(201),
        "docs/reviews/PIR-201.md": review(201, (("2026-10-10T07:50Z", "detected"),)),
    })
    metrics = compute(gather([str(tmp_path)], now="2026-12-10T00:00:00Z"))
    hotfixes = metrics["hotfixes"]
    assert hotfixes["source"] == "git"
    assert [(h["branch"], h["month"], h["changed_files"], h["incident"]) for h in hotfixes["items"]] == [
        ("hotfix/v5.0.1-null", "2026-10", 2, "INC-201"), ("hotfix/v5.0.2-wide", "2026-10", 12, None),
        ("hotfix/v5.0.3-last", "2026-12", 1, "INC-203")]
    assert [(m["month"], m["count"]) for m in hotfixes["per_month"]] == [("2026-10", 2), ("2026-11", 0), ("2026-12", 1)]
    assert all(h["sha"] and h["date"] for h in hotfixes["items"])

    adherence = {row["hotfix"]: row for row in metrics["process_adherence"]["items"]}
    assert adherence["hotfix/v5.0.1-null"]["complete"] is True
    assert adherence["hotfix/v5.0.2-wide"]["incident_record"] is False
    assert (adherence["hotfix/v5.0.3-last"]["incident_record"], adherence["hotfix/v5.0.3-last"]["review"]) == (True, False)
    assert metrics["process_adherence"]["share"] == 0.3333

    assert [e["incident"] for e in metrics["quality_escapes"]["escapes"]] == ["INC-203"]
    signs = {s["id"]: s for s in metrics["warning_signs"]}
    assert (signs["scope_creep"]["value"], signs["scope_creep"]["raised"], signs["scope_creep"]["details"]) == \
        (12, True, ["hotfix/v5.0.2-wide: 12 files"])
    assert (signs["frequent_hotfixes"]["raised"], signs["frequent_hotfixes"]["details"]) == \
        (True, ["2026-10: 2 hotfixes"])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_month_is_utc(tmp_path):
    """A merge at 23:30 on Oct 31 in UTC-05:00 is Nov 1 04:30 UTC: November."""
    repo = GitRepo(tmp_path)
    repo.commit({"README.txt": "app\n"}, "initial", date="2026-09-01T00:00:00Z")
    repo.hotfix("hotfix/v1.0.1-late", {"a.py": "1\n"}, "2026-10-31T23:30:00-05:00")
    write(tmp_path, {".policy.yaml": "packs: [builtin:hotfix]\n"})
    [month] = compute(gather([str(tmp_path)], now="2026-12-10T00:00:00Z"))["hotfixes"]["per_month"]
    assert month == {"month": "2026-11", "count": 1, "hotfixes": ["hotfix/v1.0.1-late"]}
