"""`policy check` on hostile documents against ordinary ones of the same size, in the same run.

    python benchmarks/hostile.py [--quick] [--rounds N]

Each shape is a document an attacker's tests used (a heading followed by 100,000 spaces, 40,000
digits after `Incident: see`, a record with 2,000 status updates, ...), generated here at a
fixed size. For each, `policy check` (reading, extraction, the built-in pack, the text report)
runs in this process on the hostile file and on an ordinary incident record of the same number
of characters, and the table gives their times and the ratio (about 1 when the shape costs what
any text of its size costs). The same shape at half the size gives the growth when the input
doubles (about 2 when linear). Then, each in a process of its own with its time and peak
memory (VmHWM): `policy validate` on a `.policy.yaml` of a million list items and on a policy
file with 14,000 rules (both refused), `policy check` on the 2,000-update record and on an
ordinary record of the same size, and on the shapes a red team fed the old 10 MB limit, made at
the document limits (a megabyte of headings, checkboxes, labels, credentials or carriage returns,
19,000 labels, an event with 100,000 labels). `--quick` divides the sizes by 10, but for those
shapes, which are about the limits themselves. Prints Markdown tables;
timings are the best of `--rounds` (default 3).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from hotfix_policy.cli.main import main as policy_main
from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES

NOW = "2026-11-01T00:00:00Z"
RECORD = ("# INC-1: Search is down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
          "Criterion: Critical business function broken for all users\nIssue: Search returns nothing\n"
          "Impact: All users\nStatus: INVESTIGATING\nETA: 2026-10-27T16:00Z\nCommander: @sam\n"
          "Declared: 2026-10-27T13:05Z\n\n## Updates\n\n")
REVIEW = "# Post-Incident Review: INC-1\n\n## Incident Summary\n**Incident:** see {}\n**Date/Time:** 2026-10-27\n"


def update(i: int, minutes: int) -> str:
    at = datetime(2026, 10, 27, 13, 5) + timedelta(minutes=minutes * (i + 1))
    return (f"### 🔄 INCIDENT UPDATE - {at:%Y-%m-%dT%H:%M}Z\nStatus: FIXING\nProgress: Rolling the alias back\n"
            f"Next: Watch the error rate\nETA: {at + timedelta(minutes=30):%Y-%m-%dT%H:%M}Z\nIssues: None\n\n")


def ordinary(size: int) -> str:
    """An incident record of about `size` characters: updates every 20 minutes, no mistakes."""
    parts, length, i = [RECORD], len(RECORD), 0
    while length < size:
        parts.append(update(i, 20))
        length += len(parts[-1])
        i += 1
    return "".join(parts)[:size] + "\n"


SHAPES = {
    # name: (size at full scale, generator of a document of about that many characters, --kind)
    "heading followed by spaces": (100_000, lambda n: "# INC-1: x" + " " * n + "x\n", None),
    "40,000 digits after `Incident: see`": (40_000, lambda n: REVIEW.format("1" * n), None),
    "2,000 status updates, a finding each": (2_000, lambda n: RECORD + "".join(update(i, 45) for i in range(n)), None),
    "marker line with spaces before its end": (100_000, lambda n: RECORD + "🔄 INCIDENT UPDATE - a" + " " * n + "b\n", None),
    "list item time then spaces": (100_000, lambda n: REVIEW.format("#1") + "\n## Timeline\n- 1" + " " * n + "x\n", None),
    "front matter value of spaces": (100_000, lambda n: "---\nnote: a" + " " * n + "#x\n---\n" + RECORD, None),
    "commit header of word characters": (100_000, lambda n: "a" * n + "\n\nEMERGENCY FIX: x\n", "commit"),
    "empty named sections": (5_000, lambda n: RECORD + "## Closed\n" * n, None),
    "pasted credentials": (5_000, lambda n: RECORD + "".join(f"password: hunter{i:06d}x\n" for i in range(n)), None),
    "table row of pipes": (100_000, lambda n: RECORD + "| a |" + " |" * (n // 2) + "\n|---|---|\n", None),
}


def check_seconds(path: Path, kind: str | None, rounds: int) -> float:
    """Best time of `policy check PATH` in this process (output discarded)."""
    args = ["check", str(path), "--now", NOW, "--fail-on", "never"] + (["--kind", kind] if kind else [])
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                policy_main(args)
            except SystemExit:
                pass
        best = min(best, time.perf_counter() - start)
    return best


def documents_table(folder: Path, scale: int, rounds: int) -> list:
    rows = []
    for name, (size, make, kind) in SHAPES.items():
        n = size // scale
        times = {}
        for label, count in (("half", n // 2), ("full", n)):
            hostile = folder / f"hostile-{label}.md"
            hostile.write_text(make(count), encoding="utf-8")
            plain = folder / f"ordinary-{label}.md"
            plain.write_text(ordinary(len(hostile.read_text(encoding="utf-8"))), encoding="utf-8")
            times[label] = (check_seconds(hostile, kind, rounds), check_seconds(plain, None, rounds),
                            hostile.stat().st_size)
        (full_hostile, full_plain, full_bytes), (half_hostile, _, _) = times["full"], times["half"]
        rows.append(f"| {name} | {n:,} | {full_bytes:,} | {full_hostile:.3f} | {full_plain:.3f} | "
                    f"{full_hostile / full_plain:.2f}x | {half_hostile:.3f} | {full_hostile / half_hostile:.2f}x |")
    return rows


_MEASURED = """
import sys
from hotfix_policy.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
with open("/proc/self/status") as status:  # this process's own peak: VmHWM restarts at exec
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(f"peak-kb {peak}", file=sys.stderr)
sys.exit(code)
"""


def run_measured(args: list, cwd: Path) -> tuple:
    """(seconds, peak RSS in MB, exit status, first line of output) of `policy ARGS` in a new
    process. The peak is read from /proc inside it: a child's rusage also counts the memory of
    the parent it was forked from."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - start
    peak = next((int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak-kb ")), 0)
    said = [line for line in (result.stdout + result.stderr).splitlines() if line.strip() and not line.startswith("peak-kb ")]
    return seconds, peak / 1024, result.returncode, said[0] if said else ""


AT_THE_LIMITS = {
    # name: the document, about MAX_DOCUMENT_BYTES (or just under MAX_DOCUMENT_LINES)
    "a megabyte of `## x` headings": RECORD + "## x\n" * (MAX_DOCUMENT_BYTES // 5 - 100),
    "a megabyte of `- [ ] x` checkboxes": RECORD + "- [ ] x\n" * (MAX_DOCUMENT_BYTES // 8 - 100),
    "a megabyte of `Status: FIXING` labels": RECORD + "Status: FIXING\n" * (MAX_DOCUMENT_BYTES // 15 - 100),
    "19,000 `Status: FIXING` labels, a finding each": RECORD + "Status: FIXING\n" * 19_000,
    "a megabyte of AWS access key ids on one line": RECORD + "AKIAQZXRTYUIOPASDFGH " * (MAX_DOCUMENT_BYTES // 21 - 100),
    "a megabyte of carriage returns": RECORD + "\r" * (MAX_DOCUMENT_BYTES - 1_000),
}


def _alone(path: Path, text: str) -> Path:
    """`text` written to `path` in a folder of its own: a named file is judged with every other
    document under its run's root (the working directory) as context, which would be measured too."""
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def _at_the_limits(folder: Path):
    """The red team's shapes, each alone, and an event with 100,000 labels."""
    for number, (name, text) in enumerate(AT_THE_LIMITS.items()):
        path = _alone(folder / f"limit-{number}" / "INC-1.md", text)
        yield f"`policy check`: {name}", path, ["check", "INC-1.md", "--now", NOW, "--fail-on", "never"]
    pull = {"number": 1, "title": "x", "body": "x", "user": {"login": "a"}, "head": {"ref": "hotfix/x"},
            "base": {"ref": "main"}, "labels": [{"name": f"label-{i}"} for i in range(100_000)]}
    event = _alone(folder / "event" / "event.json", json.dumps({"action": "opened", "pull_request": pull}))
    yield "`policy check --github-event`: 100,000 labels", event, ["check", "--github-event", "event.json"]


def memory_table(folder: Path, scale: int) -> list:
    """Oversized YAML (`policy validate`) and the status-update record (`policy check`), each in
    a process of its own: seconds and peak memory."""
    huge = folder / "huge" / ".policy.yaml"
    huge.parent.mkdir()
    huge.write_text("data:\n  admins:\n" + "  - a\n" * (1_000_000 // scale), encoding="utf-8")
    rules = folder / "long-list.yaml"
    rules.write_text("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: big}\nspec:\n  appliesTo: incident\n"
                     "  rules:\n" + "    - {id: X001, severity: error, expression: 'true', message: m}\n" * 14_000,
                     encoding="utf-8")
    size, make, _ = SHAPES["2,000 status updates, a finding each"]
    updates = _alone(folder / "updates" / "updates.md", make(size // scale))
    plain = _alone(folder / "ordinary" / "ordinary.md", ordinary(updates.stat().st_size))
    runs = (("`policy validate`: `.policy.yaml` of a million list items", huge, ["validate", ".policy.yaml"]),
            ("`policy validate`: a policy file with 14,000 rules", rules, ["validate", "long-list.yaml"]),
            ("`policy check`: 2,000 status updates, a finding each", updates,
             ["check", "updates.md", "--now", NOW, "--fail-on", "never"]),
            ("`policy check`: ordinary record of the same size", plain,
             ["check", "ordinary.md", "--now", NOW, "--fail-on", "never"]))
    runs += tuple(_at_the_limits(folder))
    rows = []
    for name, path, args in runs:
        seconds, peak, status, said = run_measured(args, path.parent)
        said = said.replace(str(folder) + os.sep, "")[:100] if "check" not in args else f"{said[:60]}…"
        rows.append(f"| {name} | {path.stat().st_size:,} | {seconds:.2f} | {peak:.0f} | exit {status}: `{said}` |")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every size divided by 10")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    print(f"`python benchmarks/hostile.py{' --quick' if args.quick else ''}` on {platform.machine()}, "
          f"{os.cpu_count()} cores, python {platform.python_version()}, best of {args.rounds}\n")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print("| shape | n | bytes | hostile s | ordinary s (same size) | ratio | hostile s at n/2 | growth n/2 -> n |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in documents_table(folder, scale, args.rounds):
            print(row, flush=True)
        print("\n| input, in a process of its own | bytes | seconds | peak RSS MB | outcome |")
        print("| --- | ---: | ---: | ---: | --- |")
        for row in memory_table(folder, scale):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
