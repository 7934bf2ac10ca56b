"""The workflows docs/integrations.md gives to copy: valid YAML, and the caching one saves."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations.md"


def yaml_blocks() -> list:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), re.S)


def test_every_workflow_the_docs_give_parses():
    assert yaml_blocks()
    for block in yaml_blocks():
        YAML(typ="safe").load(block)


def test_the_caching_workflow_saves_on_pushes_to_main_even_when_findings_fail_the_job():
    """Copied as written it must save something: a push trigger, and a save step that still runs
    after the check's step failed the job (a long history always has findings)."""
    [workflow] = [YAML(typ="safe").load(block) for block in yaml_blocks() if "actions/cache/save" in block]
    assert "push" in workflow["on"]
    steps = workflow["jobs"]["policy"]["steps"]
    [save] = [step for step in steps if step.get("uses", "").startswith("actions/cache/save")]
    assert "!cancelled()" in save["if"] and "github.event_name == 'push'" in save["if"]
    [restore] = [step for step in steps if step.get("uses", "").startswith("actions/cache/restore")]
    assert restore["with"]["path"] == save["with"]["path"]
    assert steps.index(restore) < steps.index(save)


def test_the_concurrency_group_of_a_push_is_its_ref_not_one_group_for_every_push():
    [workflow] = [YAML(typ="safe").load(block) for block in yaml_blocks() if "concurrency:" in block]
    assert "|| github.ref" in workflow["concurrency"]["group"]
