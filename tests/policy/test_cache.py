"""The policy load cache: a second load parses neither YAML nor expressions, a configuration that
passed its schema is not checked again, and any change misses."""

from __future__ import annotations

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


def test_a_configuration_that_passed_its_schema_is_not_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no other test's configurations
    path = tmp_path / ".policy.yaml"
    path.write_text("clock: 2026-11-26T12:00:00Z\ndata: {admins: [ops-lead]}\n", encoding="utf-8")
    first = config.load_config(path)
    calls = []
    monkeypatch.setattr(config, "check_structure", lambda *a: calls.append(a) or [])
    second = config.load_config(path)
    assert calls == []
    assert (second.clock, second.data) == (first.clock, first.data)
    path.write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    config.load_config(path)
    assert len(calls) == 1


def test_a_configuration_with_a_mistake_is_checked_every_time(tmp_path):
    path = tmp_path / ".policy.yaml"
    path.write_text("clokc: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PolicyError, match="clokc"):
            config.load_config(path)
