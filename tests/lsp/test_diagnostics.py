"""Diagnostics end to end: a real server over stdio, a small workspace, exact ranges and codes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.helpers import (
    INCIDENT,
    POLICY,
    WAIT,
    change_document,
    codes,
    diagnostics_until,
    log_message,
    open_config_loading_a_broken_policy,
    open_document,
    start,
    where,
)


def by_code(diagnostics) -> dict:
    return {str(d.code): d for d in diagnostics}


async def test_markdown_mistakes_on_open_with_exact_ranges(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 2)
    found = by_code(diagnostics)
    assert codes(diagnostics) == ["T001", "T002"]
    # "Severity: 😀 bad": the emoji is two UTF-16 code units
    assert where(found["T001"]) == (3, 10, 3, 16)
    assert where(found["T002"]) == (4, 8, 4, 16)
    assert found["T001"].severity == types.DiagnosticSeverity.Error
    assert found["T002"].severity == types.DiagnosticSeverity.Warning
    assert found["T001"].source == "hotfix-policy"
    assert found["T001"].message == "Severity must be CRITICAL, HIGH or MEDIUM"
    # the rule's definition: the policy file, at the rule's id
    policy_uri = (workspace / "policies" / "incident.yaml").as_uri()
    assert found["T001"].code_description.href == policy_uri + "#L7"
    [related] = found["T001"].related_information
    assert related.location.uri == policy_uri
    assert where(related.location) == (6, 10, 6, 14)
    assert "CRITICAL, HIGH or MEDIUM" in related.message


@pytest.mark.parametrize("encoding, end", [("utf-8", 18), ("utf-32", 15), ("utf-16", 16)])
async def test_columns_follow_the_negotiated_position_encoding(client, workspace: Path, encoding, end):
    result = await start(client, workspace, encodings=[encoding])
    assert result.capabilities.position_encoding == encoding
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 2)
    assert where(by_code(diagnostics)["T001"]) == (3, 10, 3, end)


async def test_change_and_save_update_diagnostics(client, workspace: Path):
    await start(client, workspace)
    path = workspace / "incidents" / "INC-7.md"
    uri = open_document(client, path, INCIDENT)
    await diagnostics_until(client, uri, lambda d: codes(d) == ["T001", "T002"])
    fixed = INCIDENT.replace("😀 bad", "HIGH")
    change_document(client, uri, 2, fixed)
    diagnostics = await diagnostics_until(client, uri, lambda d: codes(d) == ["T002"])
    assert where(diagnostics[0]) == (4, 8, 4, 16)
    path.write_text(fixed.replace("WHATEVER", "FIXING"), encoding="utf-8")
    change_document(client, uri, 3, fixed.replace("WHATEVER", "FIXING"))
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def test_close_clears_diagnostics(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, uri, lambda d: len(d) == 2)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def test_cross_document_rule_reported_once_the_index_is_ready(client, workspace: Path):
    await start(client, workspace)
    # INC-1.md on disk already has number 1; this unsaved copy repeats it
    copy = (workspace / "incidents" / "INC-1.md").read_text(encoding="utf-8")
    uri = open_document(client, workspace / "incidents" / "copy.md", copy)
    await log_message(client, "workspace index ready: 1 documents")
    diagnostics = await diagnostics_until(client, uri, lambda d: codes(d) == ["T003"])
    assert where(diagnostics[0])[0] == 0  # the number in the title


def test_cross_document_rules_hold_back_until_the_index_is_ready(workspace: Path):
    """The engine side of the same contract: before `index()`, no false finding."""
    from hotfix_policy.engine.workspace import Workspace

    engine = Workspace(workspace)
    assert engine.reload_configuration() == []
    copy = (workspace / "incidents" / "INC-1.md").read_text(encoding="utf-8")
    path = str(workspace / "incidents" / "copy.md")
    before = engine.check_text(path, copy)
    assert before.held_back == ("T003",) and before.findings == []
    engine.index()
    assert [f.rule for f in engine.check_text(path, copy).findings] == ["T003"]


FOLDED = POLICY.replace("""          'TESTING', 'DEPLOYING', 'MONITORING', 'CLOSED']""",
                        """          '🚀', 'TESTING'] && doc.stauts != ''""")


async def test_policy_errors_at_the_exact_column_inside_a_folded_scalar(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "policies" / "draft.yaml", FOLDED, language="yaml")
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 1)
    [diagnostic] = diagnostics
    # plain text (no code ticks), with its code, the code's reference and the "did you mean" as data
    assert diagnostic.message == "Incident record has no field stauts; did you mean status?"
    assert diagnostic.code == "FILE002" and diagnostic.code_description.href.endswith("/docs/rules.md#file002")
    assert diagnostic.data == {"suggestion": "status"}
    number = next(i for i, line in enumerate(FOLDED.splitlines()) if "stauts" in line)
    line = FOLDED.splitlines()[number]
    assert line == "          '🚀', 'TESTING'] && doc.stauts != ''"
    start_column = line.index("stauts") + 1  # the emoji is two UTF-16 units
    assert where(diagnostic) == (number, start_column, number, start_column + len("stauts"))
    assert diagnostic.severity == types.DiagnosticSeverity.Error


async def test_config_errors_and_waiver_warnings(client, workspace: Path):
    await start(client, workspace)
    text = """packs: []
policies: [policies/]
rules: {T001: warning, T099: off}
data: {admins: [ops-lead]}
waivers:
  - rules: [T002, T009]
    documents: [INC-7]
    justification: known
    approved_by: ops-lead
    expires: 2030-01-01
"""
    uri = open_document(client, workspace / ".policy.yaml", text, language="yaml")
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 2)  # every mistake at once
    error, warning = sorted(diagnostics, key=lambda d: d.severity)
    assert "unknown rule id T099" in error.message and where(error) == (2, 23, 2, 27)
    assert "unknown rule id T009" in warning.message
    change_document(client, uri, 2, text.replace(", T099: off", ""))
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) == 1 and "T099" not in d[0].message)
    [warning] = diagnostics
    assert warning.severity == types.DiagnosticSeverity.Warning
    assert "unknown rule id T009" in warning.message and where(warning) == (5, 18, 5, 22)


async def test_an_invalid_waiver_is_an_error_wvr003_at_each_key_at_fault(client, workspace: Path):
    """As `policy check` reports it (docs/rules.md: WVR003 is an error), not a warning."""
    await start(client, workspace)
    text = """packs: []
policies: [policies/]
data: {admins: [ops-lead]}
waivers:
  - rules: [T002]
    documents: [INC-7]
    justification: x
    approved_by: dana
    expires: 2030-01-01
"""
    uri = open_document(client, workspace / ".policy.yaml", text, language="yaml")
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 2)
    assert [(d.code, d.severity, where(d)) for d in diagnostics] == [
        ("WVR003", types.DiagnosticSeverity.Error, (6, 19, 6, 20)),
        ("WVR003", types.DiagnosticSeverity.Error, (7, 17, 7, 21))]
    assert diagnostics[1].message == "invalid waiver, not honoured: approved_by 'dana' is not in data.admins"
    assert diagnostics[1].code_description.href.endswith("/docs/rules.md#wvr003")


async def test_yaml_that_is_not_ours_gets_no_diagnostics(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "ci.yaml", "on: [push\n", language="yaml")
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def test_saving_a_policy_revalidates_open_documents(client, workspace: Path):
    await start(client, workspace)
    incident = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, incident, lambda d: codes(d) == ["T001", "T002"])
    policy_path = workspace / "policies" / "incident.yaml"
    policy = open_document(client, policy_path, POLICY, language="yaml")
    await diagnostics_until(client, policy, lambda d: len(d) == 0)
    edited = POLICY.replace("Severity must be CRITICAL, HIGH or MEDIUM", "Severity is not a level")
    change_document(client, policy, 2, edited)
    policy_path.write_text(edited, encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=policy)))
    diagnostics = await diagnostics_until(
        client, incident, lambda d: any(x.message == "Severity is not a level" for x in d))
    assert codes(diagnostics) == ["T001", "T002"]


async def test_many_rapid_changes_end_with_the_last_version(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    await diagnostics_until(client, uri, lambda d: len(d) == 2)
    last = 200
    for version in range(2, last + 1):
        # each version moves the Status line down by one: its range names the version
        text = INCIDENT.replace("Status:", "\n" * version + "Status:").replace("😀 bad", "HIGH")
        change_document(client, uri, version, text)
    expected_line = 4 + last
    diagnostics = await diagnostics_until(
        client, uri, lambda d: codes(d) == ["T002"] and d[0].range.start.line == expected_line)
    assert where(diagnostics[0]) == (expected_line, 8, expected_line, 16)
    report = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
    assert report.result_id.startswith(f"{uri}@{last}/")
    assert [where(d) for d in report.items] == [where(diagnostics[0])]


async def test_pull_diagnostics_for_clients_that_pull(client, workspace: Path):
    await start(client, workspace, profile="neovim")  # 0.11: pull diagnostics, UTF-8 first
    uri = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    params = types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    report = await asyncio.wait_for(client.text_document_diagnostic_async(params), WAIT)
    assert report.kind == "full" and report.result_id.startswith(f"{uri}@1/")
    assert sorted((str(d.code), where(d)) for d in report.items) == [
        ("T001", (3, 10, 3, 18)), ("T002", (4, 8, 4, 16))]
    params.previous_result_id = report.result_id
    again = await asyncio.wait_for(client.text_document_diagnostic_async(params), WAIT)
    if again.result_id == report.result_id:  # the index may have become ready in between
        assert again.kind == "unchanged"
    assert uri not in client.diagnostics  # pulled, not pushed


async def test_a_broken_policy_is_shown_in_the_configuration_on_the_entry_that_loads_it(client, workspace: Path):
    """One problem, one diagnostic each place: the broken policy at its mistake, and in
    `.policy.yaml` on the `policies:` entry that loads it, saying that it does not load."""
    uri = await open_config_loading_a_broken_policy(client, workspace)
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) >= 1)
    assert len(diagnostics) == 1
    assert where(diagnostics[0]) == (2, 4, 2, 13)
    message = diagnostics[0].message
    assert message.startswith("policies/kind.yaml does not load (a mistake; open it to fix): the first, at ")
    assert "policies/kind.yaml:5:" in message and "incidnet" in message
