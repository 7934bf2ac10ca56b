"""A reproducible generator of realistic documents for the check benchmark: incident records
through their lifecycle (with the usual small mistakes), post-incident reviews and hotfix PR
bodies, written as teams write them (label styles, emoji or not, code fences)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

STATUSES = ["FIXING", "TESTING", "DEPLOYING", "MONITORING", "MONITORING"]
SEVERITIES = ["CRITICAL", "HIGH", "HIGH", "MEDIUM", "critical"]
CRITERIA = ["Production down", "Security breach", "Data loss", "Critical business function broken for all users",
            "Financial/legal/compliance emergency"]
PEOPLE = ["dana-k", "lee", "sam-r", "ops-lead", "priya"]
AREAS = ["checkout", "login", "search", "payments", "exports", "notifications", "billing", "sync"]


def _label(rng: random.Random, name: str, value: str) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{name}: {value}"
    if style < 0.85:
        return f"**{name}:** {value}"
    return f"- **{name}:** {value}"


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def incident(rng: random.Random, number: int, hotfix: tuple = (), updates: tuple = (3, 6), notes: tuple = (2, 8),
             first_day: datetime = datetime(2026, 1, 1, tzinfo=timezone.utc), days: int = 300) -> str:
    """An incident record; `hotfix` = (branch, declared, issue) makes it a hotfix with those.
    `updates` and `notes` (per update) are ranges as `randrange` takes them; the record is
    declared within `days` of `first_day`."""
    area = rng.choice(AREAS)
    declared = first_day + timedelta(days=rng.randrange(days), minutes=rng.randrange(1440))
    if hotfix:
        declared = hotfix[1]
    lines = [f"# INC-{number}: {area.capitalize()} requests failing", "", "🚨 PRODUCTION INCIDENT DECLARED"]
    fields = [("Severity", rng.choice(SEVERITIES)), ("Criterion", rng.choice(CRITERIA)),
              ("Issue", f"{area.capitalize()} returns HTTP 500 for most requests"),
              ("Impact", "All users in all regions"), ("Status", "INVESTIGATING"),
              ("ETA", _time(declared + timedelta(hours=2))), ("Commander", "@" + rng.choice(PEOPLE)),
              ("Branch", f"hotfix/v{rng.randrange(1, 9)}.{rng.randrange(20)}.{rng.randrange(1, 9)}-{area}-fix"),
              ("Declared", _time(declared))]
    # Most incidents are fixed by the regular process: about one in twelve takes a hotfix branch
    # (the seed's own warning sign is more than one hotfix a month).
    lines += [_label(rng, name, value) for name, value in fields
              if rng.random() > 0.03 and (name != "Branch" or rng.random() < 1 / 12)
              and not (hotfix and name in ("Branch", "Declared", "Issue"))]
    if hotfix:
        lines += [f"Branch: {hotfix[0]}", f"Declared: {_time(declared)}", f"Issue: {hotfix[2]}"]
    lines += ["", "## Updates", ""]
    moment = declared
    for position in range(rng.randrange(*updates)):
        status = STATUSES[min(position, len(STATUSES) - 1)]
        moment += timedelta(minutes=rng.choice([15, 20, 25, 30, 35, 50]))
        lines += [f"### 🔄 INCIDENT UPDATE - {_time(moment)}",
                  _label(rng, "Status", status),
                  _label(rng, "Progress", f"Narrowed the failure to the {area} service's cache layer; "
                                          f"{rng.randrange(2, 40)} pods restarted"),
                  _label(rng, "Next", "Roll the patched build to the remaining regions and watch error rates"),
                  _label(rng, "ETA", _time(moment + timedelta(minutes=45))),
                  _label(rng, "Issues", rng.choice(["None", "None", "Staging is slow to deploy"])), ""]
        written = [f"Notes: {rng.choice(AREAS)} dashboards checked; p99 latency {rng.randrange(80, 900)} ms." for _ in
                   range(rng.randrange(*notes))]
        lines += written + [""] if written else []
    resolved = moment + timedelta(minutes=rng.choice([20, 35, 40]))
    duration = resolved - declared
    lines += ["## Resolution", "", f"✅ INCIDENT RESOLVED - {_time(resolved)}",
              _label(rng, "Issue", f"{area.capitalize()} failed for cached sessions"),
              _label(rng, "Duration", f"{duration.seconds // 3600}h {duration.seconds % 3600 // 60}m"),
              _label(rng, "Resolution", "Hotfix defaults the missing cache key"),
              _label(rng, "Impact", "Most requests failed until the fix"),
              _label(rng, "Follow-up", f"Post-incident review scheduled for {(resolved + timedelta(days=3)):%Y-%m-%d}"),
              "", "## Closed", "", "Status: CLOSED", f"Closed: {_time(resolved + timedelta(hours=4))}", ""]
    return "\n".join(lines)


def review(rng: random.Random, number: int) -> str:
    day = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.randrange(300))
    steps = ["Issue first detected", "Incident declared", "Fix implemented", "Resolution deployed",
             "Issue confirmed resolved"]
    timeline = [f"- {(day + timedelta(minutes=25 * i)):%H:%M} - {step}" for i, step in enumerate(steps)]
    return "\n".join([
        f"# Post-Incident Review: {rng.choice(AREAS).capitalize()} outage (INC-{number})", "",
        "## Incident Summary", f"- **Incident:** #{number}", f"- **Date/Time:** {_time(day)}",
        "- **Duration:** 2h 5m", "- **Impact:** All users", "- **Resolution:** Hotfix",
        f"- **Review date:** {(day + timedelta(days=4)):%Y-%m-%d}", "",
        "## Timeline", *timeline, "",
        "## Root Cause Analysis", "**Primary Cause:** A cache key was missing",
        "**Contributing Factors:** No alert on cache misses", "**Why Weren't We Protected:** No test for it", "",
        "## Response Evaluation", "**What Went Well:**", "- Fast declaration", "", "**What Could Improve:**",
        "- Slower staging", "",
        "## Prevention Measures", "**Immediate Actions:** Add the test", "**Long-term Improvements:** Cache audit",
        "**Monitoring Enhancements:** Alert on misses", "",
        "## Action Items",
        f"- [ ] Add regression test - Owner: @{rng.choice(PEOPLE)} - Due: {(day + timedelta(days=9)):%Y-%m-%d}",
        f"- [x] Alert on cache misses - Owner: @{rng.choice(PEOPLE)} - Due: {(day + timedelta(days=6)):%Y-%m-%d}",
        ""])


def pull_request(rng: random.Random, number: int) -> str:
    checked = lambda: "x" if rng.random() > 0.2 else " "  # noqa: E731
    return "\n".join([
        "## 🚨 HOTFIX - EMERGENCY DEPLOYMENT", "", f"**Incident Reference:** #{number}",
        f"**Severity:** {rng.choice(['CRITICAL', 'HIGH', 'MEDIUM'])}",
        "**Emergency Justification:** Checkout is down for every user", "",
        "### Issue Description", "Card payments fail with HTTP 500 for stored cards.", "",
        "### Fix Implementation", "Default the currency when it is missing.", "",
        "### Testing Performed", f"- [{checked()}] Existing tests pass", f"- [{checked()}] New test validates fix",
        "- [x] Manual validation: paid with a stored card on staging",
        "- [x] Staging validation: Y, smoke test of core functionality passed", "",
        "### Risk Assessment", "**Risks Accepted:** Skipped the full regression suite",
        "**Rollback Plan:** Revert the merge commit", "**Monitoring Plan:** Watch checkout errors for 30 minutes",
        "**Skipped Checks:** none", "",
        "### Post-Deployment Actions", "- [ ] Monitor production for 30 minutes", "- [ ] Verify issue resolution",
        "- [ ] Schedule post-incident review", "- [ ] Address any bypassed quality checks", ""])


def write_corpus(folder: Path, count: int, seed: int = 2041) -> list:
    """`count` documents (about 60% incidents, 20% reviews, 20% PR bodies) under folder."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        kind = rng.random()
        number = 1000 + index
        if kind < 0.6:
            path, text = folder / "incidents" / f"INC-{number}.md", incident(rng, number)
        elif kind < 0.8:
            path, text = folder / "reviews" / f"PIR-{number}.md", review(rng, number)
        else:
            path, text = folder / "prs" / f"pr-{number}.md", pull_request(rng, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def write_same_month_hotfixes(folder: Path, count: int, seed: int = 2041) -> list:
    """The workspace rules' worst case: `count` incident records, every one a hotfix declared in
    the same calendar month (each a WS001 finding after all the hotfixes before it), one in five
    naming the previous hotfix's version in its Issue (WS002)."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        number = 1000 + index
        declared = datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(29 * 1440))
        issue = "Checkout fails" + (f" since v3.{index - 1}.1" if index and rng.random() < 0.2 else "")
        path = folder / "incidents" / f"INC-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(incident(rng, number, (f"hotfix/v3.{index}.1-fix-{number}", declared, issue)),
                        encoding="utf-8")
        paths.append(path)
    return paths


def write_history(folder: Path, count: int, seed: int = 2041) -> list:
    """The scale issue's repository: `count` incident records of 50-100 lines with 3-12 updates,
    about one in twelve a hotfix, declared over two years (December 2024 to November 2026)."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        number = 1000 + index
        path = folder / "incidents" / f"INC-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(incident(rng, number, updates=(3, 13), notes=(0, 1),
                                 first_day=datetime(2024, 12, 1, tzinfo=timezone.utc), days=720), encoding="utf-8")
        paths.append(path)
    return paths
