"""Architecture rules that keep the engine usable without the editor stack."""

from __future__ import annotations

import ast

from tests.conftest import REPO

FORBIDDEN = {"lsp", "pygls", "lsprotocol"}


def test_engine_never_imports_the_language_server():
    offenders = []
    for path in (REPO / "engine").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_cold_eval_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = ("import sys; from hotfix_policy.cli.main import main; main(['eval', '1 + 1']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'pygls', 'lsprotocol', 'ruamel', 'jsonschema', 'markdown_it'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.splitlines() == ["2", "[]"], result.stderr
