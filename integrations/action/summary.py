"""The action's job summary: `policy check --format json` as Markdown for `$GITHUB_STEP_SUMMARY`.

`summary.py report REPORT`: the counts, the verdict, and every finding as a table row (severity,
rule, where, message). GitHub shows at most a few annotations per step, so the summary is where
a lead reads the whole list. Files link to their line at the checked commit; the PR body (the
event file) is named as the pull request. `--outputs FILE` also appends the counts as step
outputs. `summary.py stopped STDERR --exit-code N`: the summary of a run that stopped with exit
2, `policy check`'s stderr in a code block. `summary.py problem MESSAGE`: a check that could not
run at all.

Every value from the run (messages quote the PR; paths and rule ids come from the checkout) goes
through `markdown_text`, so none can break out of its cell or block. Standard library only, like
pages.py beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from markdown_text import code_block, inline

MAX_ROWS = 1000          # GitHub caps a step's summary at 1 MiB
HEADING = "## hotfix-policy"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}
TABLE_HEAD = ["| severity | rule | where | message |", "| --- | --- | --- | --- |"]


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
        self.revision = str(head_sha or environment.get("GITHUB_SHA", ""))
        self.blob = f"{server}/{repository}/blob/{self.revision}/" if server and repository and self.revision else ""

    def on_pull_request(self, finding: dict) -> bool:
        """A finding on the PR's own document: its description or its event fields."""
        return (bool(self.event_path) and str(finding.get("path") or "") == self.event_path) or \
            (self.pull_number is not None and finding.get("document") == f"pr:{self.pull_number}")

    def describe(self, finding: dict) -> str:
        path, line = str(finding.get("path") or ""), finding.get("line")
        at = f", line {line}" if line else ""
        if self.on_pull_request(finding):
            name = f"pull request #{self.pull_number}" if self.pull_number else "the pull request"
            return inline(f"{name} body{at}")
        if not _is_file(path):
            return inline(f"{path}{at}")
        label = inline(f"{path}:{line}" if line else path)
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


def ordered(findings: list) -> list:
    """Errors first, then warnings and info; waived after unwaived; then by place."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.get("severity"), 3), bool(f.get("waived")),
                                           str(f.get("path")), f.get("line") or 0, f.get("column") or 0))


def row(finding: dict, places: Places) -> str:
    """One finding as a table row; every cell inert Markdown."""
    severity = SEVERITY_LABEL.get(finding.get("severity"), inline(finding.get("severity")))
    if finding.get("waived"):
        severity += " (waived)"
    return (f"| {severity} | {inline(finding.get('rule'))} | {places.describe(finding)} | "
            f"{inline(finding.get('message'))} |")


def render(report: dict, exit_code: int, fail_on: str, places: Places) -> str:
    summary = report.get("summary") or {}
    findings = ordered(report.get("findings") or [])
    errors, warnings = summary.get("errors", 0), summary.get("warnings", 0)
    infos, waived, documents = summary.get("infos", 0), summary.get("waived", 0), summary.get("documents", 0)
    lines = [HEADING, ""]
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
    lines += TABLE_HEAD
    lines += [row(finding, places) for finding in findings[:MAX_ROWS]]
    if len(findings) > MAX_ROWS:
        lines += ["", f"… and {len(findings) - MAX_ROWS} more: see the SARIF report and the step's log."]
    return "\n".join(lines) + "\n"


def render_stopped(stderr: str, exit_code: int) -> str:
    # The backticks are Markdown; stderr quotes the configuration and policies: a block of its own.
    return (f"{HEADING}\n\n❌ `policy check` stopped (exit {int(exit_code)}): a mistake in the command line, "
            f"a policy or the configuration.\n\n{code_block(stderr)}")


def render_problem(message: str) -> str:
    return f"{HEADING}\n\n❌ The check could not run: {inline(message)}\n"


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report_parser = commands.add_parser("report", help="the summary of a run that judged the documents")
    report_parser.add_argument("report", help="policy check --format json output")
    report_parser.add_argument("--exit-code", type=int, default=0)
    report_parser.add_argument("--fail-on", default="error")
    report_parser.add_argument("--event", default="", help="the GitHub event file the check read")
    report_parser.add_argument("--outputs", help="append errors=, warnings=, ... to this step-outputs file")
    stopped = commands.add_parser("stopped", help="the summary of a run that stopped with exit 2")
    stopped.add_argument("stderr", help="policy check's stderr")
    stopped.add_argument("--exit-code", type=int, default=2)
    problem = commands.add_parser("problem", help="the summary of a check that could not run")
    problem.add_argument("message")
    args = parser.parse_args(argv)
    if args.command == "problem":
        sys.stdout.write(render_problem(args.message))
        return 0
    if args.command == "stopped":
        with open(args.stderr, encoding="utf-8", errors="replace") as handle:
            sys.stdout.write(render_stopped(handle.read(), args.exit_code))
        return 0
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
