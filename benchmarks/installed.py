"""The `policy` command the benchmarks start: the installed console script, as users run it."""

from __future__ import annotations

import shutil
import sys


def policy_command() -> list:
    installed = shutil.which("policy")
    return [installed] if installed else [sys.executable, "-m", "hotfix_policy.cli"]
