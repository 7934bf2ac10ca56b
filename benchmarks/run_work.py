"""The work of a `policy check`, counted in instructions: a measure the machine's speed does not
move.

    python benchmarks/run_work.py [--records 1000]          # cold: the history corpus
    python benchmarks/run_work.py --warm [--records 1000]   # warm: the worst case, an hour on

On the 2-core development machine the same run takes up to a third longer from one minute to
the next, so a change of a few percent in what a run does cannot be told by timing it.
Callgrind (valgrind's tool: `apt-get install valgrind`) counts the instructions each process
executes, the same count for the same work whatever else the machine is doing.

Cold: the scale benchmark's history corpus (`corpus.write_history`); `policy check` once to fill
the policy cache, then once with the extraction and run caches empty, under callgrind: this
process's counters are written and reset before each `fork`, so a worker's count is its own
work, not its parent's before it. Warm: the scale benchmark's worst case (every record a hotfix
of one month, `corpus.write_same_month_hotfixes`); `policy check` at its clock and an hour
later (the second run keeps the documents in the run cache), then under callgrind two hours
later, as `check.py`'s warm runs do: the record whose findings ran out is judged again, the
others' verdicts read back. For a before and after, run it with `PYTHONPATH` naming another
checkout's package (the corpus is the same each time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from check import SCALE_CORPORA

CHECK = ["-m", "hotfix_policy.cli", "check", ".", "--fail-on", "never", "--format", "json"]
CORPUS = {False: "history", True: "worst case"}  # by `--warm`
CLOCK = {warm: SCALE_CORPORA[name][1].split(":", 1)[1].strip().replace("Z", "+00:00") for warm, name in CORPUS.items()}


def instructions(out: Path) -> dict:
    """Process id -> the instructions callgrind counted in it (all of its dumps)."""
    counted: dict = {}
    for dump in out.glob("callgrind.*"):
        pid = int(re.match(r"callgrind\.(\d+)", dump.name).group(1))
        with dump.open(errors="replace") as lines:
            total = next((int(line.split()[1]) for line in lines if line.startswith(("summary:", "totals:"))), 0)
        counted[pid] = counted.get(pid, 0) + total
    return counted


def counted_run(folder: Path, cache: Path, out: Path, warm: bool) -> dict:
    python = sys.executable
    environment = dict(os.environ, XDG_CACHE_HOME=str(cache))
    clock = datetime.fromisoformat(CLOCK[warm])

    def check(hours: int) -> list:
        return [python, *CHECK, *(["--now", (clock + timedelta(hours=hours)).isoformat()] if warm else [])]

    for hours in (0, 1) if warm else (0,):
        subprocess.run(check(hours), cwd=folder, env=environment, check=True, capture_output=True)
    if not warm:
        for name in ("documents", "runs"):
            shutil.rmtree(cache / "hotfix-policy" / name, ignore_errors=True)
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-before=_Fork",
                    f"--callgrind-out-file={out}/callgrind.%p", *check(2)],
                   cwd=folder, env=environment, check=True, capture_output=True)
    return instructions(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--warm", action="store_true", help="the worst case, warm, instead of the history, cold")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("run_work.py: valgrind is not installed (apt-get install valgrind)")
    write, config = SCALE_CORPORA[CORPUS[args.warm]]
    with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-work-") as temporary:
        folder, cache, out = Path(temporary, "repository"), Path(temporary, "cache"), Path(temporary, "callgrind")
        folder.mkdir()
        out.mkdir()
        write(folder, args.records)
        (folder / ".policy.yaml").write_text(config, encoding="utf-8")
        counted = counted_run(folder, cache, out, args.warm)
    parent = min(counted)
    total = sum(counted.values())
    run = (f"a warm `policy check` of {args.records:,} worst-case records, two hours after their clock" if args.warm
           else f"a cold `policy check` of {args.records:,} history records")
    print(f"`python benchmarks/run_work.py{' --warm' if args.warm else ''} --records {args.records}`: {run}\n")
    print("| process | instructions (G) | per record (M) |\n| --- | ---: | ---: |")
    for pid in sorted(counted):
        role = "the command" if pid == parent else "a forked worker"
        print(f"| {role} ({pid}) | {counted[pid] / 1e9:.3f} | {counted[pid] / 1e6 / args.records:.2f} |")
    print(f"| **all** | **{total / 1e9:.3f}** | **{total / 1e6 / args.records:.2f}** |")


if __name__ == "__main__":
    main()
