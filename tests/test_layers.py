"""The layering contract (docs/architecture.md) as a test: import-linter checks the contracts in
pyproject.toml, and every module under engine/ must sit in one of the layers, so a new module
is placed on purpose rather than left unconstrained."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml on Python 3.10 needs tomli")


def _contracts() -> list:
    with open(REPO / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]["contracts"]


def test_no_module_imports_a_layer_above_it_and_the_engine_knows_nothing_of_the_protocol():
    pytest.importorskip("importlinter.cli", reason="import-linter is not installed ([test] extra)")
    # in its own process: import-linter configures logging, which silences the loggers of the
    # modules already imported for the tests that run after this one in the same process
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(REPO / 'pyproject.toml')!r}, no_cache=True, no_logo=True))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_engine_module_sits_in_a_layer():
    (layers,) = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    modules = {f"hotfix_policy.engine.{path.stem if path.is_file() else path.name}"
               for path in (REPO / "engine").iterdir()
               if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()}
    assert sorted(modules - placed) == []


def test_cold_eval_does_not_import_heavy_modules():
    code = ("import sys; from hotfix_policy.cli.main import main; main(['eval', '1 + 1']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'pygls', 'lsprotocol', 'ruamel', 'jsonschema', 'markdown_it'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.splitlines() == ["2", "[]"], result.stderr
