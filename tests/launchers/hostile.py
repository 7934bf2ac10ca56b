"""A hostile workspace: Python modules named like ours, our dependencies and the standard
library, each of which leaves a marker file when it is imported.

Opening a repository in an editor must never run its code. A launcher that puts the workspace on
`sys.path` (`python -m ...` or `python -c ...` with the workspace as working directory) imports
the first of these it meets, and its marker appears; a safe launcher leaves the marker folder
empty. The names are the ones a launch could import from the workspace: our package and its old
top-level names, every runtime dependency, `pip` (the GitHub Action's install step), and a
standard module the interpreter has not imported at start-up (`json`).

Standard library only, so that `editors/vscode/test/e2e.sh` can plant the same modules:

    python tests/launchers/hostile.py WORKSPACE MARKERS
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# package name -> written as a package (`name/__init__.py`); `json` as a single `json.py`
PACKAGES = ("engine", "lsp", "hotfix_policy", "markdown_it", "lark", "yaml", "ruamel", "jsonschema",
            "pygls", "lsprotocol", "re2", "pip")
MODULES = ("json",)
MARKER_NAMES = PACKAGES + MODULES


def marker_code(markers: Path, name: str) -> str:
    """What each planted module runs on import: write its marker with builtins only (a hostile
    `json.py` must not import anything that could be another planted module)."""
    return (f"# Planted by tests/launchers/hostile.py: importing this module is the bug under test.\n"
            f"open({str(markers / name)!r}, 'w').close()\n")


def plant(workspace: Path, markers: Path) -> None:
    """Add the marker modules to `workspace`; their markers go to `markers` (outside it)."""
    markers.mkdir(parents=True, exist_ok=True)
    for name in PACKAGES:
        (workspace / name).mkdir(parents=True, exist_ok=True)
        (workspace / name / "__init__.py").write_text(marker_code(markers, name), encoding="utf-8")
    for name in MODULES:
        (workspace / f"{name}.py").write_text(marker_code(markers, name), encoding="utf-8")


def markers_written(markers: Path) -> list[str]:
    """The planted modules that were imported, by name: empty when no workspace code ran."""
    return sorted(path.name for path in markers.iterdir()) if markers.is_dir() else []


def unsafe_imports_fire(workspace: Path, markers: Path, python: str = sys.executable) -> list[str]:
    """The control: import each name with `python -c` from the workspace, as an unsafe launcher
    would, and return the names whose marker did NOT appear (empty when every plant works).
    Leaves the marker folder empty again."""
    silent = []
    for name in MARKER_NAMES:
        subprocess.run([python, "-c", f"import {name}"], cwd=workspace, capture_output=True, timeout=60)
        if name not in markers_written(markers):
            silent.append(name)
    for path in markers.iterdir():
        path.unlink()
    return silent


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python hostile.py WORKSPACE MARKERS", file=sys.stderr)
        return 2
    workspace, markers = Path(argv[0]), Path(argv[1])
    plant(workspace, markers)
    silent = unsafe_imports_fire(workspace, markers)
    if silent:
        print(f"hostile.py: these planted modules left no marker when imported: {', '.join(silent)}",
              file=sys.stderr)
        return 1
    print(f"planted {len(MARKER_NAMES)} marker modules in {workspace}: {', '.join(MARKER_NAMES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
