"""The work of a cold `policy check`, counted in instructions: a measure the machine's speed does
not move.

    python benchmarks/cold_work.py [--records 1000]

On the 2-core development machine the same cold run takes up to a third longer from one minute
to the next, so a change of a few percent in what a run does cannot be told by timing it.
Callgrind (valgrind's tool: `apt-get install valgrind`) counts the instructions each process
executes, the same count for the same work whatever else the machine is doing. The benchmark
writes the scale benchmark's history corpus (`corpus.write_history`), runs `policy check` once
to fill the policy cache, then once cold (extraction and run caches empty) under callgrind, and
prints the instructions of each process: this one's counters are written and reset before each
`fork`, so a worker's count is its own work, not its parent's before it. For a before and after,
run it with `PYTHONPATH` naming another checkout's package (the corpus is the same each time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import write_history

CHECK = ["-m", "hotfix_policy.cli", "check", ".", "--fail-on", "never", "--format", "json"]
CONFIG = "clock: 2026-11-26T12:00:00Z\n"  # the scale benchmark's history clock


def instructions(out: Path) -> dict:
    """Process id -> the instructions callgrind counted in it (all of its dumps)."""
    counted: dict = {}
    for dump in out.glob("callgrind.*"):
        pid = int(re.match(r"callgrind\.(\d+)", dump.name).group(1))
        with dump.open(errors="replace") as lines:
            total = next((int(line.split()[1]) for line in lines if line.startswith(("summary:", "totals:"))), 0)
        counted[pid] = counted.get(pid, 0) + total
    return counted


def cold_run(folder: Path, cache: Path, out: Path) -> dict:
    python = sys.executable
    environment = dict(os.environ, XDG_CACHE_HOME=str(cache))
    subprocess.run([python, *CHECK], cwd=folder, env=environment, check=True, capture_output=True)
    for name in ("documents", "runs"):
        shutil.rmtree(cache / "hotfix-policy" / name, ignore_errors=True)
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-before=_Fork",
                    f"--callgrind-out-file={out}/callgrind.%p", python, *CHECK],
                   cwd=folder, env=environment, check=True, capture_output=True)
    return instructions(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("cold_work.py: valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-work-") as temporary:
        folder, cache, out = Path(temporary, "repository"), Path(temporary, "cache"), Path(temporary, "callgrind")
        folder.mkdir()
        out.mkdir()
        write_history(folder, args.records)
        (folder / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
        counted = cold_run(folder, cache, out)
    parent = min(counted)
    total = sum(counted.values())
    print(f"`python benchmarks/cold_work.py --records {args.records}`: a cold `policy check` of "
          f"{args.records:,} history records\n")
    print("| process | instructions (G) | per record (M) |\n| --- | ---: | ---: |")
    for pid in sorted(counted):
        role = "the command" if pid == parent else "a forked worker"
        print(f"| {role} ({pid}) | {counted[pid] / 1e9:.2f} | {counted[pid] / 1e6 / args.records:.2f} |")
    print(f"| **all** | **{total / 1e9:.2f}** | **{total / 1e6 / args.records:.2f}** |")


if __name__ == "__main__":
    main()
