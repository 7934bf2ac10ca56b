"""The run cache never holds a secret: the outcome keeps the masked text of the documents a finding
names, and the documents a run past its entry's time keeps (engine/replay/entry.py) hold values
read with secrets masked; a document whose line would repeat one is not kept."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hotfix_policy.cli.main import main
from hotfix_policy.engine.documents.model import Document, Secret
from hotfix_policy.engine.replay.entry import document_lines
from hotfix_policy.engine.span import LineIndex
from tests.conftest import REPO
from tests.hostile.fake_secrets import fake_secrets, leaked

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402


def test_no_run_cache_entry_holds_a_secret(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    corpus.write_same_month_hotfixes(tmp_path / "repo", 30)
    made = fake_secrets()
    records = sorted((tmp_path / "repo").rglob("INC-*.md"))
    for record, (line, _) in zip(records, made.values()):  # a secret of each kind in a record of its own
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("Severity:", f"Notes: {line}\nSeverity:", 1), encoding="utf-8")
    front = "\n".join(f"note{number}: {line}" for number, (line, _) in enumerate(made.values()))
    records[-1].write_text(f"---\n{front}\n---\n" + records[-1].read_text(encoding="utf-8"), encoding="utf-8")
    for day in ("01", "03", "05"):  # past each entry's time: the second run keeps the documents, the third reads them
        main(["check", "repo", "--now", f"2026-12-{day}T12:00:00Z", "--format", "sarif"])
    output = capsys.readouterr()
    (entry,) = (tmp_path / "cache" / "hotfix-policy" / "runs").glob("*.json")
    stored = entry.read_text(encoding="utf-8")
    assert '"documents":null' not in stored.split("\n", 1)[0]  # it keeps the documents
    unescaped = "\n".join(json.dumps(json.loads(line), ensure_ascii=False) for line in stored.split("\n"))
    secrets = [secret for _, secret in made.values()]
    assert leaked(stored, secrets) == [] and leaked(unescaped, secrets) == []
    assert leaked(output.out + output.err, secrets) == []


def test_no_cache_holds_a_secret_in_a_file_or_folder_name(tmp_path: Path, monkeypatch, capsys):
    """Names are masked wherever a report shows them; the caches, which write them down, keep no
    entry holding such a name (the run is judged, and extracts that file, every time)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HOTFIX_POLICY_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    corpus.write_same_month_hotfixes(tmp_path / "repo", 30)
    made = fake_secrets()
    key, token = made["aws_access_key_id"][1], made["slack_token"][1]
    records = sorted((tmp_path / "repo").rglob("INC-*.md"))
    records[0].rename(records[0].with_name(f"note-{key}.md"))
    (records[1].parent / token).mkdir()
    records[1].rename(records[1].parent / token / records[1].name)
    for day in ("01", "03", "05"):
        main(["check", "repo", "--now", f"2026-12-{day}T12:00:00Z", "--format", "sarif"])
        cached = main(["check", "repo", "--now", f"2026-12-{day}T12:00:00Z"])
        assert cached == main(["check", "repo", "--now", f"2026-12-{day}T12:00:00Z", "--no-cache"])
        os.environ.pop("HOTFIX_POLICY_NO_CACHE")  # --no-cache sets it for the run's processes
    output = capsys.readouterr()
    written = [path.read_bytes().decode("utf-8", "replace") for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    assert written and leaked("".join(written), [key, token]) == []
    assert leaked(output.out + output.err, [key, token]) == []


def test_a_document_whose_line_would_repeat_a_secret_is_not_kept():
    token = fake_secrets()["github_token"][1]
    text = f"Token: {token}\n"
    document = Document("incident", "INC-1", "a.md", text, data={"note": token},
                        secrets=[Secret("github_token", LineIndex(text).span(7, 7 + len(token)))])
    assert document_lines([document], [], []) is None
