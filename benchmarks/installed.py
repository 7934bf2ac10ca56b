"""The `policy` command the benchmarks start: the installed console script, as users run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def policy_command() -> list:
    installed = shutil.which("policy")
    return [installed] if installed else [sys.executable, "-m", "hotfix_policy.cli"]


def byte_compile() -> None:
    """Byte-compile the package's sources, as pip does on install: where PYTHONDONTWRITEBYTECODE
    is set (this machine), every start would otherwise compile every module it imports again."""
    folders = [str(ROOT / name) for name in ("engine", "cli", "lsp")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
