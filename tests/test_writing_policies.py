"""docs/writing-policies.md, followed as a newcomer would: in an empty folder, every file it
asks to write is written and every command it shows is run, with the exit status and the
lines the page shows (`tests/doc_examples.py`)."""

from __future__ import annotations

from tests.conftest import REPO
from tests.doc_examples import Command, File, run_steps, steps

PAGE = REPO / "docs" / "writing-policies.md"


def test_the_walkthrough_runs_as_written(tmp_path):
    found = steps(PAGE.read_text(encoding="utf-8"), files=True)
    written = [s.path for s in found if isinstance(s, File)]
    assert written == ["incidents/INC-7.md", ".policy.yaml", "policies/ops.yaml", "policies/tests/ops.yaml",
                       "incidents/INC-7.md", ".policy.yaml"]
    commands = [s.text for s in found if isinstance(s, Command)]
    assert any(c.startswith("policy test policies --coverage") for c in commands)
    run_steps(found, tmp_path, "docs/writing-policies.md")


def test_the_walkthrough_documents_the_whole_policy_test_format():
    from hotfix_policy.engine.policy.structure import load_file_schema

    page = PAGE.read_text(encoding="utf-8")
    section = page.split("### The PolicyTest format", 1)[1].split("\n## ", 1)[0]
    keys = set(load_file_schema("policy_test")["$defs"]["case"]["properties"]) | {"kind", "cases"}
    for key in keys:
        assert f"{key}:" in section, f"the PolicyTest format section does not show `{key}`"
    assert "true means the document passes" in page.lower()
    assert "capital letters then three digits" in page
