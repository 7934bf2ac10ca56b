"""Every function and macro of the rule language says what it does with an example, and every
example gives the value it states: what hover, completion, `policy functions` and
docs/functions.md show is evaluated here, so a change of behaviour cannot leave a false example."""

from __future__ import annotations

import subprocess

import pytest

from hotfix_policy.engine.cel import compile
from hotfix_policy.engine.cel.ast import MACRO_DOCS, MACROS
from hotfix_policy.engine.cel.function_reference import named_functions
from hotfix_policy.engine.cel.functions import FUNCTION_DOCS
from tests.conftest import POLICY_COMMAND, REPO

EVERYTHING = {**MACRO_DOCS, **FUNCTION_DOCS}


def test_every_named_function_and_macro_is_described():
    assert sorted(FUNCTION_DOCS) == named_functions()
    assert set(MACRO_DOCS) == set(MACROS) | {"has"}
    for name, described in EVERYTHING.items():
        assert described.description.endswith(".") and name in described.example, name


@pytest.mark.parametrize("name", sorted(EVERYTHING))
def test_the_example_gives_the_stated_value(name):
    described = EVERYTHING[name]
    value, stated = compile(described.example).evaluate({}), compile(described.result).evaluate({})
    assert (type(value), value) == (type(stated), stated), f"{name}: {described.example}"


def test_the_functions_page_is_generated_from_the_declarations():
    result = subprocess.run([POLICY_COMMAND, "functions", "--markdown"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (REPO / "docs" / "functions.md").read_text(encoding="utf-8") == result.stdout, \
        "docs/functions.md is stale: regenerate it with `policy functions --markdown > docs/functions.md`"
    assert "### formatTime\n\n- `timestamp.formatTime(string) -> string`\n" in result.stdout


def test_policy_functions_lists_and_shows_one():
    listed = subprocess.run([POLICY_COMMAND, "functions"], capture_output=True, text=True, timeout=60)
    assert "lowerAscii       The string with its ASCII letters in lower case" in listed.stdout
    shown = subprocess.run([POLICY_COMMAND, "functions", "pairs"], capture_output=True, text=True, timeout=60)
    assert shown.stdout.endswith("Example: `pairs(['a', 'b', 'c'])` is `[['a', 'b'], ['b', 'c']]`\n")
    typo = subprocess.run([POLICY_COMMAND, "functions", "lowerAsci"], capture_output=True, text=True, timeout=60)
    assert typo.returncode == 2 and typo.stdout == ""
    assert typo.stderr == "policy functions: no function or macro named 'lowerAsci'; did you mean `lowerAscii`?\n"
