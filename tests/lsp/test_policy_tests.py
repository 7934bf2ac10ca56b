"""The Testing view's requests end to end: the workspace's policy tests and rule examples listed
(`hotfixPolicy/tests`), run (`hotfixPolicy/runTests`), refreshed after a save, and the rule
lens that runs a rule's examples."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp.helpers import POLICY, WAIT, diagnostics_until, log_message, open_document, start

EXAMPLES = POLICY.replace('''      docs: {summary: "The declaration's Severity is CRITICAL, HIGH or MEDIUM."}''', '''\
      docs:
        summary: "The declaration's Severity is CRITICAL, HIGH or MEDIUM."
        examples:
          - name: a word that is no level
            documents:
              INC-7.md: "# INC-7: Search 🚀 slow\\n\\n🚨 PRODUCTION INCIDENT DECLARED\\nSeverity: bad\\nStatus: FIXING\\n"
            expect: {INC-7.md: [T001]}
          - name: a level, wrongly expected to fail
            documents:
              INC-7.md: "# INC-7: Search slow\\n\\n🚨 PRODUCTION INCIDENT DECLARED\\nSeverity: HIGH\\nStatus: FIXING\\n"
            expect: {INC-7.md: [T001]}''')

SUITE = """\
apiVersion: policy/v1
kind: PolicyTest
cases:
  - name: a clean record
    documents:
      INC-1.md: "# INC-1: Search slow\\n\\n🚨 PRODUCTION INCIDENT DECLARED\\nSeverity: HIGH\\nStatus: FIXING\\n"
    expect: {INC-1.md: [T003]}
"""


def _write(workspace: Path) -> None:
    (workspace / "policies" / "incident.yaml").write_text(EXAMPLES, encoding="utf-8")
    (workspace / "policies" / "tests").mkdir()
    (workspace / "policies" / "tests" / "incident.yaml").write_text(SUITE, encoding="utf-8")


async def _request(client, method: str, params: dict):
    return await asyncio.wait_for(client.protocol.send_request_async(method, params), WAIT)


async def test_the_tests_are_listed_as_a_tree_of_files_rules_and_cases(client, workspace: Path):
    _write(workspace)
    await start(client, workspace)
    listed = await _request(client, "hotfixPolicy/tests", {})
    tree = [(t.id, t.label, t.kind, t.parent) for t in listed.tests]
    assert tree == [
        ("policies/tests/incident.yaml", "policies/tests/incident.yaml", "file", None),
        ("policies/tests/incident.yaml#1", "incident.yaml[a clean record]", "case", "policies/tests/incident.yaml"),
        ("policies/incident.yaml", "policies/incident.yaml", "file", None),
        ("policies/incident.yaml#T001", "T001", "rule", "policies/incident.yaml"),
        ("policies/incident.yaml#T001/1", "T001[a word that is no level]", "example", "policies/incident.yaml#T001"),
        ("policies/incident.yaml#T001/2", "T001[a level, wrongly expected to fail]", "example",
         "policies/incident.yaml#T001")]
    example = listed.tests[4]
    assert example.uri == (workspace / "policies" / "incident.yaml").as_uri()
    lines = EXAMPLES.splitlines()
    assert lines[example.range.start.line].strip() == "- name: a word that is no level"
    assert listed.errors == [] and listed.leftOut == 0


async def test_running_all_reports_each_case_with_expected_and_actual_findings(client, workspace: Path):
    _write(workspace)
    await start(client, workspace)
    ran = await _request(client, "hotfixPolicy/runTests", {})
    results = {r.id: r for r in ran.results}
    assert ran.notRun == []
    assert {key: r.passed for key, r in results.items()} == {
        "policies/tests/incident.yaml#1": False,  # T003 reads doc.number, which a record has not: EVAL001
        "policies/incident.yaml#T001/1": True, "policies/incident.yaml#T001/2": False}
    failed = results["policies/incident.yaml#T001/2"]
    assert failed.message == "INC-7.md: missing T001"
    assert failed.expected == "INC-7.md: T001" and failed.actual == "INC-7.md: no findings"
    line = EXAMPLES.splitlines()[failed.range.start.line]
    assert line.strip() == "- name: a level, wrongly expected to fail"
    assert failed.range.start == failed.range.end  # the example's first line, where the message shows
    passed = results["policies/incident.yaml#T001/1"]
    assert passed.message == "" and passed.actual.startswith("INC-7.md: T001\n  T001 at INC-7.md:4:11: Severity")


async def test_running_a_rule_or_a_file_runs_its_cases_only(client, workspace: Path):
    _write(workspace)
    await start(client, workspace)
    ran = await _request(client, "hotfixPolicy/runTests", {"ids": ["policies/incident.yaml#T001"]})
    assert [r.id for r in ran.results] == ["policies/incident.yaml#T001/1", "policies/incident.yaml#T001/2"]
    ran = await _request(client, "hotfixPolicy/runTests", {"ids": ["policies/tests/incident.yaml"]})
    assert [r.id for r in ran.results] == ["policies/tests/incident.yaml#1"]
    ran = await _request(client, "hotfixPolicy/runTests", {"ids": ["no such test"]})
    assert ran.results == [] and ran.notRun == []
    with pytest.raises(JsonRpcInvalidParams, match="'ids' must be a list of strings"):
        await _request(client, "hotfixPolicy/runTests", {"ids": ["no such test", 42]})


async def test_a_saved_policy_tells_the_client_to_list_the_tests_again(client, workspace: Path):
    _write(workspace)
    await start(client, workspace)
    await log_message(client, "workspace index ready")
    await _request(client, "hotfixPolicy/tests", {})
    edited = EXAMPLES.replace("a word that is no level", "a word, not a level")
    path = workspace / "policies" / "incident.yaml"
    path.write_text(edited, encoding="utf-8")
    uri = open_document(client, path, edited, language="yaml")
    await diagnostics_until(client, uri, lambda found: True)  # known as a policy file once checked
    changed = client.wait_for_notification("hotfixPolicy/testsChanged")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await asyncio.wait_for(changed, WAIT)
    listed = await _request(client, "hotfixPolicy/tests", {})
    assert "T001[a word, not a level]" in [t.label for t in listed.tests]


async def test_a_broken_test_file_is_an_error_with_its_place_and_the_rest_still_listed(client, workspace: Path):
    _write(workspace)
    (workspace / "policies" / "tests" / "broken.yaml").write_text("apiVersion: policy/v1\nkind: PolicyTest\ncases: 7\n",
                                                                  encoding="utf-8")
    await start(client, workspace)
    listed = await _request(client, "hotfixPolicy/tests", {})
    [error] = listed.errors
    assert error.uri == (workspace / "policies" / "tests" / "broken.yaml").as_uri() and error.range.start.line == 2
    assert "cases" in error.message
    assert len(listed.tests) == 6


async def test_the_run_examples_lens_runs_that_rules_examples(client, workspace: Path):
    _write(workspace)
    await start(client, workspace)
    await log_message(client, "workspace index ready")
    uri = open_document(client, workspace / "policies" / "incident.yaml", EXAMPLES, language="yaml")
    lenses = await asyncio.wait_for(client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri))), WAIT)
    [run] = [lens.command for lens in lenses if lens.command.command == "hotfix-policy.runRuleExamples"]
    assert run.title == "run 2 examples" and list(run.arguments) == ["policies/incident.yaml#T001", "T001"]
    result = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=run.command, arguments=run.arguments)), WAIT)
    assert [r["passed"] for r in result["results"]] == [True, False]
    message = client.messages[-1].message
    assert message.startswith("T001: 1 of 2 examples fail\nT001[a level, wrongly expected to fail]: INC-7.md: missing T001")
