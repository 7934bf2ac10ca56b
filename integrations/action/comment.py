"""The action's PR comment: the pull request's own findings, where its author and reviewers look.

Findings on the PR's description and event fields have no file in the checkout, so code scanning
cannot place them and a diff annotation has no line to sit on. They go into ONE comment on the
PR that this script creates on the first run that has any, then edits in place on every later
run (never a new comment per push), and edits to say "resolved" once they are gone; a run with
nothing to say and no comment yet posts nothing. The comment is found again by a hidden marker,
in a comment written by the token's account (`--author`, `github-actions[bot]` for the default
token), so a marker pasted by someone else is never taken for ours.

`comment.py REPORT --event EVENT --repository OWNER/REPO --number N --summary FILE`, with `gh`
on PATH and its token in GH_TOKEN. Writing needs `permissions: pull-requests: write`; when gh
fails (HTTP 403 without it, a fork's read-only token), the script prints one warning annotation
on stdout, appends one line to the job summary, which lists every finding anyway, and exits 0:
the comment is a courtesy, the check's verdict does not depend on it.

Standard library only, like the other scripts beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from markdown_text import inline
from pages import join_pages
from summary import TABLE_HEAD, Places, ordered, row

MARKER = "<!-- hotfix-policy: pull request findings -->"
DEFAULT_AUTHOR = "github-actions[bot]"
MAX_BODY = 60_000        # GitHub refuses comments over 65,536 characters
TITLE = "### hotfix-policy: this pull request"
RESOLVED = "✅ The findings on this pull request's description and fields are resolved"


class GhError(Exception):
    """`gh api` failed; the message is its first line of stderr."""


def gh(*args: str, body: dict | None = None) -> str:
    done = subprocess.run(["gh", "api", *args, *(["--input", "-"] if body is not None else [])],
                          input=json.dumps(body) if body is not None else None,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        raise GhError(lines[0] if lines else f"gh exited with status {done.returncode}")
    return done.stdout


def render(findings: list, places: Places, revision: str, run_url: str) -> str:
    """The comment's body: the marker, the findings as a table (or "resolved"), a link to the run."""
    at = f" (as of {inline(revision[:12])})" if revision else ""
    lines = [MARKER, TITLE, ""]
    if not findings:
        lines.append(f"{RESOLVED}{at}.")
        return "\n".join(lines) + "\n"
    count = f"{len(findings)} finding" + ("" if len(findings) == 1 else "s")
    lines += [f"❌ {count} on this pull request's description and fields{at}. Edit the description "
              "to fix them; this comment is updated on every run.", "", *TABLE_HEAD]
    size, shown = sum(len(line) + 1 for line in lines), 0
    for finding in ordered(findings):
        text = row(finding, places)
        if size + len(text) > MAX_BODY:
            break
        lines.append(text)
        size, shown = size + len(text) + 1, shown + 1
    if shown < len(findings):
        lines += ["", f"… and {len(findings) - shown} more: see the job summary."]
    if run_url:
        lines += ["", f"The whole report: [the job summary]({run_url})."]
    return "\n".join(lines) + "\n"


def ours(comments: list, author: str) -> list:
    """The comments this action wrote: the marker first, by the token's account."""
    return [c for c in comments if isinstance(c, dict) and str(c.get("body") or "").startswith(MARKER)
            and str((c.get("user") or {}).get("login") or "").lower() == author.lower()]


def sync(repository: str, number: str, body: str, resolved: bool, author: str) -> str:
    """Create, update or resolve the one comment (`resolved`: the run found nothing on the PR).
    Returns what was done, for the log."""
    comments = join_pages(gh(f"repos/{repository}/issues/{number}/comments?per_page=100", "--paginate"))
    mine = ours(comments, author)
    for extra in mine[1:]:        # two runs raced to create it: keep the first
        gh("--method", "DELETE", f"repos/{repository}/issues/comments/{int(extra['id'])}")
    if not mine:
        if resolved:
            return "no findings on the pull request, no comment"
        gh("--method", "POST", f"repos/{repository}/issues/{number}/comments", body={"body": body})
        return "comment created"
    current = str(mine[0].get("body") or "")
    if current == body or (resolved and RESOLVED in current):
        return "comment unchanged"
    gh("--method", "PATCH", f"repos/{repository}/issues/comments/{int(mine[0]['id'])}", body={"body": body})
    return "comment resolved" if resolved else "comment updated"


def warn(message: str) -> str:
    """A warning workflow command; its data escaped as the runner expects."""
    data = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::warning title=hotfix-policy::{data}"


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="policy check --format json output")
    parser.add_argument("--event", required=True, help="the GitHub event file the check read")
    parser.add_argument("--repository", required=True)
    parser.add_argument("--number", required=True)
    parser.add_argument("--author", default=DEFAULT_AUTHOR, help="the account the token comments as")
    parser.add_argument("--summary", required=True, help="the job summary file, for the fallback line")
    args = parser.parse_args(argv)
    with open(args.report, encoding="utf-8") as handle:
        report = json.load(handle)
    environment = dict(os.environ)
    places = Places(args.event, environment)
    findings = [f for f in report.get("findings") or [] if places.on_pull_request(f)]
    run_url = ""
    if all(environment.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")):
        run_url = (f"{environment['GITHUB_SERVER_URL'].rstrip('/')}/{environment['GITHUB_REPOSITORY']}"
                   f"/actions/runs/{environment['GITHUB_RUN_ID']}")
    body = render(findings, places, places.revision, run_url)
    try:
        print(f"PR comment: {sync(args.repository, args.number, body, not findings, args.author)}")
    except (GhError, ValueError, OSError, subprocess.TimeoutExpired) as error:
        permission = " (the workflow needs `permissions: pull-requests: write`)" if "403" in str(error) else ""
        reason = f"gh api: {error}{permission}"
        print(warn(f"The pull request's own findings could not be posted as a PR comment: {reason}; "
                   "they are in the job summary."))
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(f"\n⚠️ This pull request's own findings could not be posted as a PR comment "
                         f"({inline(reason)}); they are listed above.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
