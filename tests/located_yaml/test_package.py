"""The YAML layer's place: low in the engine, knowing nothing of what its files mean."""

from __future__ import annotations

import ast

import hotfix_policy.engine.located_yaml as located_yaml
from tests.conftest import REPO

PACKAGE = REPO / "engine" / "located_yaml"
LEAF_MODULES = {"span", "limits"}
"""Engine modules outside the package that it may import: leaves, which import nothing of ours."""


def _imports_outside_the_package(path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 2:
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name.startswith((".", "hotfix_policy"))]


def test_imports_only_leaf_modules_of_the_engine():
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        for name in _imports_outside_the_package(path):
            if name.lstrip(".").split(".")[0] not in LEAF_MODULES or not name.startswith(".."):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
    for leaf in LEAF_MODULES:
        assert _imports_outside_the_package(REPO / "engine" / f"{leaf}.py") == []


def test_the_package_docstring_names_every_public_name():
    missing = [name for name in located_yaml.__all__ if name not in located_yaml.__doc__]
    assert missing == []
    assert all(hasattr(located_yaml, name) for name in located_yaml.__all__)
