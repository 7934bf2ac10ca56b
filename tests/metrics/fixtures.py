"""Fixture repositories for the metrics tests: incident records, reviews, PR bodies and a git
repository with hotfix merges, written to a temporary folder, with the answers worked out by
hand in the tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from textwrap import dedent


def incident(number: int, declared: str, *, branch: str | None = None, issue: str = "Something is broken",
             updates: tuple = (), duration: str | None = None, resolved: str | None = None,
             status: str = "INVESTIGATING") -> str:
    """An incident record; `updates` are (time, status) pairs; `resolved` adds the resolution."""
    lines = [f"# INC-{number}: Incident {number}", "", "🚨 PRODUCTION INCIDENT DECLARED", "Severity: CRITICAL",
             "Criterion: Critical business function broken for all users", f"Issue: {issue}",
             "Impact: All users", f"Status: {status}", "Commander: @dana-k"]
    if branch:
        lines.append(f"Branch: {branch}")
    lines += [f"Declared: {declared}", ""]
    if updates:
        lines += ["## Updates", ""]
        for time, update_status in updates:
            lines += [f"### 🔄 INCIDENT UPDATE - {time}", f"Status: {update_status}", "Progress: working",
                      "Next: more work", "Issues: None", ""]
    if resolved:
        lines += ["## Resolution", "", f"✅ INCIDENT RESOLVED - {resolved}", "Issue: It was broken"]
        if duration:
            lines.append(f"Duration: {duration}")
        lines += ["Resolution: Fixed it", "Impact: All users", "Follow-up: Post-incident review scheduled", "",
                  "## Closed", "", "Status: CLOSED", f"Closed: {resolved}", ""]
    return "\n".join(lines) + "\n"


def review(number: int, timeline: tuple, *, duration: str | None = None, cause: str = "A bug") -> str:
    """A post-incident review; `timeline` is (time, text) pairs."""
    lines = [f"# Post-Incident Review: Incident {number} (INC-{number})", "", "## Incident Summary",
             f"- **Incident:** #{number}", "- **Date/Time:** 2026-09-01T00:00Z"]
    if duration:
        lines.append(f"- **Duration:** {duration}")
    lines += ["- **Impact:** All users", "- **Resolution:** A hotfix", "- **Review date:** 2026-12-01", "",
              "## Timeline"]
    lines += [f"- {time} - {text}" for time, text in timeline]
    lines += ["", "## Root Cause Analysis", f"**Primary Cause:** {cause}", "**Contributing Factors:** None",
              "**Why Weren't We Protected:** No test", ""]
    return "\n".join(lines) + "\n"


def pull_request(number: int, *, justification: str = "Checkout is down for everyone",
                 existing_tests: bool = True, new_test: bool = True) -> str:
    """A hotfix PR body naming incident `number`."""
    box = lambda checked: "[x]" if checked else "[ ]"  # noqa: E731
    return dedent(f"""\
        ## 🚨 HOTFIX - EMERGENCY DEPLOYMENT

        **Incident Reference:** #{number}
        **Severity:** CRITICAL
        **Emergency Justification:** {justification}

        ### Issue Description
        It is broken.

        ### Fix Implementation
        Fix it.

        ### Testing Performed
        - {box(existing_tests)} Existing tests pass
        - {box(new_test)} New test validates fix
        - [x] Manual validation: tried it
        - [x] Staging validation: Y, it works

        ### Risk Assessment
        **Risks Accepted:** none
        **Rollback Plan:** revert
        **Monitoring Plan:** watch the graphs
        **Skipped Checks:** none
        """)


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


class GitRepo:
    """A throwaway repository whose commits get the dates we give them."""

    def __init__(self, path: Path):
        self.path = path
        self.env = dict(os.environ, GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com",
                        GIT_COMMITTER_NAME="Dana", GIT_COMMITTER_EMAIL="dana@example.com",
                        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        self("init", "-q", "-b", "main")

    def __call__(self, *args, date: str = "2026-01-01T00:00:00Z") -> str:
        env = dict(self.env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        return subprocess.run(["git", *args], cwd=self.path, env=env, check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, files: dict, message: str, date: str = "2026-01-01T00:00:00Z") -> None:
        write(self.path, files)
        self("add", *files)
        self("commit", "-q", "-m", message, date=date)

    def hotfix(self, branch: str, files: dict, date: str) -> None:
        """A hotfix branch off main with one commit, merged back with --no-ff at `date`."""
        self("checkout", "-q", "-b", branch, "main")
        self.commit(files, f"hotfix(app): {branch}", date=date)
        self("checkout", "-q", "main")
        self("merge", "-q", "--no-ff", branch, "-m", f"Merge branch '{branch}'", date=date)
