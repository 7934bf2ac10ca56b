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
Targets (issue 4): throughput >= 2x markdownlint-cli2; total <= 1.5x extraction alone; cold
single-document check <= 2x the import baseline. Prints a Markdown table.
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

from corpus import write_corpus  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="1,000 documents, one run each")
    args = parser.parse_args()
    count = 1000 if args.quick else args.documents
    runs = 1 if args.quick else 3
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine")], check=True)
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


if __name__ == "__main__":
    main()
