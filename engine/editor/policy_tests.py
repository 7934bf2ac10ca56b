"""The workspace's policy tests and rule examples as an editor's test explorer shows them: a tree
of files, rules and cases, each with a stable id, and the outcome of running some of them.

What a test is and how it runs is `policy.planned_tests` and `policy.testing`, exactly what
`policy test` runs; this module only names and places them. Ids are readable and stable while
the files keep their order: a file is its shown path (`policies/e2e.yaml`, or
`builtin:hotfix/incident.yaml` for a pack outside the workspace), a rule `<file>#<rule id>`, an
example `<file>#<rule id>/<n>`, a case of a tests/ file `<file>#<n>`. Labels are those of
`policy test`'s output: `INC001[a level, in any case]`, `incident.yaml[clean lifecycle]`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional

from ..limits import MAX_LISTED_TESTS
from ..policy.config import Config
from ..policy.planned_tests import plan_tests, folders_to_test
from ..span import Span

FILE, RULE, CASE, EXAMPLE = "file", "rule", "case", "example"


@dataclass(frozen=True)
class ListedTest:
    id: str
    label: str
    kind: str                       # file | rule | case | example
    path: str                       # the file it is written in (absolute)
    span: Optional[Span] = None     # its place there (None for a file)
    parent: Optional[str] = None    # the id of the file or rule it belongs to
    description: str = ""


@dataclass(frozen=True)
class CaseOutcome:
    id: str
    passed: bool
    message: str                    # why it failed, plain text ("" when it passed)
    expected: str                   # the expected findings, a line per document: `INC-7.md: INC001`
    actual: str                     # the findings it got, the same way, then each finding's message
    path: str                       # where to show it: the case's file and first line
    span: Span
    seconds: float


class PolicyTestPlan:
    """The tests of a configuration, listed and runnable by id."""

    def __init__(self, config: Config, root: Optional[Path]):
        self.errors: list = []      # policy and test file mistakes (LocatedError)
        self.entries: list = []     # ListedTest: files and rules before their cases
        self.left_out = 0           # cases past MAX_LISTED_TESTS
        self._cases: dict = {}      # case id -> (PlannedCase, PolicySet)
        listed: set = set()
        folders = folders_to_test(config)
        for planned in plan_tests(folders, self.errors):
            for case in planned.cases:
                if len(self._cases) >= MAX_LISTED_TESTS:
                    self.left_out += 1
                    continue
                file_id = shown_path(case.path, root, folders)
                if file_id not in listed:
                    listed.add(file_id)
                    self.entries.append(ListedTest(file_id, file_id, FILE, _absolute(case.path)))
                parent = file_id
                if case.only_rule is not None:
                    parent = rule_test_id(file_id, case.only_rule)
                    if parent not in listed:
                        listed.add(parent)
                        _, rule = planned.policies.rules()[case.only_rule]
                        self.entries.append(ListedTest(parent, case.only_rule, RULE, _absolute(case.path), rule.span,
                                                      file_id, rule.summary))
                case_id = f"{parent}/{case.number}" if case.only_rule else f"{file_id}#{case.number}"
                self.entries.append(ListedTest(case_id, case.label, EXAMPLE if case.only_rule else CASE,
                                              _absolute(case.path), case.span, parent,
                                              str(case.case.get("description") or "")))
                self._cases[case_id] = (case, planned.policies)

    def selected(self, ids: Optional[list]) -> list:
        """The ids of the cases that `ids` name (a case, or every case of a file or rule); all
        when None. Unknown ids name nothing."""
        if ids is None:
            return list(self._cases)
        wanted = [str(each) for each in ids]
        return [case_id for case_id in self._cases
                if any(case_id == each or case_id.startswith((each + "#", each + "/")) for each in wanted)]

    def run(self, case_ids: list, deadline: Optional[float] = None) -> tuple:
        """(outcomes, ids not run): the cases in order, until `deadline` (time.monotonic()) passes."""
        outcomes = []
        for index, case_id in enumerate(case_ids):
            if deadline is not None and time.monotonic() >= deadline:
                return outcomes, case_ids[index:]
            case, policies = self._cases[case_id]
            started = time.monotonic()
            result = case.run(policies)
            outcomes.append(_outcome(case_id, case, result, time.monotonic() - started))
        return outcomes, []


def rule_test_id(file_id: str, rule_id: str) -> str:
    """The id of a rule's examples in the tree (what its "run examples" lens runs)."""
    return f"{file_id}#{rule_id}"


def shown_path(path: str, root: Optional[Path], folders: list) -> str:
    """A test file as the user knows it: relative to the workspace, else `<pack>/<path in it>`."""
    absolute = Path(_absolute(path))
    if root is not None and absolute.is_relative_to(root):
        return absolute.relative_to(root).as_posix()
    for folder, pack in folders:
        folder = Path(_absolute(str(folder)))
        if absolute.is_relative_to(folder):
            return (PurePath(pack or folder.name) / absolute.relative_to(folder)).as_posix()
    return absolute.as_posix()


def _absolute(path: str) -> str:
    return str(Path(path).resolve())


def _outcome(case_id: str, case, result, seconds: float) -> CaseOutcome:
    expected = "\n".join(f"{key}: {', '.join(ids) or 'no findings'}" for key, ids in sorted(result.expected.items()))
    actual = [f"{key}: {', '.join(ids) or 'no findings'}" for key, ids in sorted(result.actual.items())]
    actual += [f"  {finding.rule} at {finding.path}:{finding.span.line}:{finding.span.column}: {finding.message}"
               if finding.span else f"  {finding.rule} on {finding.path}: {finding.message}"
               for finding in result.findings]
    if result.error:
        message = f"{case.label} could not run: {result.error}"
    elif result.passed:
        message = ""
    else:
        lines = [f"{key}: {detail}" for key, _, _, detail in result.differences()]
        lines += [f"EVAL001 {failure}" for failure in result.failures]
        message = "\n".join(lines)
    return CaseOutcome(case_id, result.passed, message, expected, "\n".join(actual), _absolute(case.path),
                       case.span or Span(0, 0, 1, 1, 1, 1), seconds)
