"""Typing and saving in a large generated workspace: the index the server keeps per change gives
the diagnostics a fresh check gives (engine/workspace.py; the counters that tell a per-change
index from a per-edit rebuild are tested in tests/test_workspace.py)."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

from lsprotocol import types

from tests.conftest import POLICY_COMMAND, benchmark_corpus
from tests.lsp.helpers import WAIT, change_document, diagnostics_until, log_message, open_document, start

CLOCK = "2026-11-26T12:00:00Z"
DOCUMENTS = 300


def as_hotfix(text: str, branch: str, declared: str) -> str:
    """The record with its Branch and Declared lines replaced: a hotfix declared then."""
    text = re.sub(r"(?m)^.*(Declared|Branch)\b.*\n", "", text)
    return text.replace("\n\n🚨", f"\nBranch: {branch}\nDeclared: {declared}\n\n🚨", 1)


def shown(diagnostics) -> Counter:
    return Counter((str(d.code), d.range.start.line, d.message) for d in diagnostics)


def fresh_engine_check(root: Path, path: Path, text: str) -> Counter:
    """A workspace indexed from scratch, the same text checked: what the server must show."""
    from hotfix_policy.engine.workspace import Workspace

    engine = Workspace(root)
    assert engine.reload_configuration() == []
    engine.index()
    return Counter((f.rule, f.span.line - 1 if f.span else 0, f"{f.message} (waived)" if f.waived else f.message)
                   for f in engine.check_text(str(path), text).findings)


def policy_check(root: Path, path: Path) -> Counter:
    """`policy check` of the whole folder, the findings about `path`."""
    run = subprocess.run([POLICY_COMMAND, "check", ".", "--format", "json", "--fail-on", "never"], cwd=root,
                         capture_output=True, text=True, timeout=WAIT)
    assert run.returncode == 0, run.stderr
    relative = path.relative_to(root).as_posix()
    return Counter((f["rule"], f["line"] - 1, f"{f['message']} (waived)" if f["waived"] else f["message"])
                   for f in json.loads(run.stdout)["findings"] if f["path"] == relative)


async def test_edits_then_saves_in_a_large_workspace_equal_a_fresh_check(client, tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".policy.yaml").write_text(f"clock: {CLOCK}\n", encoding="utf-8")
    benchmark_corpus().write_corpus(root, DOCUMENTS)
    records = sorted((root / "incidents").iterdir())
    record, other = records[10], records[40]
    await start(client, root)
    text = record.read_text(encoding="utf-8")
    uri = open_document(client, record, text)
    await log_message(client, "workspace index ready")

    # typing: the record becoming a hotfix of November, notes rewritten, a status typo (unsaved)
    change_document(client, uri, 2, as_hotfix(text, "hotfix/v4.2.1-payments-fix", "2026-11-20T10:00Z"))
    lines = as_hotfix(text, "hotfix/v4.2.1-payments-fix", "2026-11-20T10:00Z").split("\n")
    notes = [i for i, line in enumerate(lines) if line.startswith("Notes: ")]
    for version, at in enumerate(notes[:10], start=3):
        lines[at] = lines[at].replace(" ms.", f" ms, then {version * 7} ms.")
        if version == 5:
            status = next(i for i, line in enumerate(lines) if "Status" in line and "FIXING" in line)
            lines[status] = lines[status].replace("FIXING", "FIXNG")
        change_document(client, uri, version, "\n".join(lines))
    final = "\n".join(lines)
    expected = fresh_engine_check(root, record, final)
    assert "T" not in expected and any(rule.startswith("INC") for rule, _, _ in expected)
    await diagnostics_until(client, uri, lambda d: shown(d) == expected)

    # saved: the workspace rules judge it now, as `policy check` does
    record.write_text(final, encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    expected = policy_check(root, record)
    await diagnostics_until(client, uri, lambda d: shown(d) == expected)

    # another record saved outside the editor as an earlier hotfix of the same month: WS001 here
    other.write_text(as_hotfix(other.read_text(encoding="utf-8"), "hotfix/v4.1.9-search-fix", "2026-11-02T08:00Z"),
                     encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=other.as_uri(), type=types.FileChangeType.Changed)]))
    expected = policy_check(root, record)
    assert any(rule == "WS001" for rule, _, _ in expected)
    await diagnostics_until(client, uri, lambda d: shown(d) == expected)
