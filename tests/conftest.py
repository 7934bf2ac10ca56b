"""Shared test helpers: where the repository and the team's shared data live."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Tests (and the commands they start) keep caches out of the user's home.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="hotfix-policy-test-cache-")
SHARED = REPO.parent / "shared"


def _installed_policy() -> str:
    """The `policy` console script of the interpreter running the tests, as users run it."""
    beside = Path(sys.executable).parent / ("policy.exe" if os.name == "nt" else "policy")
    found = str(beside) if beside.is_file() else shutil.which("policy")
    if found is None:
        raise RuntimeError("the `policy` command is not installed: pip install -e '.[test]'")
    return found


POLICY_COMMAND = _installed_policy()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


def benchmark_corpus():
    """`benchmarks/corpus.py`, the generator of realistic records, reviews and PR bodies the
    benchmarks use (one generator for tests that need a large workspace too)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus", Path(__file__).parents[1] / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _cache_notes_stay_with_their_test():
    """A cache found unusable or made again is told by the next `policy check` of the process
    (engine/cache_folder.py: one run per process); a test that found one without such a run must
    not hand its note to a later test's run."""
    yield
    from hotfix_policy.engine.cache_folder import caches_made_again, refusals

    refusals()
    caches_made_again()
