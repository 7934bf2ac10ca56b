"""The action's job summary: `policy check --format json` as Markdown for `$GITHUB_STEP_SUMMARY`.

The counts, the verdict, and every finding as a table row (severity, rule, where, message).
GitHub shows at most a few annotations per step, so the summary is where a lead reads the whole
list. Files link to their line at the checked commit; the PR body (the event file) is named as
the pull request. `--outputs FILE` also appends the counts as step outputs.

Standard library only, like pages.py beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

MAX_ROWS = 1000          # GitHub caps a step's summary at 1 MiB
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}


def cell(text: object) -> str:
    """Text that stays inside one Markdown table cell and renders no HTML."""
    value = " ".join(str(text).split())
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Places:
    """Where a finding is, as the summary shows it: a link to the line, or the PR's name."""

    def __init__(self, event_path: str, environment: dict):
        self.event_path = event_path
        self.pull_number, head_sha = None, None
        if event_path:
            try:
                with open(event_path, encoding="utf-8") as handle:
                    pull = json.load(handle).get("pull_request") or {}
                self.pull_number = pull.get("number")
                head_sha = (pull.get("head") or {}).get("sha")
            except (OSError, ValueError, AttributeError):
                pass
        server = environment.get("GITHUB_SERVER_URL", "").rstrip("/")
        repository = environment.get("GITHUB_REPOSITORY", "")
        sha = head_sha or environment.get("GITHUB_SHA", "")
        self.blob = f"{server}/{repository}/blob/{sha}/" if server and repository and sha else ""

    def describe(self, finding: dict) -> str:
        path, line = str(finding.get("path") or ""), finding.get("line")
        at = f", line {line}" if line else ""
        if self.event_path and path == self.event_path:
            name = f"pull request #{self.pull_number}" if self.pull_number else "the pull request"
            return cell(f"{name} body{at}")
        if not _is_file(path):
            return cell(f"{path}{at}")
        label = cell(f"{path}:{line}" if line else path)
        if self.blob and not path.startswith(("/", "../")) and path != "-":
            anchor = f"#L{line}" if line else ""
            target = self.blob + "/".join(part for part in path.split("/") if part not in ("", "."))
            return f"[{label}]({_url(target)}{anchor})"
        return label


def _is_file(path: str) -> bool:
    return not (path == "repository" or path.split(":", 1)[0] in ("commit", "tag", "pr"))


def _url(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/:@-._~!$&'*+,;=")


def render(report: dict, exit_code: int, fail_on: str, places: Places) -> str:
    summary = report.get("summary") or {}
    findings = sorted(report.get("findings") or [],
                      key=lambda f: (SEVERITY_ORDER.get(f.get("severity"), 3), bool(f.get("waived")),
                                     str(f.get("path")), f.get("line") or 0, f.get("column") or 0))
    errors, warnings = summary.get("errors", 0), summary.get("warnings", 0)
    infos, waived, documents = summary.get("infos", 0), summary.get("waived", 0), summary.get("documents", 0)
    lines = ["## hotfix-policy", ""]
    if exit_code == 0:
        verdict = "✅ **Passed**" + ("" if not findings else f": nothing unwaived at or above `{fail_on}`")
    else:
        verdict = f"❌ **Failed**: findings at or above `{fail_on}` remain unwaived"
    lines += [f"{verdict} ({_plural(documents, 'document')} checked).", "",
              "| errors | warnings | info | waived | documents |",
              "| ---: | ---: | ---: | ---: | ---: |",
              f"| {errors} | {warnings} | {infos} | {waived} | {documents} |", ""]
    if not findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | rule | where | message |", "| --- | --- | --- | --- |"]
    for finding in findings[:MAX_ROWS]:
        severity = SEVERITY_LABEL.get(finding.get("severity"), cell(finding.get("severity")))
        if finding.get("waived"):
            severity += " (waived)"
        lines.append(f"| {severity} | `{cell(finding.get('rule'))}` | {places.describe(finding)} | "
                     f"{cell(finding.get('message'))} |")
    if len(findings) > MAX_ROWS:
        lines += ["", f"… and {len(findings) - MAX_ROWS} more: see the SARIF report and the step's log."]
    return "\n".join(lines) + "\n"


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="policy check --format json output")
    parser.add_argument("--exit-code", type=int, default=0)
    parser.add_argument("--fail-on", default="error")
    parser.add_argument("--event", default="", help="the GitHub event file the check read")
    parser.add_argument("--outputs", help="append errors=, warnings=, ... to this step-outputs file")
    args = parser.parse_args(argv)
    with open(args.report, encoding="utf-8") as handle:
        report = json.load(handle)
    sys.stdout.write(render(report, args.exit_code, args.fail_on, Places(args.event, dict(os.environ))))
    if args.outputs:
        summary = report.get("summary") or {}
        with open(args.outputs, "a", encoding="utf-8") as handle:
            for key in ("errors", "warnings", "infos", "waived", "documents"):
                handle.write(f"{key}={int(summary.get(key, 0))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
