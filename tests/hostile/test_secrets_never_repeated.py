"""A detected secret is never repeated, wherever it hides: front matter read as YAML (a tag, an
alias, a value that becomes a message) is read from the masked text, and a value YAML decodes
into a secret (an escape, a continued line) is found in the decoded value and masked where it
is written, in every output format and in `policy parse`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.report import FORMATS
from tests.conftest import POLICY_COMMAND

TOKEN = "ghp_" + "Ab1" * 12
AWS_KEY = "AKIA" + "ZXCVBNMASDFGHJKL"
RECORD = "# INC-5: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
FRONT_MATTER = {
    "a YAML tag": f"token: !{TOKEN}",
    "a YAML alias": f"note: *{TOKEN}",
    "the kind": f"kind: {TOKEN}",
    "a quoted value in a flow mapping": f"meta: {{owner: '{TOKEN}'}}",
    # YAML spellings the raw text's scan cannot see: the decoded value is scanned too
    "an escaped character": 'note: "\\x67' + TOKEN[1:] + '"',
    "a unicode escape": 'kind: "\\u0067' + TOKEN[1:] + '"',
    "a continued quoted line": 'note: "' + TOKEN[:20] + '\\\n  ' + TOKEN[20:] + '"',
    "a quoted value continued over three lines": 'note: "about \\\n' + AWS_KEY[:4] + '\\\n' + AWS_KEY[4:] + '"',
}


@pytest.mark.parametrize("where", FRONT_MATTER)
def test_a_secret_in_front_matter_is_never_repeated(where, tmp_path: Path):
    record = tmp_path / "INC-5.md"
    record.write_text(f"---\n{FRONT_MATTER[where]}\n---\n{RECORD}", encoding="utf-8")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    outputs = []
    for fmt in FORMATS:
        done = subprocess.run([POLICY_COMMAND, "check", str(record), "--format", fmt], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, env=environment)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout + done.stderr)
    parsed = subprocess.run([POLICY_COMMAND, "parse", str(record)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env=environment)
    outputs.append(parsed.stdout + parsed.stderr)
    # what the caches keep (the run cache holds the masked text of the documents a finding names)
    outputs += [file.read_bytes().decode("utf-8", "replace") for file in (tmp_path / "cache").rglob("*")
                if file.is_file()]
    pieces = [TOKEN[4:20], TOKEN[20:], AWS_KEY[4:]]
    assert not [piece for output in outputs for piece in pieces if piece in output]
    assert "SEC001" in outputs[0] or "DOC001 unknown kind" in outputs[0]


def test_a_binary_front_matter_value_is_refused(tmp_path: Path):
    record = tmp_path / "INC-5.md"
    record.write_text(f"---\nnote: !!binary Z2hwX0FiMUFiMQ==\n---\n{RECORD}", encoding="utf-8")
    done = subprocess.run([POLICY_COMMAND, "check", str(record)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert "INC-5.md:2:7: error SCHEMA001 front matter `note` is a binary value (`!!binary`)" in done.stdout


def test_a_secret_in_a_file_name_is_never_repeated(tmp_path: Path):
    folder = tmp_path / "incidents"
    folder.mkdir()
    (folder / f"INC-{TOKEN}.md").write_text(RECORD, encoding="utf-8")
    for fmt in FORMATS:
        done = subprocess.run([POLICY_COMMAND, "check", "incidents", "--format", fmt], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        # the record was checked and named; SARIF leaves out a file it cannot name without the
        # secret (a masked name is no file of the checkout)
        assert "INC-" in done.stdout or (fmt == "sarif" and '"results": []' in done.stdout), fmt
        assert TOKEN[4:20] not in done.stdout + done.stderr, fmt
