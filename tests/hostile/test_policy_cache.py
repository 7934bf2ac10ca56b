"""The policy load cache is data, not code: a pickle planted where an entry would be never runs,
and a malformed or foreign entry is a miss, so the policy still loads from its file."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from hotfix_policy.engine.policy import cache, loader
from hotfix_policy.engine.policy.config import default_data

POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: cached}
spec:
  appliesTo: incident
  rules:
    - id: CCH001
      severity: warning
      expression: "has(doc.eta)"
      message: Open incidents carry an ETA
"""


class _Planted:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _load(path: Path):
    errors: list = []
    policy = loader.load_policy_file(path, default_data(), errors)
    assert errors == []
    return policy


def test_a_planted_pickle_never_runs_and_a_foreign_entry_is_a_miss(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY, encoding="utf-8")
    marker = tmp_path / "ran"
    entry = cache.key(policy_file.read_bytes(), loader.shown_path(policy_file), default_data())
    folder = tmp_path / "cache" / "hotfix-policy" / "policies"
    folder.mkdir(parents=True)
    payload = pickle.dumps(_Planted(marker))
    (folder / f"{entry}.pickle").write_bytes(payload)
    (folder / f"{entry}.json").write_bytes(payload)
    assert _load(policy_file).rules[0].expression.source == "has(doc.eta)"
    (folder / f"{entry}.json").write_text('{"format": 2, "path": "x", "data": {}, "spans": [], '
                                          '"asts": [[["a"], {"node": "Popen"}]]}', encoding="utf-8")
    assert _load(policy_file).rules[0].id == "CCH001"
    assert not marker.exists()
