"""The credential scanner: kind and place only, never the value, in data or in output."""

from __future__ import annotations

import json

from hotfix_policy.engine.documents import parse_document, to_json

KEY = "AKIA" + "ABCDEFGHIJKLMNOP"
TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
TEXT = f"""# INC-9: leaked

🚨 PRODUCTION INCIDENT DECLARED
Issue: deploy logs show password=Hunter2hunter and {KEY}
Impact: token: {TOKEN}
Status: INVESTIGATING

🔄 INCIDENT UPDATE - 2026-11-20T10:00Z
Status: FIXING
Progress: rotated
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA
-----END RSA PRIVATE KEY-----
"""


def test_secrets_are_found_with_kind_and_place():
    document = parse_document(TEXT, path="leak.md")
    kinds = [(s.kind, s.span.line) for s in document.secrets]
    assert kinds == [("password_assignment", 4), ("aws_access_key_id", 4), ("github_token", 5), ("private_key", 11)]
    assert document.secrets[0].span.slice(document.text) == "Hunter2hunter"
    assert document.data["secrets"][2] == {"kind": "github_token", "line": 5, "column": 16, "end_line": 5,
                                           "end_column": 16 + len(TOKEN)}


def test_no_value_or_output_repeats_a_secret():
    document = parse_document(TEXT, path="leak.md")
    output = json.dumps(to_json(document), default=str)
    for secret in ("Hunter2hunter", KEY, TOKEN, "MIIEowIBAAKCAQEA"):
        assert secret not in output
        assert secret not in repr(document.data)
    assert document.data["issue"].startswith("deploy logs show password=█")


def test_prose_is_not_a_secret():
    document = parse_document("# INC-1: x\n\nThe token: expired, and the password: none.\n", path="p.md")
    assert document.secrets == []
