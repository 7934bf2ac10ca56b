"""The requests behind the editor's status item and workspace commands: the status (and its
change notifications as the index and the configuration change), the rules list with their
reference links, and Check workspace publishing the problems of files that are not open."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from hotfix_policy.engine.policy.help_links import RULES_PAGE, docs_url, rule_anchor
from tests.lsp.helpers import (CLEAN_INCIDENT, INCIDENT, WAIT, codes, diagnostics_until, log_message,
                               open_document, start)

STATUS_CHANGED = "hotfixPolicy/statusChanged"


def _watch_status(client) -> list:
    sent = []
    client.feature(STATUS_CHANGED)(lambda ls, params: sent.append(params))
    return sent


async def _request(client, method: str, params=None):
    return await asyncio.wait_for(client.protocol.send_request_async(method, params), WAIT)


async def _status_until(client, sent: list, condition):
    async def wait():
        while not (sent and condition(sent[-1])):
            await client.wait_for_notification(STATUS_CHANGED)
        return sent[-1]

    return await asyncio.wait_for(wait(), WAIT)


def _plain(value):
    """A pygls object (a named tuple for a method lsprotocol does not know) as plain data."""
    if hasattr(value, "_asdict"):
        return {key: _plain(item) for key, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


async def test_the_status_names_the_configuration_packs_and_indexed_documents(client, workspace: Path):
    sent = _watch_status(client)
    await start(client, workspace)
    await log_message(client, "workspace index ready")
    status = _plain(await _request(client, "hotfixPolicy/status"))
    assert status == {"root": str(workspace.resolve()), "config": ".policy.yaml", "configErrors": 0, "packs": [],
                      "policies": ["policies"], "rules": 3, "documents": 1, "clockPinned": None,
                      "testClock": False, "workspaceCheck": None}
    assert _plain(sent[0])["documents"] is None, "while indexing, the count is not known yet"
    assert _plain(sent[-1]) == status, "the client heard of the index as it became ready"


async def test_the_status_follows_the_index_and_the_configuration(client, workspace: Path):
    sent = _watch_status(client)
    await start(client, workspace)
    await _status_until(client, sent, lambda status: status.documents == 1)

    (workspace / "incidents" / "INC-2.md").write_text(CLEAN_INCIDENT.replace("INC-1", "INC-2"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=(workspace / "incidents" / "INC-2.md").as_uri(), type=types.FileChangeType.Created)]))
    await _status_until(client, sent, lambda status: status.documents == 2)

    config = workspace / ".policy.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "clock: 2026-11-20T14:37:00Z\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    pinned = await _status_until(client, sent, lambda status: status.clockPinned is not None)
    assert pinned.clockPinned == "2026-11-20 14:37 UTC"


async def test_without_a_configuration_the_built_in_defaults_are_in_force(client, tmp_path: Path):
    root = tmp_path / "bare"
    root.mkdir()
    await start(client, root)
    status = _plain(await _request(client, "hotfixPolicy/status"))
    assert status["config"] is None and status["packs"] == ["builtin:hotfix"] and status["policies"] == []
    assert status["rules"] > 20


async def test_the_rules_list_links_each_rule_to_its_reference(client, tmp_path: Path):
    root = tmp_path / "bare"
    root.mkdir()
    await start(client, root)
    answer = _plain(await _request(client, "hotfixPolicy/rules"))
    assert answer["reference"] == docs_url(RULES_PAGE)
    rules = {rule["id"]: rule for rule in answer["rules"]}
    inc = rules["INC006"]
    assert inc["url"] == docs_url(RULES_PAGE, rule_anchor("INC006"))
    assert inc["policy"] and inc["summary"] and inc["severity"] in ("error", "warning", "info")
    assert inc["location"]["uri"].endswith(".yaml") and inc["location"]["range"]["start"]["line"] > 0
    engine = rules["DOC002"]
    assert engine["url"].endswith("rules.md#doc002") and engine["policy"] is None and engine["location"] is None


async def test_a_team_rule_has_no_reference_page_but_its_place_in_the_policy(client, workspace: Path):
    await start(client, workspace)
    rules = {rule["id"]: rule for rule in _plain(await _request(client, "hotfixPolicy/rules"))["rules"]}
    team = rules["T001"]
    assert team["url"] == "" and team["summary"] == "The declaration's Severity is CRITICAL, HIGH or MEDIUM."
    assert team["location"]["uri"] == (workspace / "policies" / "incident.yaml").resolve().as_uri()
    assert team["location"]["range"]["start"]["line"] == 6  # `- id: T001`, counted from 0
    assert set(rules) >= {"T001", "T002", "T003", "DOC002"}


async def test_check_workspace_publishes_the_problems_of_files_not_open(client, workspace: Path):
    broken = workspace / "incidents" / "INC-7.md"
    broken.write_text(INCIDENT, encoding="utf-8")
    uri = broken.resolve().as_uri()
    clean_uri = (workspace / "incidents" / "INC-1.md").resolve().as_uri()
    sent = _watch_status(client)
    await start(client, workspace)

    summary = _plain(await _request(client, "hotfixPolicy/checkWorkspace"))
    assert summary == {"documents": 2, "files": 1, "errors": 1, "warnings": 1, "others": 0}
    assert codes(client.diagnostics[uri]) == ["T001", "T002"]
    assert clean_uri not in client.diagnostics, "a file without problems gets nothing published"
    assert _plain((await _status_until(client, sent, lambda s: s.workspaceCheck is not None)).workspaceCheck) == summary

    # Fixed on disk: a second run takes its problems away.
    broken.write_text(CLEAN_INCIDENT.replace("INC-1", "INC-7"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=broken.as_uri(), type=types.FileChangeType.Changed)]))
    summary = _plain(await _request(client, "hotfixPolicy/checkWorkspace"))
    assert summary == {"documents": 2, "files": 0, "errors": 0, "warnings": 0, "others": 0}
    assert list(client.diagnostics[uri]) == []


async def test_check_workspace_reports_documents_that_cannot_be_read_as_policy_check_does(client, workspace: Path):
    """Invalid UTF-8 and a binary file are DOC003 in `policy check`; the workspace check judges
    and publishes them too, never passes them over."""
    bad = workspace / "incidents" / "INC-20.md"
    bad.write_bytes(CLEAN_INCIDENT.replace("INC-1: Search", "INC-20: Bad \0 bytes").encode().replace(b"\0", b"\xe9 \xff\xfe"))
    junk = workspace / "incidents" / "junk.md"
    junk.write_bytes(bytes(range(256)) * 2)
    await start(client, workspace)

    summary = _plain(await _request(client, "hotfixPolicy/checkWorkspace"))
    assert summary["documents"] == 3 and summary["files"] == 2, summary
    bad_doc003 = [d for d in client.diagnostics[bad.resolve().as_uri()] if d.code == "DOC003"]
    assert len(bad_doc003) == 1 and "not valid UTF-8" in bad_doc003[0].message
    assert bad_doc003[0].range.start == types.Position(line=0, character=14)
    assert [(d.code, "binary" in d.message) for d in client.diagnostics[junk.resolve().as_uri()]] == [("DOC003", True)]


async def _checked_workspace(client, workspace: Path, profile: str) -> str:
    """A workspace with a broken record on disk, checked; the record's URI."""
    broken = workspace / "incidents" / "INC-7.md"
    broken.write_text(INCIDENT, encoding="utf-8")
    uri = broken.resolve().as_uri()
    await start(client, workspace, profile=profile)
    await _request(client, "hotfixPolicy/checkWorkspace")
    assert codes(client.diagnostics[uri]) == ["T001", "T002"]
    return uri


def _close(client, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_an_open_file_shows_its_live_diagnostics_and_the_check_again_once_closed(client, workspace: Path):
    uri = await _checked_workspace(client, workspace, "visual-studio-code")  # VS Code's client: pushed diagnostics
    open_document(client, workspace.resolve() / "incidents" / "INC-7.md", INCIDENT.replace("😀 bad", "HIGH"))
    assert codes(await diagnostics_until(client, uri, lambda found: len(found) == 1)) == ["T002"]  # the edited text
    _close(client, uri)
    assert codes(await diagnostics_until(client, uri, lambda found: len(found) == 2)) == ["T001", "T002"]  # as on disk

    await _request(client, "hotfixPolicy/clearWorkspaceCheck")
    await diagnostics_until(client, uri, lambda found: not found)
    assert _plain(await _request(client, "hotfixPolicy/status"))["workspaceCheck"] is None


async def test_a_client_that_pulls_is_not_shown_an_open_file_twice(client, workspace: Path):
    uri = await _checked_workspace(client, workspace, "neovim")  # pulls the open documents' diagnostics
    open_document(client, workspace.resolve() / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, uri, lambda found: not found)  # the pulled ones stand alone
    _close(client, uri)
    assert codes(await diagnostics_until(client, uri, lambda found: len(found) > 0)) == ["T001", "T002"]


WAIVED = """\
packs: []
policies: [policies/]
clock: 2026-11-26T12:00:00Z
data: {admins: [ops-lead]}
waivers:
  - rules: [T001]
    documents: [INC-7]
    justification: the severity scale is being renamed
    approved_by: ops-lead
    expires: 2026-12-20
  - rules: [T003]
    documents: [INC-7]
    justification: a duplicate record was merged
    approved_by: ops-lead
    expires: 2026-12-20
"""


async def test_check_workspace_says_which_waivers_match_no_finding_as_policy_check_does(client, workspace: Path):
    """WVR002 needs every document judged: it shows on .policy.yaml after Check workspace only,
    and goes with the check's results (cleared, run again, or the configuration reloaded)."""
    config = workspace.resolve() / ".policy.yaml"
    config.write_text(WAIVED, encoding="utf-8")
    (workspace / "incidents" / "INC-7.md").write_text(INCIDENT, encoding="utf-8")
    await start(client, workspace)
    config_uri = config.as_uri()
    await _request(client, "hotfixPolicy/checkWorkspace")
    [stale] = client.diagnostics[config_uri]
    assert (stale.code, stale.severity, stale.range.start.line, stale.range.start.character) == (
        "WVR002", types.DiagnosticSeverity.Warning, 10, 4)  # the second waiver; T001's matched INC-7
    assert stale.message == "waiver of T003 matches no finding; remove it"
    assert stale.code_description.href.endswith("#wvr002")

    open_document(client, config, WAIVED, language="yaml")  # its live diagnostics, and the check's
    assert codes(await diagnostics_until(client, config_uri, lambda found: len(found) == 1)) == ["WVR002"]
    await _request(client, "hotfixPolicy/clearWorkspaceCheck")
    await diagnostics_until(client, config_uri, lambda found: not found)

    _close(client, config_uri)
    await _request(client, "hotfixPolicy/checkWorkspace")
    assert codes(client.diagnostics[config_uri]) == ["WVR002"]
    config.write_text(WAIVED[:WAIVED.index("  - rules: [T003]")], encoding="utf-8")  # the stale waiver removed
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=config_uri, type=types.FileChangeType.Changed)]))
    await diagnostics_until(client, config_uri, lambda found: not found)
    await _request(client, "hotfixPolicy/checkWorkspace")
    assert list(client.diagnostics[config_uri]) == []
