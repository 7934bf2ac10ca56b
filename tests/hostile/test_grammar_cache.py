"""No file in the cache folder runs code. The red team planted a pickle where Lark kept the CEL
grammar's tables (`~/.cache/hotfix-policy/cel-grammar-<version>.lark.cache`, a hash line and a
pickle that Lark unpickled before comparing the hash), and `policy eval 1` ran it; so did
`policy check` whenever a policy was not cached, `HOTFIX_POLICY_NO_CACHE=1` or not. The tables
now ship with the package (engine/cel/tables.py) and nothing is unpickled: an audit hook sees
every class or function a pickle would name, whatever file it came from."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from hotfix_policy.engine import __version__

RECORD = "# INC-1: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
AUDITED_CLI = """
import sys
from hotfix_policy.cli.main import main
named = []
sys.addaudithook(lambda event, args: named.append(args[:2]) if event == "pickle.find_class" else None)
code = main(sys.argv[1:])
print("unpickled:", named, file=sys.stderr)
sys.exit(code)
"""


class _Planted:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("no_cache", ["", "1"], ids=["cache-on", "cache-off"])
@pytest.mark.parametrize("command", [["eval", "1"], ["check", "incidents"]], ids=["eval", "check"])
def test_a_pickle_planted_as_the_grammar_cache_never_runs(tmp_path: Path, command, no_cache):
    cache = tmp_path / "cache" / "hotfix-policy"
    cache.mkdir(parents=True, mode=0o700)
    marker = tmp_path / "ran"
    planted = b"0000\n" + pickle.dumps(_Planted(marker))
    (cache / f"cel-grammar-{__version__}.lark.cache").write_bytes(planted)
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "INC-1.md").write_text(RECORD, encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), HOTFIX_POLICY_NO_CACHE=no_cache)
    done = subprocess.run([sys.executable, "-c", AUDITED_CLI, *command], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert not marker.exists()
    assert done.stderr.splitlines()[-1] == "unpickled: []", done.stderr
    if command[0] == "eval":
        assert (done.returncode, done.stdout) == (0, "1\n")
    else:
        assert done.returncode == 1 and "INC-1.md" in done.stdout, done.stdout + done.stderr
