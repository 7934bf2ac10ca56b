"""The repository's git facts (hotfix merges, branches, tags) as the history grows.

    python benchmarks/git_facts.py [--hotfixes N] [--rounds R]

Every `policy check` inside a git work tree reads the `repository` document first (the run cache
keys on it, so a replayed run pays for it too). The benchmark builds two repositories shaped
like a team's history: main with N (and 2N) hotfix branches merged and kept, and a feature merged
after each hotfix, and times `repository_facts` on each (best of R), against `git log --all` of the
same repository, the least a reader of the whole history does, in the same run. It counts the
git processes started: they must not grow with the history. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hotfix_policy.engine.documents import git as git_facts
from hotfix_policy.engine.documents import repository_facts

ENV = dict(os.environ, GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com", GIT_COMMITTER_NAME="Dana",
           GIT_COMMITTER_EMAIL="dana@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def history(folder: Path, hotfixes: int) -> None:
    """main with `hotfixes` merged hotfix branches (kept) and a feature merged after each."""
    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, env=ENV, check=True, capture_output=True)

    def commit(name: str, message: str) -> None:
        (folder / name).write_text(message)
        run("add", name)
        run("commit", "-q", "-m", message)

    run("init", "-q", "-b", "main")
    commit("a.txt", "initial")
    for number in range(1, hotfixes + 1):
        run("checkout", "-q", "-b", f"hotfix/v1.{number}.1", "main")
        commit(f"fix{number}.py", f"hotfix(api): fix {number}")
        run("checkout", "-q", "main")
        run("merge", "-q", "--no-ff", f"hotfix/v1.{number}.1", "-m", f"Merge branch 'hotfix/v1.{number}.1'")
        run("checkout", "-q", "-b", f"feature/{number}", "main")
        commit(f"feature{number}.py", f"feat: feature {number}")
        run("checkout", "-q", "main")
        run("merge", "-q", "--no-ff", f"feature/{number}", "-m", f"Merge pull request #{number} from org/feature")
        run("branch", "-q", "-D", f"feature/{number}")


def best(rounds: int, action) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def processes_started(folder: Path) -> int:
    started = []
    real_run = subprocess.run
    git_facts.subprocess.run = lambda *a, **k: started.append(a) or real_run(*a, **k)
    try:
        repository_facts(cwd=folder)
    finally:
        git_facts.subprocess.run = real_run
    return len(started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hotfixes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for hotfixes in (options.hotfixes, 2 * options.hotfixes):
            folder = Path(scratch) / str(hotfixes)
            folder.mkdir()
            history(folder, hotfixes)
            facts = best(options.rounds, lambda: repository_facts(cwd=folder))
            log = best(options.rounds, lambda: subprocess.run(["git", "log", "--all", "--format=%H %P %s"], cwd=folder,
                                                              capture_output=True, check=True))
            rows.append((hotfixes, facts, log, processes_started(folder)))
    print(f"`python benchmarks/git_facts.py --hotfixes {options.hotfixes}`: best of {options.rounds}\n")
    print("| hotfixes merged (branches kept) | git facts s | `git log --all` s | facts vs log | git processes | growth |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for index, (hotfixes, facts, log, processes) in enumerate(rows):
        growth = f"{facts / rows[0][1]:.2f}x (input 2x)" if index else ""
        print(f"| {hotfixes:,} | {facts:.3f} | {log:.3f} | {facts / log:.1f}x | {processes} | {growth} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
