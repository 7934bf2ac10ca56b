"""Shared test helpers: where the repository and the team's shared data live."""

from __future__ import annotations

from pathlib import Path

import os
import tempfile

import pytest

REPO = Path(__file__).resolve().parents[1]

# Tests (and the commands they start) keep caches out of the user's home.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="hotfix-policy-test-cache-")
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
