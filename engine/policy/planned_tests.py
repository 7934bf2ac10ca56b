"""Which policy tests a run has, planned in one place for `policy test` and the editor's
Testing view: each policy folder loaded with the data of the configuration nearest it, then its
`tests/` cases and every rule's `docs.examples` (`testing.PlannedCase`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, data_near
from .loader import load_policies
from .model import PolicyError, PolicySet
from .engine_rules import ENGINE_RULES
from .expected_ids import expected_id_mistakes
from .testing import example_cases, suite_cases, test_files


@dataclass(frozen=True)
class PlannedFolder:
    folder: Path
    pack: str                       # the pack's name in the configuration ("builtin:hotfix"), else ""
    policies: PolicySet
    cases: tuple                    # PlannedCase: the tests/ cases, then the rules' examples


def folders_to_test(config: Config) -> list:
    """(folder, pack name) of every pack and policy path the configuration judges with."""
    return [(Path(path), pack) for path, pack in config.policy_paths()]


def plan_tests(folders: list, errors: list) -> list:
    """A PlannedFolder for each (folder, pack name) whose policies load; the mistakes of the
    others, and of test files, appended to errors."""
    planned = []
    for folder, pack in folders:
        try:
            policies = load_policies([folder], data_near(folder))
        except PolicyError as error:
            errors += error.errors
            continue
        suites = suite_cases([folder] if folder.is_dir() else [], errors)
        expected_id_mistakes(test_files(folder) if folder.is_dir() else [], policies,
                             set(policies.rules()) | set(ENGINE_RULES), errors)
        planned.append(PlannedFolder(folder, pack, policies, tuple(suites + example_cases(policies))))
    return planned
