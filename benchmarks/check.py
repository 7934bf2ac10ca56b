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
Targets (issue 4): throughput >= 2x markdownlint-cli2; total <= 1.5x extraction alone; cold
single-document check <= 2x the import baseline; (issue 15) 2,000 worst-case records cost
<= 2.2x what 1,000 cost. `--worst-case-only` runs the last measure alone. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from corpus import write_corpus, write_same_month_hotfixes  # noqa: E402
from installed import policy_command  # noqa: E402

MARKDOWNLINT = "markdownlint-cli2@0.24.1"


def markdownlint() -> list:
    """The markdownlint-cli2 command, installing it into the user cache when missing."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hotfix-policy" / "bench-node"
    binary = folder / "node_modules" / ".bin" / "markdownlint-cli2"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), MARKDOWNLINT],
                       check=True, timeout=600)
    return [str(binary)]


def timed(command: list, cwd: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


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
            subprocess.run([*policy_command(), "check", ".", "--fail-on", "never"], cwd=folder,
                           stdout=subprocess.DEVNULL, check=False)  # warm the policy cache
            measured.append((count, timed([*policy_command(), "check", ".", "--fail-on", "never", "--format", "json"],
                                          folder, runs)))
    return measured


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
    args = parser.parse_args()
    count = 1000 if args.quick else args.documents
    runs = 1 if args.quick else 3
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine")], check=True)
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
        subprocess.run([*policy_command(), "check", ".", "--fail-on", "never"], cwd=folder,
                       stdout=subprocess.DEVNULL, check=False)  # warm the policy cache
        ours = timed([*policy_command(), "check", ".", "--fail-on", "never", "--format", "json"], folder, runs)
        lint = timed([*markdownlint(), "**/*.md"], folder, runs)
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
                         5 * runs)
        in_repository = timed([*policy_command(), "check", str(single.relative_to(folder)), "--fail-on", "never"],
                              folder, runs)
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


if __name__ == "__main__":
    main()
