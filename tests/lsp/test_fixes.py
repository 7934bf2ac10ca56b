"""Quick fixes for what the server diagnoses with a "did you mean", applied as an editor would
(the edit written into the text, the text sent back), until the diagnostic is gone; and the
quiet side: no cascade of errors from one mistake, no CI-only findings in the editor."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.helpers import WAIT, change_document, codes, diagnostics_until, open_document, start, where

TYPOS = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: typos, description: Typos to fix.}
spec:
  appliesTo: incident
  rules:
    - id: X001
      severty: error
      expression: "has(doc.comander)"
      message: "no commander"
"""

WRONG_KIND = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: kinds, description: A kind to fix.}
spec:
  appliesTo: incidnt
  rules:
    - id: X002
      severity: error
      expression: "true"
"""



def cascade(variables: str) -> str:
    """A policy whose only mistake is in its `variables`, and a rule that reads one."""
    return ("apiVersion: policy/v1\nkind: Policy\nmetadata: {name: cascade, description: One mistake.}\n"
            "spec:\n  appliesTo: incident\n  variables:\n" + variables +
            "  rules:\n    - id: X003\n      severity: error\n      expression: \"variables.cmd != ''\"\n")


MALFORMED_VARIABLES = cascade('    cmd: "doc.commander"\n')
BROKEN_VARIABLE = cascade('    - name: cmd\n      expression: "doc.comandr"\n')


async def code_actions(client, uri: str, diagnostics, end_line: int = 40) -> list:
    return await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(0, 0), types.Position(end_line, 0)),
        context=types.CodeActionContext(diagnostics=diagnostics))), WAIT)


def applied(text: str, edits) -> str:
    """The text with the edits (ranges in UTF-16 units over `\\n` lines) applied, last first."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = edit.range.start, edit.range.end
        head = lines[start.line][:start.character]
        tail = lines[end.line][end.character:]
        lines[start.line:end.line + 1] = (head + edit.new_text + tail).split("\n")
    return "\n".join(lines)


async def test_every_did_you_mean_of_a_policy_is_a_quick_fix(client, workspace: Path):
    await start(client, workspace)
    path = workspace / "policies" / "typos.yaml"
    uri = open_document(client, path, TYPOS, language="yaml")
    diagnostics = await diagnostics_until(client, uri, lambda d: len(d) == 2)
    assert [(d.message, d.code, d.data) for d in diagnostics] == [
        ("unknown key 'severty' in rule; did you mean 'severity'?", "FILE001", {"suggestion": "severity"}),
        ("Incident record has no field comander; did you mean commander?", "FILE002", {"suggestion": "commander"})]
    found = await code_actions(client, uri, diagnostics)
    assert [a.title for a in found] == ["Change 'severty' to 'severity'", "Change 'comander' to 'commander'"]
    for action, diagnostic in zip(found, diagnostics):
        assert action.kind == types.CodeActionKind.QuickFix and list(action.diagnostics) == [diagnostic]
        [edit] = action.edit.changes[uri]
        assert edit.range == diagnostic.range
    fixed = applied(TYPOS, [a.edit.changes[uri][0] for a in found])
    assert "      severity: error\n" in fixed and "has(doc.commander)" in fixed
    change_document(client, uri, 2, fixed)
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def the_one_fix(client, uri: str, text: str, title: str):
    """The only diagnostic of the document and its only code action, which must be titled
    `title`; the action is applied and the diagnostic must be gone."""
    [diagnostic] = await diagnostics_until(client, uri, lambda d: len(d) == 1)
    [action] = await code_actions(client, uri, [diagnostic], end_line=text.count("\n"))
    assert action.title == title
    change_document(client, uri, 2, applied(text, action.edit.changes[uri]))
    await diagnostics_until(client, uri, lambda d: len(d) == 0)
    return diagnostic


async def test_an_applies_to_kind_is_a_quick_fix(client, workspace: Path):
    await start(client, workspace)
    uri = open_document(client, workspace / "policies" / "kinds.yaml", WRONG_KIND, language="yaml")
    diagnostic = await the_one_fix(client, uri, WRONG_KIND, "Change 'incidnt' to 'incident'")
    assert diagnostic.code == "FILE001" and where(diagnostic) == (4, 13, 4, 20)


async def test_a_rule_id_in_the_configuration_is_a_quick_fix(client, workspace: Path):
    await start(client, workspace)
    text = "packs: []\npolicies: [policies/]\nrules: {TT001: warning}\n"
    uri = open_document(client, workspace / ".policy.yaml", text, language="yaml")
    diagnostic = await the_one_fix(client, uri, text, "Change 'TT001' to 'T001'")
    assert diagnostic.message == "rules: unknown rule id TT001; did you mean T001?" and diagnostic.code == "FILE003"
    assert diagnostic.code_description.href.endswith("docs/rules.md#file003")


async def test_an_enum_value_in_a_record_is_a_quick_fix(client, workspace: Path):
    await start(client, workspace)
    text = "# INC-7: Checkout failing\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: HIGH\nStatus: FIXNG\n"
    uri = open_document(client, workspace / "incidents" / "INC-7.md", text)
    diagnostics = await diagnostics_until(client, uri, lambda d: codes(d) == ["T002"])
    found = await code_actions(client, uri, diagnostics, end_line=5)
    [fix] = [a for a in found if a.title == "Change 'FIXNG' to 'FIXING'"]
    assert fix.kind == types.CodeActionKind.QuickFix
    # the fix itself: preferred, and answering the finding (VS Code lists it first, with the finding's)
    assert fix.is_preferred is True and [str(d.code) for d in fix.diagnostics] == ["T002"]
    change_document(client, uri, 2, applied(text, fix.edit.changes[uri]))
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def test_one_mistake_one_diagnostic(client, workspace: Path):
    """`variables` of the wrong shape, or a variable that does not compile, is the one error: the
    rules reading it get no "`variables` has no field" of their own."""
    await start(client, workspace)
    uri = open_document(client, workspace / "policies" / "cascade.yaml", MALFORMED_VARIABLES, language="yaml")
    [diagnostic] = await diagnostics_until(client, uri, lambda d: len(d) >= 1)
    assert diagnostic.message == "variables must be a list; found a mapping"
    other = open_document(client, workspace / "policies" / "cascade2.yaml", BROKEN_VARIABLE, language="yaml")
    [diagnostic] = await diagnostics_until(client, other, lambda d: len(d) >= 1)
    assert diagnostic.message == "Incident record has no field comandr; did you mean commander?"
