"""CEL conformance: one pytest case per test of `../shared/cel-conformance/*.textproto`.

Cases out of the dialect's scope (protobuf messages, containers, enums, unknowns, optionals,
check-only) are skipped with the reason; the cases listed in `conformance_known_failures.txt`
are `xfail(strict=True)`. Everything else must pass.

Script mode prints the per-file table recorded in `benchmarks/README.md`:

    python tests/cel/test_conformance.py --table [--failures]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # script mode: make the helpers importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest

import cel_conformance as conformance

if conformance.MISSING_DATA and __name__ != "__main__":
    pytest.skip(conformance.MISSING_DATA, allow_module_level=True)

KNOWN_FAILURES = conformance.load_known_failures()
CASES = conformance.load_cases()


def _params():
    for case in CASES:
        marks = []
        if case.skip:
            marks.append(pytest.mark.skip(reason=case.skip))
        elif case.id in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[case.id], strict=True))
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_conformance(case: conformance.Case) -> None:
    outcome = conformance.run_case(case)
    if outcome.status == "failed":
        pytest.fail(f"{case.expr!r}: {outcome.detail}", pytrace=False)


def test_required_files_are_present() -> None:
    present = set(conformance.conformance_files())
    missing = [name for name in conformance.REQUIRED_FILES if name not in present]
    assert not missing, f"missing conformance files in {conformance.CONFORMANCE_DIR}: {missing}"


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def test_known_failures_name_runnable_cases() -> None:
    by_id = {case.id: case for case in CASES}
    stale = [case_id for case_id in KNOWN_FAILURES if case_id not in by_id]
    skipped = [case_id for case_id in KNOWN_FAILURES if case_id in by_id and by_id[case_id].skip]
    assert not stale, f"known failures that name no conformance case: {stale}"
    assert not skipped, f"known failures that are skipped anyway (remove them): {skipped}"


def test_known_failures_stay_within_the_budget() -> None:
    """At least 95% of the required files' runnable cases must pass, so the known failures
    among them may be at most 5%."""
    runnable = [case for case in conformance.load_cases(conformance.REQUIRED_FILES) if not case.skip]
    known = [case for case in runnable if case.id in KNOWN_FAILURES]
    allowed = int(len(runnable) * (1 - conformance.REQUIRED_PASS_RATE))
    assert len(known) <= allowed, f"{len(known)} known failures, at most {allowed} allowed"


# ---------------------------------------------------------------------------------------------
# Script mode


def table(show_failures: bool = False) -> str:
    """Run every case and return the per-file markdown table (and failures, if asked)."""
    rows, failures = [], []
    totals = {"required": [0] * 5, "all": [0] * 5}
    for file in conformance.conformance_files():
        counts = [0, 0, 0, 0, 0]  # cases, skipped, passed, known failures, failed
        for case in conformance.load_file(file):
            counts[0] += 1
            outcome = conformance.run_case(case)
            if outcome.status == "skipped":
                counts[1] += 1
            elif outcome.status == "passed":
                counts[2] += 1
                if case.id in KNOWN_FAILURES:
                    failures.append(f"{case.id}: listed as a known failure but passes")
            elif case.id in KNOWN_FAILURES:
                counts[3] += 1
            else:
                counts[4] += 1
                failures.append(f"{case.id}: {case.expr!r}: {outcome.detail}")
        rows.append((file, counts))
        for key in ("all",) + (("required",) if file in conformance.REQUIRED_FILES else ()):
            totals[key] = [a + b for a, b in zip(totals[key], counts)]

    def line(name: str, counts: list[int]) -> str:
        cases, skipped, passed, known, failed = counts
        runnable = cases - skipped
        percent = f"{100 * passed / runnable:.1f}" if runnable else "n/a"
        return f"| {name} | {cases} | {skipped} | {passed} | {known} | {failed} | {percent} |"

    out = [
        "| file | cases | skipped (proto etc.) | passed | known failures | failed | pass % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    out += [line(name, counts) for name, counts in rows]
    out.append(line("**required files (target >= 95%)**", totals["required"]))
    out.append(line("**all files**", totals["all"]))
    if show_failures and failures:
        out += ["", f"{len(failures)} unexpected outcomes:"] + failures
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if "--table" not in argv:
        print(__doc__.strip())
        return 2
    print(table(show_failures="--failures" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
