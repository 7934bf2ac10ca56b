"""`policy test [DIR...]`: run policy tests and rule examples; `N passed, N failed`, coverage."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dirs", nargs="*", metavar="DIR",
                        help="policy folders (their tests/ and every rule's docs.examples); default: the packs and "
                             "policies of .policy.yaml at or above the current folder, else the built-in pack")
    parser.add_argument("--coverage", action="store_true", help="report, per rule, whether tests make it fire and pass")
    parser.add_argument("--coverage-min", metavar="N", type=float,
                        help="fail when fewer than N percent of the rules are covered (implies --coverage)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ...engine.documents.secrets import mask_text
    from ...engine.errors import EXIT_FINDINGS, EXIT_OK, UsageError
    from ...engine.policy.loader import policy_files
    from ...engine.policy.model import PolicyError
    from ...engine.policy.planned_tests import plan_tests
    from ...engine.policy.testing import Coverage

    folders = [Path(d) for d in args.dirs] or _configured()
    for folder in folders:
        if not folder.is_dir() and not (folder.is_file() and not args.dirs):  # `policies:` may name a file
            raise UsageError(f"{folder}: not a folder of policies")
        if folder.is_dir() and not policy_files(folder):
            raise UsageError(f"{folder}: no policy files (*.yaml outside tests/) to test")
    errors: list = []
    planned = plan_tests([(folder, "") for folder in folders], errors)
    if errors:
        raise PolicyError(errors)
    results, coverage, rule_ids = [], Coverage(), set()
    for each in planned:
        rule_ids |= set(each.policies.rules())
        for case in each.cases:
            result = case.run(each.policies)
            results.append(result)
            if result.coverage is not None:  # what happened, whether or not the case expected it
                coverage.merge(result.coverage, case.only_rule)
    if not results:
        print(mask_text(f"no tests found in {', '.join(str(f) for f in folders)}: write cases in tests/*.yaml "
                        "beside the policies, or examples in a rule's docs.examples"))
        return EXIT_FINDINGS  # nothing shows the policies do what they say: not a pass
    failed = [r for r in results if not r.passed]
    for result in failed:
        print(mask_text(result.describe_failure()))  # a file, case or document name may hold a secret
    rule_ids = sorted(rule_ids)
    below = False
    if args.coverage or args.coverage_min is not None:
        covered = [rule for rule in rule_ids if coverage.covered(rule)]
        percent = 100.0 * len(covered) / len(rule_ids) if rule_ids else 100.0
        print(_coverage_table(rule_ids, coverage))
        print(f"coverage: {len(covered)}/{len(rule_ids)} rules ({percent:.1f}%)")
        below = args.coverage_min is not None and percent < args.coverage_min
        if below:
            print(f"coverage {percent:.1f}% is below --coverage-min {args.coverage_min:g}")
    else:
        untested = [rule for rule in rule_ids if rule not in coverage.fired and rule not in coverage.passed]
        if untested:
            print(f"untested: {', '.join(untested)} (no case or example makes {'it' if len(untested) == 1 else 'them'} "
                  "fire or pass; --coverage shows each rule)")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FINDINGS if failed or below else EXIT_OK


def _coverage_table(rule_ids: list, coverage) -> str:
    rows = ["rule      fires  passes"]
    for rule in rule_ids:
        rows.append(f"{rule:<9} {'yes' if rule in coverage.fired else 'NO':<6} {'yes' if rule in coverage.passed else 'NO'}")
    return "\n".join(rows)


def _configured() -> list:
    """The policies `policy check` would judge with here: the packs and policy paths of the
    configuration at or above the current folder; the built-in pack without a configuration."""
    from pathlib import Path

    from ...engine.policy.config import find_config, load_config
    from ...engine.policy.planned_tests import folders_to_test
    from ...engine.resources import resource_dir

    found = find_config(Path.cwd())
    if found is None:
        return [resource_dir("policies") / "hotfix"]
    config = load_config(found)  # its mistakes stop the run, as they stop `policy check`
    return [folder for folder, _ in folders_to_test(config)]
