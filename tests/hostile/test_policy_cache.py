"""The policy load cache is data, not code, and only this user's own: a pickle planted where an
entry would be never runs; a malformed entry, one another user owns or could have written, one in
a folder others can write, or one made for another policy is a miss, so the policy loads from its
file (the red team turned SEC001 into `info` by editing its entry, also after `chown nobody`)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from hotfix_policy.engine.cache_folder import intact_length, sealed
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


NOBODY = 65534


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


def _cached(tmp_path: Path, monkeypatch, text: str = POLICY, name: str = "policy.yaml") -> tuple[Path, Path]:
    """A policy file loaded once (so its entry is written), and the entry's path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    policy_file = tmp_path / name
    policy_file.write_text(text, encoding="utf-8")
    _load(policy_file)
    entry = cache.key(policy_file.read_bytes(), loader.shown_path(policy_file), default_data())
    path = tmp_path / "cache" / "hotfix-policy" / "policies" / f"{entry}.json"
    assert path.is_file()
    return policy_file, path


def _tamper(entry: Path) -> None:
    """Lower the rule's severity inside the entry, as the red team did to SEC001, and seal it
    again: a person who can write the entry can compute its checksum too."""
    raw = entry.read_bytes()
    stored = json.loads(raw[:intact_length(raw)])
    stored["data"]["spec"]["rules"][0]["severity"] = "info"
    entry.write_bytes(b"\n".join(sealed([json.dumps(stored).encode("utf-8")])))


def test_an_entry_this_user_edits_is_read_back(tmp_path: Path, monkeypatch):
    """The control for the tests below: the entry really is what the next load reads."""
    policy_file, entry = _cached(tmp_path, monkeypatch)
    _tamper(entry)
    assert _load(policy_file).rules[0].severity == "info"


@pytest.mark.parametrize("make_foreign", [
    lambda entry: os.chown(entry, NOBODY, NOBODY),
    lambda entry: entry.chmod(0o664),
    lambda entry: entry.chmod(0o646),
], ids=["owned-by-another-user", "group-writable", "writable-by-others"])
def test_an_entry_someone_else_could_have_written_is_a_miss(tmp_path: Path, monkeypatch, make_foreign):
    policy_file, entry = _cached(tmp_path, monkeypatch)
    _tamper(entry)
    make_foreign(entry)
    assert _load(policy_file).rules[0].severity == "warning"


@pytest.mark.parametrize("level", ["", "hotfix-policy", "hotfix-policy/policies"], ids=["cache-home", "ours", "policies"])
@pytest.mark.parametrize("make_foreign", [
    lambda folder: folder.chmod(0o777),
    lambda folder: os.chown(folder, NOBODY, NOBODY),
], ids=["writable-by-all", "owned-by-another-user"])
def test_a_folder_others_can_write_is_neither_read_nor_written(tmp_path: Path, monkeypatch, level, make_foreign):
    policy_file, entry = _cached(tmp_path, monkeypatch)
    _tamper(entry)
    make_foreign(tmp_path / "cache" / level)
    assert _load(policy_file).rules[0].severity == "warning"
    entry.unlink()
    assert _load(policy_file).rules[0].severity == "warning"
    assert not entry.exists()


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path: Path, monkeypatch):
    """`policies/` turned into a link to a folder of this user's elsewhere (one a checkout could
    fill): what it holds is not read."""
    policy_file, entry = _cached(tmp_path, monkeypatch)
    _tamper(entry)
    elsewhere = tmp_path / "elsewhere"
    entry.parent.rename(elsewhere)
    (tmp_path / "cache" / "hotfix-policy" / "policies").symlink_to(elsewhere)
    assert _load(policy_file).rules[0].severity == "warning"


def test_an_entry_made_for_another_policy_is_a_miss(tmp_path: Path, monkeypatch):
    """This user's own entry of a lenient policy, copied to the key of a strict one, is not read."""
    lenient_file, lenient = _cached(tmp_path, monkeypatch, POLICY.replace("severity: warning", "severity: info")
                                    .replace("has(doc.eta)", "true"), "lenient.yaml")
    policy_file, entry = _cached(tmp_path, monkeypatch)
    shutil.copyfile(lenient, entry)
    policy = _load(policy_file)
    assert (policy.rules[0].severity, policy.rules[0].expression.source) == ("warning", "has(doc.eta)")


def test_the_folders_the_cache_makes_are_this_users_alone(tmp_path: Path, monkeypatch):
    old = os.umask(0o002)  # a user-private-group umask: new folders group-writable by default
    try:
        _, entry = _cached(tmp_path, monkeypatch)
    finally:
        os.umask(old)
    for path in (entry, entry.parent, entry.parent.parent):
        assert path.stat().st_mode & 0o077 == 0, path
