"""No answer of the language server repeats a detected secret: completion once quoted the words
typed before the cursor (`"filterText": "AKIA…PRODUCTION INCIDENT DECLARED"`), and a policy's
diagnostics quote the field name an expression reads. Every request, at positions in and after a
secret of each kind, in incident records, a PR description and a policy file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.fake_secrets import fake_secrets, leaked
from tests.hostile.lsp_stdio import StdioServer
from tests.lsp.helpers import make_workspace

DOCUMENTS = {
    "incidents/INC-7001.md": "# INC-7001: x\n\n{line}\n",
    "incidents/INC-7002.md": "# INC-7002: x\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: {line}\nStatus: {line}\n"
                             "Declared: 2026-11-20T09:10Z\n",
    "incidents/INC-7003.md": "# INC-7003: {line}\n\n🚨 PRODUCTION INCIDENT DECLARED\n- {line}\n## {line}\n",
    "pr.md": "# HOTFIX - EMERGENCY DEPLOYMENT\n\nIncident: #{line}\nReviewer: @{line}\n",
    "policies/extra.yaml": "apiVersion: policy/v1\nkind: Policy\nmetadata: {{name: extra}}\nspec:\n"
                           "  appliesTo: incident\n  rules:\n    - id: X001\n      severity: error\n"
                           "      expression: \"doc.title == '{secret}' && doc.{word} == 1\"\n"
                           "      message: \"{line}\"\n",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict:
    """kind -> (secret, every answer and notification about documents holding it, as JSON)."""
    root = make_workspace(tmp_path_factory.mktemp("ws"))
    server = StdioServer(root)
    collected = {}
    try:
        server.initialize(root)
        for kind, (line, secret) in fake_secrets().items():
            said = []
            word = secret.split(".")[0].replace("-", "_")
            for name, template in DOCUMENTS.items():
                text = template.format(line=line, secret=secret, word=word)
                uri = server.open(root / name, text, language="yaml" if name.endswith(".yaml") else "markdown")
                said += _requests_about(server, uri, text, secret)
                server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            said += [json.dumps(note) for note in server.notifications]
            server.notifications.clear()
            collected[kind] = (secret, said)
    finally:
        server.close()
    return collected


def _requests_about(server: StdioServer, uri: str, text: str, secret: str) -> list:
    document = {"uri": uri}
    said = [json.dumps(server.request(method, {"textDocument": document}))
            for method in ("textDocument/documentSymbol", "textDocument/codeLens")]
    for number, line in enumerate(text.split("\n")):
        start = line.find(secret[:10])
        if start < 0:
            continue
        for character in (start, start + 1, start + len(secret) // 2, start + len(secret), len(line)):
            position = {"line": number, "character": character}
            here = {"start": position, "end": position}
            for method, params in (
                    ("textDocument/completion", {"textDocument": document, "position": position}),
                    ("textDocument/hover", {"textDocument": document, "position": position}),
                    ("textDocument/definition", {"textDocument": document, "position": position}),
                    ("textDocument/codeAction", {"textDocument": document, "range": here,
                                                 "context": {"diagnostics": []}}),
                    ("textDocument/codeAction", {"textDocument": document, "context": {"diagnostics": []},
                                                 "range": {"start": {"line": 0, "character": 0},
                                                           "end": {"line": number + 1, "character": 0}}})):
                said.append(json.dumps(server.request(method, params)))
    return said


@pytest.mark.parametrize("kind", sorted(fake_secrets()))
def test_no_editor_answer_repeats_a_secret(answers, kind):
    secret, said = answers[kind]
    assert len(said) > 50
    assert [(piece, answer[:300]) for answer in said for piece in leaked(answer, [secret])] == []


def test_completion_still_answers_next_to_a_secret(answers):
    secret, said = answers["aws_access_key_id"]
    assert any('"label": "Status"' in answer or "missing section" in answer for answer in said)


def test_a_policy_that_names_or_writes_a_secret_is_masked_in_what_the_editor_shows(tmp_path: Path):
    """The server tells a broken policy's mistake in a log message, with the policy's path; a
    diagnostic's related information quotes the rule's message, the rule list its policy."""
    key = fake_secrets()["aws_access_key_id"][1]
    root = make_workspace(tmp_path / "ws")
    (root / "policies").mkdir(exist_ok=True)
    (root / "policies" / f"team-{key}.yaml").write_text(
        "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: team}\nspec:\n  appliesTo: incident\n  rules:\n"
        "    - id: TEAM001\n      severity: error\n      expression: doc.nope == 1\n      message: x\n", encoding="utf-8")
    (root / "policies" / "words.yaml").write_text(
        f"apiVersion: policy/v1\nkind: Policy\nmetadata: {{name: words-{key}}}\nspec:\n  appliesTo: incident\n"
        f"  rules:\n    - id: WORDS001\n      severity: error\n      expression: 'false'\n      message: ask {key}\n",
        encoding="utf-8")
    (root / ".policy.yaml").write_text("policies: [policies]\n", encoding="utf-8")
    server = StdioServer(tmp_path)
    try:
        server.initialize(root)
        told = server.log_message("team-")
        uri = server.open(root / "incidents" / "INC-7.md", "# INC-7: x\n")
        [words] = [d for d in server.diagnostics(uri, 1) if d["code"] == "WORDS001"]
        assert "team-█" in told and leaked(told, [key]) == []
        assert words["relatedInformation"][0]["message"].startswith("WORDS001: ask █")
        rules = server.request("hotfixPolicy/rules", {})
        assert leaked(server.log() + json.dumps(server.notifications) + json.dumps(rules), [key]) == []
    finally:
        server.close()
