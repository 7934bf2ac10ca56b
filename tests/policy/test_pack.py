"""The built-in pack holds: every catalogue rule present, every example and test case passes,
coverage 100%, and documents written by others never make a rule fail to evaluate."""

from __future__ import annotations

import re
import subprocess

import pytest

from hotfix_policy.engine.documents import parse_document
from hotfix_policy.engine.kinds import MARKDOWN_KINDS
from hotfix_policy.engine.policy.check import judge
from hotfix_policy.engine.policy.config import Config, default_data
from hotfix_policy.engine.policy.engine_rules import ENGINE_RULES
from hotfix_policy.engine.policy.loader import load_policies
from hotfix_policy.engine.policy.testing import Coverage, example_cases, suite_cases
from hotfix_policy.engine.resources import resource_dir
from tests.conftest import POLICY_COMMAND, REPO

PACK = resource_dir("policies") / "hotfix"
ENGINE_IDS = set(ENGINE_RULES)


@pytest.fixture(scope="module")
def pack():
    return load_policies([PACK], default_data())


def test_every_catalogue_rule_is_in_the_pack(pack, shared_dir):
    """The pack is the catalogue's rules and those its README lists as added beyond it."""
    catalogue = (shared_dir / "CATALOGUE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- ([A-Z]+[0-9]{3}) \[", catalogue, re.M)) - ENGINE_IDS
    beyond = (PACK / "README.md").read_text(encoding="utf-8").split("## Rules beyond the catalogue")[1]
    added = set(re.findall(r"^- ([A-Z]+[0-9]{3}) \[", beyond, re.M))
    assert listed and not listed & added and listed | added == set(pack.rules())


def _planned():
    """The pack's tests/ cases and rule examples, read when the suite is collected."""
    errors: list = []
    planned = suite_cases([PACK], errors) + example_cases(load_policies([PACK], default_data()))
    assert errors == []
    return planned


PLANNED = _planned()


@pytest.mark.parametrize("planned", PLANNED, ids=[p.label for p in PLANNED])
def test_pack_case(pack, planned):
    """Each example and each tests/ case of the pack is its own test, named after it."""
    result = planned.run(pack)
    if not result.passed:
        pytest.fail(result.describe_failure(), pytrace=False)


def test_every_rule_is_covered_both_ways(pack):
    """`policy test --coverage-min 100`: for every rule a case makes it fire and one makes it pass."""
    coverage = Coverage()
    for planned in PLANNED:
        result = planned.run(pack)
        if result.passed:
            coverage.merge(result.coverage)
    uncovered = [rule for rule in sorted(pack.rules()) if not coverage.covered(rule)]
    assert PLANNED and uncovered == []


def test_corpus_documents_never_make_a_rule_fail_to_evaluate(pack, shared_dir):
    kinds = [*MARKDOWN_KINDS, None]
    config = Config(data=pack.data)
    for path in sorted((shared_dir / "corpus").rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for kind in kinds:
            document = parse_document(text, path=str(path), kind=kind)
            findings = judge([document], {"now": None or _now(), "labels": [], "branch": "", "base": "",
                                          "author": ""}, _now(), config, pack)
            errors = [f for f in findings if f.rule == "EVAL001"]
            assert errors == [], (path.name, kind, errors[0].message)


def _now():
    from datetime import datetime, timezone

    return datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


def test_generated_rules_page_is_current(tmp_path):
    result = subprocess.run([POLICY_COMMAND, "rules", "--markdown"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == result.stdout, \
        "docs/rules.md is stale: regenerate it with `policy rules --markdown > docs/rules.md`"
