"""A configuration cannot quietly leave a run judged by fewer policies than it names: a pack
folder with no policy file, a built-in pack that does not exist, or a `builtin:` name that
climbs out of the bundled packs is one located line and exit 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND

RECORD = "# INC-1: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"


@pytest.mark.parametrize("packs, message", [
    ('["empty"]', "no policy files (*.yaml outside tests/) in empty"),
    ('["builtin:hotfx"]', "unknown built-in pack 'builtin:hotfx'; expected one of builtin:hotfix; did you mean `builtin:hotfix`?"),
    ('["builtin:../../../elsewhere"]', "unknown built-in pack 'builtin:../../../elsewhere'"),
    ('["builtin:hotfix", "missing"]', "no such policy path: missing"),
])
def test_a_packs_entry_that_loads_nothing_stops_the_run(packs, message, tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-1.md").write_text(RECORD, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text(f"packs: {packs}\n", encoding="utf-8")
    done = subprocess.run([POLICY_COMMAND, "check", "incidents"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(".policy.yaml:1:") and message in line, line
