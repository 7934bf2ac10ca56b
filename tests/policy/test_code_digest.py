"""The engine's code digest, which the policy and run caches key on: any change to a file it
covers gives another digest (an old entry is never read by changed code); bytecode caches,
which Python rewrites at will, do not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hotfix_policy.engine.policy import code_digest
from hotfix_policy.engine.resources import resource_dir


@pytest.fixture
def bundled_policies(monkeypatch, tmp_path: Path) -> Path:
    """A copy of the bundled policy packs that the digest reads in their place."""
    copy = tmp_path / "policies"
    shutil.copytree(resource_dir("policies"), copy, ignore=shutil.ignore_patterns("__pycache__"))
    real = code_digest.resource_dir
    monkeypatch.setattr(code_digest, "resource_dir", lambda name: copy if name == "policies" else real(name))
    code_digest.code_digest.cache_clear()
    yield copy
    code_digest.code_digest.cache_clear()


def digest() -> str:
    code_digest.code_digest.cache_clear()
    return code_digest.code_digest()


def test_a_changed_byte_an_added_file_or_a_renamed_one_changes_the_digest(bundled_policies: Path):
    before = digest()
    assert digest() == before
    rules = bundled_policies / "hotfix" / "incident.yaml"
    rules.write_bytes(rules.read_bytes().replace(b"error", b"warning", 1))
    changed = digest()
    assert changed != before
    (bundled_policies / "hotfix" / "extra.yaml").write_text("# nothing\n", encoding="utf-8")
    added = digest()
    assert added != changed
    (bundled_policies / "hotfix" / "extra.yaml").rename(bundled_policies / "hotfix" / "other.yaml")
    assert digest() != added


def test_bytecode_caches_do_not_change_it(bundled_policies: Path):
    before = digest()
    cached = bundled_policies / "hotfix" / "__pycache__"
    cached.mkdir()
    (cached / "anything.cpython-311.pyc").write_bytes(b"\0" * 16)
    assert digest() == before
