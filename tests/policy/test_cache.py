"""The policy load cache: a second load parses neither YAML nor expressions, a configuration that
passed its schema is not checked again, and any change misses."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hotfix_policy.engine.policy import config, loader
from hotfix_policy.engine.policy.config import default_data
from hotfix_policy.engine.policy.model import PolicyError

POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: cached}
spec:
  appliesTo: incident
  variables:
    - name: open
      expression: "!has(doc.closed)"
  rules:
    - id: CCH001
      severity: warning
      expression: >-
        !variables.open || has(doc.eta)
      message: Open incidents carry an ETA
"""


def load(path):
    errors: list = []
    policy = loader.load_policy_file(path, default_data(), errors)
    assert errors == []
    return policy


def test_second_load_reads_the_cache(tmp_path, monkeypatch):
    path = tmp_path / "cached.yaml"
    path.write_text(POLICY, encoding="utf-8")
    first = load(path)
    calls = []
    monkeypatch.setattr(loader, "load_yaml_bytes", lambda *a: calls.append(a))
    monkeypatch.setattr("hotfix_policy.engine.cel.parse", lambda *a: calls.append(a))
    second = load(path)
    assert calls == []
    assert second.rules[0].span == first.rules[0].span
    assert second.rules[0].expression.program.ast == first.rules[0].expression.program.ast
    doc = {"eta": 1}
    bindings = {"doc": doc, "variables": {"open": True}}
    assert second.rules[0].expression.program.evaluate(bindings) is True


def test_changed_file_misses_the_cache(tmp_path, monkeypatch):
    path = tmp_path / "cached.yaml"
    path.write_text(POLICY, encoding="utf-8")
    load(path)
    path.write_text(POLICY.replace("has(doc.eta)", "has(doc.status)"), encoding="utf-8")
    assert "doc.status" in load(path).rules[0].expression.source


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    path = tmp_path / "cached.yaml"
    path.write_text(POLICY, encoding="utf-8")
    monkeypatch.setenv("HOTFIX_POLICY_NO_CACHE", "1")
    load(path)
    calls = []
    original = loader.load_yaml_bytes
    monkeypatch.setattr(loader, "load_yaml_bytes", lambda *a: calls.append(a) or original(*a))
    load(path)
    assert len(calls) == 1


def test_a_configuration_that_passed_its_schema_is_neither_loaded_nor_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no other test's configurations
    path = tmp_path / ".policy.yaml"
    path.write_text(CONFIG, encoding="utf-8-sig")  # a BOM, then the text's own
    first = config.load_config(path)
    calls = []
    monkeypatch.setattr(config, "check_structure", lambda *a: calls.append(a) or [])
    monkeypatch.setattr(loader, "load_yaml_bytes", lambda *a: calls.append(a))
    second = config.load_config(path)
    assert calls == []
    assert _fields(second) == _fields(first)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path.write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    assert config.load_config(path).data == default_data()


CONFIG = """\ufeff# the team's configuration
clock: 2026-11-26T12:00:00Z
data:
  admins: [ops-lead]
  ratio: .inf
exclude: ["drafts/**"]
rules: {INC006: warning}
waivers:
  - rule: INC006
    path: incidents/INC-2042.md
    reason: >-
      The 14:12 update was posted late
      because the pager failed
    expires: 2026-12-31
    approvedBy: "@ops-lead"
"""


def _fields(loaded_config) -> tuple:
    return (loaded_config.path, loaded_config.directory, loaded_config.packs, loaded_config.documents,
            loaded_config.exclude, repr(loaded_config.data), loaded_config.rules, loaded_config.waivers,
            loaded_config.clock, loaded_config.loaded.text, repr(loaded_config.loaded.data))


def _paths(value, keys=()) -> list:
    found = [keys]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, keys + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, keys + (index,))
    return found


def test_a_remembered_configuration_finds_every_position_a_load_finds(tmp_path, monkeypatch):
    """Its text is parsed again when a position is first asked for (a waiver's finding, a
    mistake in a rule override), and gives what loading the file gives."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / ".policy.yaml"
    path.write_text(CONFIG, encoding="utf-8-sig")  # a BOM, then the text's own
    loaded = config.load_config(path).loaded
    remembered = config.load_config(path).loaded
    assert remembered is not loaded and remembered._index is None
    for keys in _paths(loaded.data) + [("no such key",), ("waivers", 5)]:
        assert remembered.has(keys) == loaded.has(keys), keys
        assert remembered.span_of(keys) == loaded.span_of(keys), keys
        assert (remembered.key_span(keys), remembered.value_span(keys)) == \
            (loaded.key_span(keys), loaded.value_span(keys)), keys
        assert remembered.key_paths(keys) == loaded.key_paths(keys), keys
        scalars = remembered.scalar(keys), loaded.scalar(keys)
        assert (scalars[0] is None) == (scalars[1] is None), keys
        if scalars[0] is not None:
            assert [scalars[0].span(0, n) for n in range(len(scalars[0].value) + 1)] == \
                [scalars[1].span(0, n) for n in range(len(scalars[1].value) + 1)], keys


def test_a_run_whose_configuration_is_remembered_never_imports_ruamel(tmp_path):
    """ruamel.yaml (pure Python) took 20 ms of every run's start to read a configuration that
    had not changed; the policies come from the policy cache."""
    (tmp_path / ".policy.yaml").write_text(CONFIG, encoding="utf-8-sig")
    script = ("import sys; from pathlib import Path; from hotfix_policy.engine.policy import check, config\n"
              "loaded = config.load_config(Path('.policy.yaml'))\n"
              "check.load_run_policies(loaded)\n"
              "print('ruamel.yaml' in sys.modules)")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    imported = [subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, check=True,
                               capture_output=True, text=True).stdout.strip() for _ in range(2)]
    assert imported == ["True", "False"]


@pytest.mark.parametrize("stored", ["sound", ["sound"], {"sound": 1, "more": 2}, {"other": {}}])
def test_a_configuration_entry_of_another_shape_is_a_miss(stored, tmp_path, monkeypatch):
    from hotfix_policy.engine.policy import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / ".policy.yaml"
    path.write_text(CONFIG, encoding="utf-8-sig")  # a BOM, then the text's own
    first = config.load_config(path)
    cache.write(cache.config_key(path.read_bytes()), {"data": stored, "spans": {}, "asts": {}})
    assert _fields(config.load_config(path)) == _fields(first)


def test_a_configuration_with_a_mistake_is_checked_every_time(tmp_path):
    path = tmp_path / ".policy.yaml"
    path.write_text("clokc: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PolicyError, match="clokc"):
            config.load_config(path)
