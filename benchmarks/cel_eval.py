"""Rule-language speed, side by side with its peers, in one process.

Issue #2's performance targets are ratios, so every number here is measured against a peer in the
same run: our `engine.cel`, cel-python (`celpy`), the native binding `cel`
(common-expression-language, used at its best: one `cel.Context` per document, reused across
expressions) and the same logic hand-written as Python lambdas over the same dicts.

Before anything is timed, every engine's answer for every expression and document is checked to
be the same value of the same type: a benchmark that compares different answers is worthless.

    python benchmarks/cel_eval.py [--quick]

Prints markdown tables: per-expression evaluation times and geometric-mean ratios; compiling 50
expressions (caches cleared) against cel-python; a cold `policy eval '1 + 1'` against
`python -c "import lark, re2"`; and the catastrophic-regex case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import math
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parents[1]

import celpy  # noqa: E402
import cel as native  # noqa: E402
import re2  # noqa: E402

from hotfix_policy.engine.cel import compile as cel_compile  # noqa: E402

from installed import byte_compile  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Documents: what the extractors produce for incidents and hotfix PRs (JSON-shaped dicts)

STATUSES = ["INVESTIGATING", "FIXING", "TESTING", "DEPLOYING", "MONITORING"]


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_incident(number: int, late: bool) -> dict:
    declared = dt.datetime(2026, 11, 20, 9, 10, tzinfo=dt.timezone.utc) + dt.timedelta(days=number)
    updates = []
    for index in range(20):
        at = declared + dt.timedelta(minutes=25 * (index + 1) + (40 if late and index == 12 else 0))
        updates.append({
            "at": _iso(at),
            "status": STATUSES[min(index // 4, 4)],
            "progress": f"Step {index}: narrowed the failure to the serializer",
            "next": "Patch the serializer and add a regression test",
            "eta": _iso(at + dt.timedelta(minutes=30)),
            "issues": "Rollback blocked by migration" if late and index == 7 else "None",
        })
    resolved = declared + dt.timedelta(hours=9 if late else 3, minutes=52)
    return {
        "id": f"INC-{2041 + number}",
        "title": "Checkout card payments failing",
        "severity": ["CRITICAL", "HIGH", "MEDIUM"][number % 3],
        "criterion": "Critical business function broken for all users",
        "issue": "Every card payment fails with HTTP 500",
        "impact": "All users in all regions" if number % 2 == 0 else "EU users only",
        "status": "CLOSED",
        "commander": {"handle": "@dana-k", "login": "dana-k"},
        "branch": f"hotfix/v3.14.{number + 1}-card-payment-null-currency",
        "declared_at": _iso(declared),
        "updates": updates,
        "resolution": {
            "at": _iso(resolved),
            "issue": "Card payments failed for legacy stored cards",
            "duration": "3h 52m",
            "impact": {"summary": "All card payments failed", "customers": 12000 + number},
        },
        "closed_at": _iso(resolved + dt.timedelta(hours=4)),
    }


def make_pull_request(number: int, tested: bool) -> dict:
    files = [f"src/payments/module_{index}.py" for index in range(17)]
    files += ["tests/test_serializer.py" if tested else "docs/changelog.md", "CHANGELOG.md", "pyproject.toml"]
    return {
        "number": 318 + number,
        "title": f"hotfix(payments): default the currency for legacy cards #{2041 + number}",
        "branch": f"hotfix/v3.14.{number + 1}-card-payment-null-currency",
        "base": "main",
        "author": "lee",
        "labels": ["hotfix", "payments", "sev-critical"],
        "changed_files": files,
        "testing_performed": [
            {"text": "Existing tests pass", "checked": True},
            {"text": "New test validates fix", "checked": tested},
            {"text": "Manual verification in staging", "checked": number % 2 == 0},
        ],
        "approvals": [
            {"login": "lee", "at": "2026-11-20T10:10:00Z"},
            {"login": "sam" if tested else "lee", "at": "2026-11-20T10:20:00Z"},
        ],
        "bypass": {"requested": False, "approver": None, "reason": ""},
    }


CTX = {"now": "2026-11-26T12:00:00Z", "labels": ["hotfix"], "branch": "hotfix/v3.14.1-x"}
INCIDENTS = [{"doc": make_incident(n, late=n % 2 == 1), "ctx": CTX} for n in range(4)]
PULL_REQUESTS = [{"doc": make_pull_request(n, tested=n % 2 == 0), "ctx": CTX} for n in range(4)]


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------------
# The expressions: CEL source and the same logic as a hand-written lambda


@dataclass(frozen=True)
class Case:
    name: str
    documents: list
    source: str
    by_hand: Callable[[dict], Any]


VERSION_BRANCH = r"^hotfix/v[0-9]+\.[0-9]+\.[0-9]+-[a-z0-9-]+$"
CONVENTIONAL_TITLE = r"^hotfix\([a-z-]+\): .+ #[0-9]+$"
# The hand-written side compiles its patterns once, as a careful author would.
VERSION_BRANCH_RE = re2.compile(VERSION_BRANCH)
CONVENTIONAL_TITLE_RE = re2.compile(CONVENTIONAL_TITLE)
CATASTROPHIC_RE = re2.compile("(a+)+$")

CASES = [
    Case(
        "membership: severity in list",
        INCIDENTS,
        "doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']",
        lambda a: a["doc"]["severity"] in ["CRITICAL", "HIGH", "MEDIUM"],
    ),
    Case(
        "string: branch prefix + matches()",
        INCIDENTS,
        f"doc.branch.startsWith('hotfix/') && doc.branch.matches(r'{VERSION_BRANCH}')",
        lambda a: a["doc"]["branch"].startswith("hotfix/") and VERSION_BRANCH_RE.search(a["doc"]["branch"]) is not None,
    ),
    Case(
        "string: title matches() + size",
        PULL_REQUESTS,
        f"doc.title.matches(r'{CONVENTIONAL_TITLE}') && size(doc.title) <= 72 && !doc.title.endsWith('.')",
        lambda a: CONVENTIONAL_TITLE_RE.search(a["doc"]["title"]) is not None
        and len(a["doc"]["title"]) <= 72 and not a["doc"]["title"].endswith("."),
    ),
    Case(
        "macro: all() over 20 updates",
        INCIDENTS,
        "doc.updates.all(u, u.status in ['INVESTIGATING', 'FIXING', 'TESTING', 'DEPLOYING', 'MONITORING'])",
        lambda a: all(u["status"] in ["INVESTIGATING", "FIXING", "TESTING", "DEPLOYING", "MONITORING"]
                      for u in a["doc"]["updates"]),
    ),
    Case(
        "macro: filter().size() over 20 updates",
        INCIDENTS,
        "doc.updates.filter(u, u.issues != 'None').size() == 0",
        lambda a: len([u for u in a["doc"]["updates"] if u["issues"] != "None"]) == 0,
    ),
    Case(
        "macro: map() then exists()",
        INCIDENTS,
        "doc.updates.map(u, u.status).exists(s, s == 'MONITORING')",
        lambda a: any(s == "MONITORING" for s in [u["status"] for u in a["doc"]["updates"]]),
    ),
    Case(
        "macro: exists() over 20 changed files",
        PULL_REQUESTS,
        "doc.changed_files.exists(f, f.startsWith('tests/') || f.endsWith('_test.py'))",
        lambda a: any(f.startswith("tests/") or f.endswith("_test.py") for f in a["doc"]["changed_files"]),
    ),
    Case(
        "timestamps: resolution - declaration < 4h",
        INCIDENTS,
        "timestamp(doc.resolution.at) - timestamp(doc.declared_at) < duration('4h')",
        lambda a: ts(a["doc"]["resolution"]["at"]) - ts(a["doc"]["declared_at"]) < dt.timedelta(hours=4),
    ),
    Case(
        "timestamps: every ETA within 30m of its update",
        INCIDENTS,
        "doc.updates.all(u, timestamp(u.eta) - timestamp(u.at) <= duration('30m'))",
        lambda a: all(ts(u["eta"]) - ts(u["at"]) <= dt.timedelta(minutes=30) for u in a["doc"]["updates"]),
    ),
    Case(
        "timestamps: age against ctx.now, accessor",
        INCIDENTS,
        "timestamp(ctx.now) - timestamp(doc.closed_at) > duration('24h') && timestamp(doc.declared_at).getHours() >= 9",
        lambda a: ts(a["ctx"]["now"]) - ts(a["doc"]["closed_at"]) > dt.timedelta(hours=24)
        and ts(a["doc"]["declared_at"]).hour >= 9,
    ),
    Case(
        "nested fields + ternary",
        INCIDENTS,
        "doc.impact.startsWith('All') ? doc.severity == 'CRITICAL' && doc.resolution.impact.customers > 1000 : true",
        lambda a: (a["doc"]["severity"] == "CRITICAL" and a["doc"]["resolution"]["impact"]["customers"] > 1000)
        if a["doc"]["impact"].startswith("All") else True,
    ),
    Case(
        "PR: required testing box checked",
        PULL_REQUESTS,
        "doc.testing_performed.exists(i, i.text.startsWith('New test validates fix') && i.checked)",
        lambda a: any(i["text"].startswith("New test validates fix") and i["checked"]
                      for i in a["doc"]["testing_performed"]),
    ),
    Case(
        "PR: approvals by someone else, labels",
        PULL_REQUESTS,
        "doc.approvals.filter(r, r.login != doc.author).size() >= 1 && 'hotfix' in doc.labels && has(doc.bypass.reason)",
        lambda a: len([r for r in a["doc"]["approvals"] if r["login"] != a["doc"]["author"]]) >= 1
        and "hotfix" in a["doc"]["labels"] and "reason" in a["doc"]["bypass"],
    ),
    Case(
        "message: string building",
        PULL_REQUESTS,
        "'PR ' + string(doc.number) + ' (' + doc.branch + '): ' + string(size(doc.changed_files)) + ' files'",
        lambda a: "PR " + str(a["doc"]["number"]) + " (" + a["doc"]["branch"] + "): "
        + str(len(a["doc"]["changed_files"])) + " files",
    ),
]

# ---------------------------------------------------------------------------------------------
# Engines


def plain(value: Any) -> Any:
    """A result as a plain Python value, keeping the CEL type (bool, int, float apart)."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, dt.datetime):
        return dt.datetime.fromisoformat(value.isoformat())
    if isinstance(value, dt.timedelta):
        return dt.timedelta(seconds=value.total_seconds())
    return value


def plain_celpy(value: Any) -> Any:
    if isinstance(value, celpy.celtypes.BoolType):
        return bool(value)
    if isinstance(value, celpy.celtypes.ListType):
        return [plain_celpy(item) for item in value]
    if isinstance(value, celpy.celtypes.MapType):
        return {plain_celpy(key): plain_celpy(item) for key, item in value.items()}
    return plain(value)


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@dataclass
class Runners:
    """For one expression: per engine, a list of zero-argument callables (one per document)."""

    ours: list
    celpy: list
    native: list
    by_hand: list


_CELPY_ENV = celpy.Environment()


def build_runners(case: Case) -> Runners:
    ours = cel_compile(case.source, declarations=None)
    celpy_program = _CELPY_ENV.program(_CELPY_ENV.compile(case.source))
    native_program = native.compile(case.source)
    runners = Runners([], [], [], [])
    for activation in case.documents:
        celpy_activation = {name: celpy.json_to_cel(value) for name, value in activation.items()}
        # At its best: one Context per document, built once and reused across expressions.
        context = _native_context(id(activation), activation)
        runners.ours.append(functools.partial(ours.evaluate, activation))
        runners.celpy.append(functools.partial(celpy_program.evaluate, celpy_activation))
        runners.native.append(functools.partial(native_program.execute, context))
        runners.by_hand.append(functools.partial(case.by_hand, activation))
    return runners


_NATIVE_CONTEXTS: dict[int, Any] = {}


def _native_context(key: int, activation: dict):
    if key not in _NATIVE_CONTEXTS:
        _NATIVE_CONTEXTS[key] = native.Context(variables=activation)
    return _NATIVE_CONTEXTS[key]


def verify(case: Case, runners: Runners) -> list[str]:
    """Every engine's answer for every document, compared; returns the disagreements."""
    problems = []
    for index in range(len(case.documents)):
        answers = {
            "lambda": plain(runners.by_hand[index]()),
            "ours": plain(runners.ours[index]()),
            "cel-python": plain_celpy(runners.celpy[index]()),
            "native": plain(runners.native[index]()),
        }
        expected = answers["lambda"]
        for engine, answer in answers.items():
            if not same(expected, answer):
                problems.append(
                    f"{case.name} [document {index}]: {engine} gave {answer!r} ({type(answer).__name__}),"
                    f" lambda gave {expected!r} ({type(expected).__name__})"
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Timing


def seconds_per_call(calls: list, budget: float, repeats: int) -> float:
    """Best-of-`repeats` seconds per call of a round over `calls`, each round at least `budget`/..."""

    def run(rounds: int) -> float:
        start = time.perf_counter()
        for _ in range(rounds):
            for call in calls:
                call()
        return time.perf_counter() - start

    rounds = 1
    while True:
        elapsed = run(rounds)
        if elapsed >= budget:
            break
        rounds = max(rounds * 2, int(rounds * budget / max(elapsed, 1e-9) * 1.1))
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        best = min(run(rounds) for _ in range(repeats))
    finally:
        if gc_was_enabled:
            gc.enable()
    return best / (rounds * len(calls))


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(value) for value in values) / len(values))


def micro(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f}"


def evaluation_table(budget: float, repeats: int) -> tuple[list[str], dict[str, float]]:
    lines = [
        "| expression | ours µs | cel-python µs | native µs | lambda µs | cel-python / ours | native / ours | ours / lambda |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ratios: dict[str, list[float]] = {"celpy": [], "native": [], "lambda": []}
    all_runners = [(case, build_runners(case)) for case in CASES]
    problems = [problem for case, runners in all_runners for problem in verify(case, runners)]
    if problems:
        print("Engines disagree; nothing timed:", *problems, sep="\n  ", file=sys.stderr)
        raise SystemExit(1)
    for case, runners in all_runners:
        ours = seconds_per_call(runners.ours, budget, repeats)
        celpy_time = seconds_per_call(runners.celpy, budget, repeats)
        native_time = seconds_per_call(runners.native, budget, repeats)
        by_hand = seconds_per_call(runners.by_hand, budget, repeats)
        ratios["celpy"].append(celpy_time / ours)
        ratios["native"].append(native_time / ours)
        ratios["lambda"].append(ours / by_hand)
        lines.append(
            f"| {case.name} | {micro(ours)} | {micro(celpy_time)} | {micro(native_time)} | {micro(by_hand)}"
            f" | {celpy_time / ours:.1f}x | {native_time / ours:.2f}x | {ours / by_hand:.2f}x |"
        )
    means = {name: geometric_mean(values) for name, values in ratios.items()}
    lines.append(
        f"| **geometric mean** | | | | | **{means['celpy']:.1f}x** | **{means['native']:.2f}x**"
        f" | **{means['lambda']:.2f}x** |"
    )
    return lines, means


# ---------------------------------------------------------------------------------------------
# Compiling


def clear_our_caches() -> None:
    """Clear every memo of compiled expressions in `hotfix_policy.engine.cel` (the Lark parser object, built
    once per process, stays: the cold-start row measures that)."""
    for module_name in list(sys.modules):
        if module_name != "hotfix_policy.engine.cel" and not module_name.startswith("hotfix_policy.engine.cel."):
            continue
        module = sys.modules[module_name]
        for name, value in list(vars(module).items()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and not _is_parser_builder(name):
                clear()


def _is_parser_builder(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ("lark", "grammar", "_parser", "build_parser"))


def compile_sources(round_number: int) -> list[str]:
    """50 distinct expressions: the cases' sources inside list literals with fresh constants, so
    no cache keyed on the text can answer."""
    sources = []
    for index in range(50):
        base = CASES[index % len(CASES)].source
        sources.append(f"[{base}, {round_number * 1000 + index}]")
    return sources


def compile_table(repeats: int) -> tuple[list[str], float]:
    cel_compile("1 + 1", declarations=None)  # the parser itself is built once per process
    _CELPY_ENV.program(_CELPY_ENV.compile("1 + 1"))
    ours_times, celpy_times = [], []
    for round_number in range(repeats):
        sources = compile_sources(round_number)
        clear_our_caches()
        start = time.perf_counter()
        for source in sources:
            cel_compile(source, declarations=None)
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for source in sources:
            environment = celpy.Environment()
            environment.program(environment.compile(source))
        celpy_times.append(time.perf_counter() - start)
    ours, celpy_best = min(ours_times), min(celpy_times)
    lines = [
        "| compile 50 expressions (caches cleared) | ours ms | cel-python ms | cel-python / ours |",
        "| --- | ---: | ---: | ---: |",
        f"| best of {repeats} | {ours * 1e3:.1f} | {celpy_best * 1e3:.1f} | {celpy_best / ours:.2f}x |",
    ]
    return lines, celpy_best / ours


# ---------------------------------------------------------------------------------------------
# Cold start


def cold_seconds(command: list[str], runs: int, expect: str | None = None) -> float:
    best = math.inf
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0 or (expect is not None and result.stdout.strip() != expect):
            raise SystemExit(f"{command} failed ({result.returncode}): {result.stdout}{result.stderr}")
        best = min(best, elapsed)
    return best


def cold_table(runs: int) -> tuple[list[str], dict[str, float]]:
    # lark and re2 start from the bytecode pip compiled when installing them; give the source tree
    # the same (pip byte-compiles `policy` on install too), even where PYTHONDONTWRITEBYTECODE is set.
    byte_compile()
    baseline = cold_seconds([sys.executable, "-c", "import lark, re2"], runs)
    rows = [("`python -c pass`", cold_seconds([sys.executable, "-c", "pass"], runs))]
    rows.append(('`python -c "import lark, re2"` (baseline)', baseline))
    ratios = {}
    module_time = cold_seconds([sys.executable, "-m", "hotfix_policy.cli", "eval", "1 + 1"], runs, expect="2")
    rows.append(("`python -m hotfix_policy.cli eval '1 + 1'`", module_time))
    ratios["module"] = module_time / baseline
    installed = shutil.which("policy")
    if installed:
        policy_time = cold_seconds([installed, "eval", "1 + 1"], runs, expect="2")
        rows.append(("`policy eval '1 + 1'` (installed)", policy_time))
        ratios["policy"] = policy_time / baseline
    lines = [f"| cold start, best of {runs} | ms | / baseline |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {seconds * 1e3:.1f} | {seconds / baseline:.2f}x |" for name, seconds in rows]
    if not installed:
        lines.append("| `policy eval '1 + 1'` (installed) | not on PATH | |")
    return lines, ratios


# ---------------------------------------------------------------------------------------------
# The catastrophic regular expression


def regex_table(repeats: int) -> list[str]:
    text = "a" * 100_000 + "!"
    source = "s.matches('(a+)+$')"
    ours = cel_compile(source, declarations=None)
    celpy_program = _CELPY_ENV.program(_CELPY_ENV.compile(source))
    celpy_activation = {"s": celpy.json_to_cel(text)}
    native_program = native.compile(source)
    native_context = native.Context(variables={"s": text})
    engines = {
        "ours": lambda: ours.evaluate({"s": text}),
        "cel-python": lambda: celpy_program.evaluate(celpy_activation),
        "native": lambda: native_program.execute(native_context),
        "lambda (compiled re2 pattern)": lambda: CATASTROPHIC_RE.search(text) is not None,
    }
    lines = [
        "| `('a' * 100000 + '!').matches('(a+)+$')` | result | µs (best of %d) |" % repeats,
        "| --- | --- | ---: |",
    ]
    for name, call in engines.items():
        result = plain_celpy(call())
        best = math.inf
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        lines.append(f"| {name} | {result} | {micro(best)} |")
    return lines


# ---------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (less stable numbers)")
    args = parser.parse_args(argv)
    budget, repeats, cold_runs = (0.02, 3, 5) if args.quick else (0.1, 5, 15)

    versions = {
        "python": platform.python_version(),
        "cel-python": _version("cel-python"),
        "common-expression-language": _version("common-expression-language"),
        "lark": _version("lark"),
    }
    print(f"`python benchmarks/cel_eval.py{' --quick' if args.quick else ''}` on {platform.machine()}, "
          + ", ".join(f"{name} {version}" for name, version in versions.items()))
    print(f"{len(CASES)} expressions, {len(INCIDENTS)} incident and {len(PULL_REQUESTS)} PR documents;"
          " all engines' answers checked equal before timing.\n")

    lines, means = evaluation_table(budget, repeats)
    print("\n".join(lines) + "\n")
    compile_lines, compile_ratio = compile_table(repeats)
    print("\n".join(compile_lines) + "\n")
    cold_lines, cold_ratios = cold_table(cold_runs)
    print("\n".join(cold_lines) + "\n")
    print("\n".join(regex_table(repeats)) + "\n")

    cold_ratio = cold_ratios.get("policy", cold_ratios["module"])
    print("| target | measured | |", "| --- | ---: | --- |", sep="\n")
    print(f"| >= 30x faster than cel-python (geo. mean) | {means['celpy']:.1f}x | {verdict(means['celpy'] >= 30)} |")
    print(f"| faster than native (geo. mean native / ours > 1) | {means['native']:.2f}x | {verdict(means['native'] > 1)} |")
    print(f"| <= 3x the lambda (geo. mean) | {means['lambda']:.2f}x | {verdict(means['lambda'] <= 3)} |")
    print(f"| compile 50 no slower than cel-python | {compile_ratio:.2f}x | {verdict(compile_ratio >= 1)} |")
    print(f"| cold `policy eval` <= 1.5x import lark, re2 | {cold_ratio:.2f}x | {verdict(cold_ratio <= 1.5)} |")
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
