"""`policy check` throughput and cold start, against markdownlint-cli2 and extraction alone.

    python benchmarks/check.py [--documents 10000] [--quick]

Generates realistic documents (benchmarks/corpus.py: incident records, reviews, hotfix PR
bodies; fixed seed) into a temporary folder, then on the same files times:
  * markdownlint-cli2 with its default rules (installed from npm into the user cache on first
    use: a fast Node linter teams already run on such files);
  * `policy check FOLDER` with the built-in pack (every rule that exists), as a subprocess;
  * extraction alone (every file through `engine.documents`, in one process);
  * a cold `policy check` of one document against
    `python -c "import markdown_it, ruamel.yaml, jsonschema, lark"`: the document alone in a
    folder with the same configuration (a named file is judged with every other document under
    the run's root as context, so in the generated repository it reads all of them: that is
    timed too, as "one document in the repository", without a target).
  * the workspace rules' worst case (issue 15): every record a hotfix of the same month
    (`corpus.write_same_month_hotfixes`), `policy check` of 1,000 and of 2,000 such records.
  * scale (issue 15), on two corpora: the issue's repository (`corpus.write_history`: incident
    records of 50-100 lines with 3-12 updates, one in twelve a hotfix, over two years) and the
    worst case above, 1,000 and 2,000 records each: markdownlint-cli2 and `policy check` cold (the
    extraction and run caches emptied before each run; the policy cache warm) taken in turn, so
    that a machine whose speed drifts weighs on both alike; then warm (the
    repository unchanged, the clock an hour later at each run: the run cache replays while the
    findings hold) and with one record edited before each run (that record extracted again,
    the rest read back, the whole run judged); then the peak memory (largest process) of a cold
    and of an edited `policy check` on 5,000 and 10,000 history records. Each scale time is
    the best of SCALE_RUNS runs (warm: of WARM_HOURS hours, each run WARM_REPEATS times from the
    run cache as that hour found it), each other time the best of 3.
  Every other `policy check` timed here empties the run cache first: it measures judging.
Targets (issue 4): throughput >= 2x markdownlint-cli2; total <= 1.5x extraction alone; cold
single-document check <= 2x the import baseline; (issue 15) on both scale corpora >= 3x
markdownlint-cli2 cold, >= 10x warm, 2,000 records <= 2.2x what 1,000 cost; peak memory of
10,000 records <= 2x that of 5,000. `--worst-case-only` runs the worst case alone,
`--scale-only` the scale measures alone. Prints Markdown tables. The benchmark keeps its caches
in a temporary XDG_CACHE_HOME of its own, made in the user's cache folder, where the tool keeps
them by default (on the development machine /tmp creates a file ten times slower).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]

from corpus import write_corpus, write_history, write_same_month_hotfixes  # noqa: E402
from installed import byte_compile, policy_command  # noqa: E402

MARKDOWNLINT = "markdownlint-cli2@0.24.1"
SCALE_RUNS = 5
"""Runs of each scale measure, the best taken (3 for the others): on the 2-core development
machine the same CPU-bound loop takes up to a third longer from one second to the next, and
with three runs a scale ratio moved by as much between two runs of the benchmark on the same
commit (benchmarks/README.md, Scale). Both sides of each ratio get the same number of runs."""
WARM_HOURS = 3
"""Warm runs an hour apart (the best taken), whatever SCALE_RUNS: in the worst case the first
comes past the run cache entry's time and reads every record back, the next two judge again
the records whose deadlines passed; at the fourth hour no deadline has passed since the third,
and the run replays (a quarter of a second), which is not what the worst case measures."""
WARM_REPEATS = 3
"""Runs of each warm hour, each from the run cache as the hour found it (`later_checks`)."""


@cache
def markdownlint() -> list:
    """The markdownlint-cli2 command, installing it into the user cache when missing (asked
    for once, before the benchmark points XDG_CACHE_HOME at a folder of its own)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hotfix-policy" / "bench-node"
    binary = folder / "node_modules" / ".bin" / "markdownlint-cli2"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), MARKDOWNLINT],
                       check=True, timeout=600)
    return [str(binary)]


def timed(command: list, cwd: Path, runs: int, before=None, ok: tuple = (0,)) -> float:
    """Best wall time of `runs` runs of `command`, each ending with an exit code in `ok`;
    `before()` (optional) runs ahead of each."""
    best = float("inf")
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        finished = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
        succeeded(command, cwd, finished.returncode, ok)
    return best


def succeeded(command: list, cwd: Path, code: int, ok: tuple = (0,)) -> None:
    """Stop the benchmark when a measured command failed: its time would be that of a failure
    (a `policy` that is not installed exits in 0.04 s, 150x faster than markdownlint-cli2)."""
    if code not in ok:
        raise SystemExit(f"benchmark: `{' '.join(map(str, command))}` exited {code} in {cwd}; "
                         "run it there to see why")


def extraction_seconds(paths: list, runs: int) -> float:
    from hotfix_policy.engine.documents import read_document

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for path in paths:
            read_document(path)
        best = min(best, time.perf_counter() - start)
    return best


WORST_CASE_SIZES = (1000, 2000)


def worst_case(runs: int) -> list:
    """(records, seconds) of `policy check` where every record is a hotfix of the same month."""
    measured = []
    for count in WORST_CASE_SIZES:
        with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-worst-") as temporary:
            folder = Path(temporary)
            write_same_month_hotfixes(folder, count)
            (folder / ".policy.yaml").write_text("clock: 2026-12-01T12:00:00Z\n", encoding="utf-8")
            timed([*policy_command(), "check", ".", "--fail-on", "never"], folder, 1)  # warm the policy cache
            measured.append((count, timed([*policy_command(), "check", ".", "--fail-on", "never", "--format", "json"],
                                          folder, runs, before=forget_runs)))
    return measured


SCALE_SIZES = (1000, 2000)
MEMORY_SIZES = (5000, 10000)
SCALE_CORPORA = {"history": (write_history, "clock: 2026-11-26T12:00:00Z\n"),
                 "worst case": (write_same_month_hotfixes, "clock: 2026-12-01T12:00:00Z\n")}
CHECK = ["check", ".", "--fail-on", "never", "--format", "json"]


def _cache(name: str) -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "hotfix-policy" / name


def forget_runs() -> None:
    """Empty the run cache, so that the next `policy check` judges (it replays an unchanged run)."""
    shutil.rmtree(_cache("runs"), ignore_errors=True)


def check_run(folder: Path, cold: bool, now: Optional[datetime] = None) -> tuple:
    """(seconds, peak RSS in MB of the run's largest process) of one `policy check`; `cold`
    empties the extraction and run caches first; `now` is the run's clock (`--now`)."""
    if cold:
        shutil.rmtree(_cache("documents"), ignore_errors=True)
        forget_runs()
    clock = ["--now", now.isoformat()] if now is not None else []
    start = time.perf_counter()
    command = [*policy_command(), *CHECK, *clock]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    succeeded(command, folder, os.waitstatus_to_exitcode(status))
    return seconds, usage.ru_maxrss / 1024


def linted_and_cold(folders: dict, runs: int) -> dict:
    """Per size, (best of `runs` of markdownlint-cli2, best of `runs` cold `policy check`s), each
    size's run of each in turn, round after round: the development machine's speed drifts over
    minutes (markdownlint-cli2 took 5.5-9.0 s for the same 1,000 records in one afternoon), which
    timed one after the other (all of one, then all of the other; all of 1,000 records, then all
    of 2,000) moved the ratios and the growth by as much."""
    best = {count: [float("inf"), float("inf")] for count in folders}
    for _ in range(runs):
        for count, folder in folders.items():
            best[count][0] = min(best[count][0], timed([*markdownlint(), "**/*.md"], folder, 1, ok=(0, 1)))
            best[count][1] = min(best[count][1], check_run(folder, cold=True)[0])
    return best


def later_checks(folders: dict, clock: datetime, runs: int, repeats: int) -> dict:
    """Per size, the best warm run over the unchanged repository at each of `runs` hours, the
    clock an hour later each time (the run cache replays only while the clock is before what the
    findings depend on), the sizes in turn. Each hour's run is made `repeats` times from the run
    cache as that hour found it (restored before each): the hours do different work, and one
    sample of each left the best of them at the mercy of the machine's speed in one second."""
    best = dict.fromkeys(folders, float("inf"))
    runs_folder = _cache("runs")
    for hour in range(1, runs + 1):
        for count, folder in folders.items():
            with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-runs-") as saved:
                found = Path(saved) / "runs"
                shutil.copytree(runs_folder, found, symlinks=True)
                for _ in range(repeats):
                    shutil.rmtree(runs_folder, ignore_errors=True)
                    shutil.copytree(found, runs_folder, symlinks=True)
                    best[count] = min(best[count], check_run(folder, False, clock + timedelta(hours=hour))[0])
    return best


def edited_check(folder: Path, index: int) -> tuple:
    """One warm `policy check` after one record changed (a comment appended to the index-th record):
    that record is extracted again, every other one read back, and the whole run judged."""
    records = sorted(folder.glob("incidents/*.md"))
    record = records[index % len(records)]
    with record.open("a", encoding="utf-8") as out:
        out.write(f"\n<!-- edited {index} -->\n")
    return check_run(folder, cold=False)


def scale(runs: int) -> dict:
    """Per corpus and size: markdownlint, cold, warm and one-record-edited `policy check` seconds,
    the sizes of a corpus measured in turn; then memory."""
    results: dict = {}
    for name, (write, config) in SCALE_CORPORA.items():
        clock = datetime.fromisoformat(config.split(":", 1)[1].strip().replace("Z", "+00:00"))
        with contextlib.ExitStack() as stack:
            folders = {count: Path(stack.enter_context(tempfile.TemporaryDirectory(
                prefix=f"hotfix-policy-bench-scale-{count}-"))) for count in SCALE_SIZES}
            for count, folder in folders.items():
                write(folder, count)
                (folder / ".policy.yaml").write_text(config, encoding="utf-8")
                check_run(folder, cold=True)  # warms the policy cache
            cold = linted_and_cold(folders, runs)
            forget_runs()
            for folder in folders.values():
                check_run(folder, cold=False)  # fills the extraction and run caches
            warm = later_checks(folders, clock, WARM_HOURS if runs > 1 else 1, WARM_REPEATS if runs > 1 else 1)
            edited = dict.fromkeys(folders, float("inf"))
            for index in range(runs):
                for count, folder in folders.items():
                    edited[count] = min(edited[count], edited_check(folder, index)[0])
            for count in folders:
                results[(name, count)] = (*cold[count], warm[count], edited[count])
    for count in MEMORY_SIZES:
        with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-memory-") as temporary:
            folder = Path(temporary)
            write_history(folder, count)
            (folder / ".policy.yaml").write_text(SCALE_CORPORA["history"][1], encoding="utf-8")
            cold_seconds, cold_peak = check_run(folder, cold=True)
            warm_seconds, warm_peak = edited_check(folder, 0)
            results[("memory", count)] = (cold_seconds, cold_peak, warm_seconds, warm_peak)
    return results


def _verdict(value: float, target: float, at_least: bool) -> str:
    met = value >= target if at_least else value <= target
    return f"{'>=' if at_least else '<='} {target:g}x: {'met' if met else 'NOT met'}"


def print_scale(results: dict) -> None:
    print("| corpus | records | markdownlint-cli2 s | `policy check` cold s | warm s | one record edited s | "
          "cold vs markdownlint | warm vs markdownlint | edited vs markdownlint | growth from 1,000 (cold, warm, "
          "edited) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    small, large = SCALE_SIZES
    for name in SCALE_CORPORA:
        for count in SCALE_SIZES:
            lint, cold, warm, edited = results[(name, count)]
            growth = ""
            if count == large:
                _, *smaller = results[(name, small)]
                growth = ", ".join(f"{now / before:.2f}x ({_verdict(now / before, 2.2, False)})"
                                   for now, before in zip((cold, warm, edited), smaller))
            print(f"| {name} | {count:,} | {lint:.2f} | {cold:.2f} | {warm:.2f} | {edited:.2f} | {lint / cold:.2f}x "
                  f"({_verdict(lint / cold, 3, True)}) | {lint / warm:.2f}x ({_verdict(lint / warm, 10, True)}) | "
                  f"{lint / edited:.2f}x | {growth} |")
    print()
    print("| history records | cold s | cold peak MB | one record edited s | its peak MB | peak / 5,000's |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    low, high = MEMORY_SIZES
    for count in MEMORY_SIZES:
        cold_seconds, cold_peak, warm_seconds, warm_peak = results[("memory", count)]
        ratio = ""
        if count == high:
            base = results[("memory", low)]
            ratio = (f"cold {cold_peak / base[1]:.2f}x ({_verdict(cold_peak / base[1], 2, False)}), "
                     f"edited {warm_peak / base[3]:.2f}x ({_verdict(warm_peak / base[3], 2, False)})")
        print(f"| {count:,} | {cold_seconds:.2f} | {cold_peak:.0f} | {warm_seconds:.2f} | {warm_peak:.0f} | {ratio} |")


def print_worst_case(measured: list) -> None:
    (small, first), (large, second) = measured
    ratio = second / first
    for count, seconds in measured:
        growth = (f"{large:,} / {small:,} records: {ratio:.2f}x | <= 2.2x: {'met' if ratio <= 2.2 else 'NOT met'}"
                  if count == large else " |")
        print(f"| every record a hotfix of one month: {count:,} records | {seconds:.2f} | {count / seconds:,.0f} | "
              f"{growth} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="1,000 documents, one run each")
    parser.add_argument("--worst-case-only", action="store_true",
                        help="only the workspace rules' worst case (1,000 and 2,000 hotfixes of one month)")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the scale measures (two corpora cold and warm, memory at 5,000 and 10,000)")
    args = parser.parse_args()
    count = 1000 if args.quick else args.documents
    runs = 1 if args.quick else 3
    byte_compile()
    markdownlint()
    home_caches = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home_caches.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-cache-", dir=home_caches) as caches:
        os.environ["XDG_CACHE_HOME"] = caches
        os.environ.pop("HOTFIX_POLICY_NO_CACHE", None)
        measure(args, count, runs)


def measure(args, count: int, runs: int) -> None:
    scale_runs = 1 if args.quick else SCALE_RUNS
    if args.scale_only:
        load = os.getloadavg()[0]
        results = scale(scale_runs)
        print(f"`python benchmarks/check.py --scale-only{' --quick' if args.quick else ''}`: {os.cpu_count()} cores, "
              f"best of {scale_runs}, load average {load:.2f} before, {os.getloadavg()[0]:.2f} after\n")
        print_scale(results)
        return
    if args.worst_case_only:
        measured = worst_case(runs)
        print(f"`python benchmarks/check.py --worst-case-only{' --quick' if args.quick else ''}`: "
              f"{os.cpu_count()} cores, best of {runs}, load average before {os.getloadavg()[0]:.2f}\n")
        print("| measure | seconds | documents/s | ratio | target |")
        print("| --- | ---: | ---: | ---: | --- |")
        print_worst_case(measured)
        return
    with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-") as temporary:
        folder = Path(temporary)
        paths = write_corpus(folder, count)
        (folder / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
        timed([*policy_command(), "check", ".", "--fail-on", "never"], folder, 1)  # warm the policy cache
        ours = timed([*policy_command(), "check", ".", "--fail-on", "never", "--format", "json"], folder, runs,
                     before=forget_runs)
        lint = timed([*markdownlint(), "**/*.md"], folder, runs, ok=(0, 1))
        extraction = extraction_seconds(paths, runs)
        single = paths[0]
        baseline = timed([sys.executable, "-c", "import markdown_it, ruamel.yaml, jsonschema, lark"], folder, 5 * runs)
        with tempfile.TemporaryDirectory(prefix="hotfix-policy-bench-alone-") as lone:
            alone = Path(lone)
            (alone / single.parent.name).mkdir(parents=True)
            (alone / ".policy.yaml").write_text((folder / ".policy.yaml").read_text(encoding="utf-8"),
                                                encoding="utf-8")
            (alone / single.relative_to(folder)).write_bytes(single.read_bytes())
            cold = timed([*policy_command(), "check", str(single.relative_to(folder)), "--fail-on", "never"], alone,
                         5 * runs, before=forget_runs)
        in_repository = timed([*policy_command(), "check", str(single.relative_to(folder)), "--fail-on", "never"],
                              folder, runs, before=forget_runs)
    from hotfix_policy.engine.policy.check import load_run_policies
    from hotfix_policy.engine.policy.config import load_config

    rules = len(load_run_policies(load_config(None)).rules())
    print(f"`python benchmarks/check.py{' --quick' if args.quick else ''}`: {count:,} documents, {rules} pack rules, "
          f"{os.cpu_count()} cores, best of {runs}\n")
    print("| measure | seconds | documents/s | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| markdownlint-cli2 (default rules) | {lint:.2f} | {count / lint:,.0f} | | |")
    print(f"| `policy check` (built-in pack) | {ours:.2f} | {count / ours:,.0f} | {lint / ours:.2f}x faster | "
          f">= 2x: {'met' if lint / ours >= 2 else 'NOT met'} |")
    print(f"| extraction alone | {extraction:.2f} | {count / extraction:,.0f} | check / extraction "
          f"{ours / extraction:.2f}x | <= 1.5x: {'met' if ours / extraction <= 1.5 else 'NOT met'} |")
    print(f"| import baseline (markdown_it, ruamel.yaml, jsonschema, lark) | {baseline:.3f} | | | |")
    print(f"| cold `policy check` of one document | {cold:.3f} | | {cold / baseline:.2f}x baseline | "
          f"<= 2x: {'met' if cold / baseline <= 2 else 'NOT met'} |")
    print(f"| one document in the repository ({count:,} others read as context) | {in_repository:.2f} | | "
          f"{in_repository / ours:.2f}x the whole check | |")
    print_worst_case(worst_case(runs))
    print()
    print(f"\nScale: best of {scale_runs}\n")
    print_scale(scale(scale_runs))


if __name__ == "__main__":
    main()
