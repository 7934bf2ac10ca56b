"""The credential scanner: kind and place only, never the value, in data or in output; every
shape a well-kept scanner finds, with a near miss each; linear work on hostile text."""

from __future__ import annotations

import json

import pytest

from hotfix_policy.engine.documents import parse_document, secrets, to_json
from hotfix_policy.engine.documents.model import LineIndex

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
    assert document.data["secrets"][2] == {"kind": "github_token", "description": "GitHub token", "line": 5,
                                           "column": 16, "end_line": 5, "end_column": 16 + len(TOKEN)}


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


def _found(text: str) -> list:
    return [(s.kind, s.span.slice(text)) for s in secrets.scan(text, LineIndex(text))]


# Each shape: a line that carries it (the secret's text), and a near miss that must not be found.
# Values are assembled so that this file itself holds no credential-shaped string.
SHAPES = [
    ("github_token", "Impact: pushed with {s}", "ghp_" + "a" * 36, "ghp_" + "a" * 20),
    ("github_token", "token is MY_{s} in env", "gho_" + "Zb9" * 12, "gho-" + "Zb9" * 12),
    ("github_token", "Issue: 1{s}", "github_pat_" + "11ABC" * 5, "github_pat_short"),
    ("aws_access_key_id", "Issue: key_{s}", "AKIA" + "Q" * 16, "AKIA" + "Q" * 10),
    ("aws_access_key_id", "Issue: 9{s}", "ASIA" + "2" * 16, "asia" + "2" * 16),
    ("gitlab_token", "Issue: {s}", "glpat-" + "x1Y2z3" * 4, "glpat-" + "x1"),
    ("slack_token", "Issue: {s}", "xoxb-" + "1234567890-abcdef", "xoxb-" + "12"),
    ("slack_token", "Issue: app token {s}", "xapp-1-" + "A0B1C2D3E4F5", "xapp-" + "1"),
    ("slack_webhook", "Issue: posted to {s}", "https://hooks.slack.com/services/" + "T000/B000/" + "X" * 24,
     "https://hooks.slack.com/services/"),
    ("stripe_key", "Issue: {s}", "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", "sk_" + "live_" + "abc"),
    ("google_api_key", "Issue: {s}", "AIza" + "SyA-" + "b" * 31, "AIza" + "Sy"),
    ("npm_token", "Issue: {s}", "npm_" + "c" * 36, "npm_" + "install"),
    ("pypi_token", "Issue: {s}", "pypi-AgEIcHlwaS5vcmc" + "d" * 60, "pypi-" + "package"),
    ("jwt", "Issue: {s}", "eyJ" + "hbGciOiJI" + ".eyJ" + "zdWIiOiIx" + "." + "SflKxwRJSM", "eyJ" + "hbGciOiJI"),
    ("url_password", "Issue: DATABASE_URL=postgres://admin:{s}@db:5432/app", "S3cr3t!pw", "postgres://db:5432/app"),
    ("url_password", "Issue: curl https://deploy:{s}@ci.example.com", "pa$$w0rd", "https://ci.example.com/@team"),
    ("bearer_token", "Issue: Authorization: Bearer {s}", "abc123DEF456ghi789", "Authorization: Bearer <token>"),
    ("password_assignment", "Issue: aws_secret_access_key={s}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
     "aws_secret_access_key=${AWS_SECRET_ACCESS_KEY}"),
    ("password_assignment", "Issue: db password: {s}", "pa$$word{1}[2]*<3>", "db password: {{ secrets.DB }}"),
    ("password_assignment", "- **Password:** {s}", "hunter2hunter2", "- **Password:** [REDACTED]"),
    ("password_assignment", "Issue: client_secret = {s}", "q8Z*w1@x", "client_secret = ****"),
]


@pytest.mark.parametrize("kind, line, secret, near_miss", SHAPES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SHAPES)])
def test_each_shape_is_found_and_its_near_miss_is_not(kind, line, secret, near_miss):
    text = line.format(s=secret) + "\n"
    assert (kind, secret) in _found(text), _found(text)
    assert [k for k, _ in _found(near_miss + "\n")] == []


def test_a_pgp_private_key_block_is_one_secret_to_its_end():
    block = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF1x\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----"
    text = f"Progress: rotated\n{block}\nNext: done\n"
    assert _found(text) == [("private_key", block)]
    assert _found("-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQENBF\n") == []


def test_masking_keeps_every_offset_and_line():
    text = "Issue: token ghp_" + "a" * 36 + " leaked\nNext: rotate\n"
    found = secrets.scan(text, LineIndex(text))
    masked = secrets.mask(text, found)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert "ghp_" not in masked and masked.startswith("Issue: token ████")


def test_a_name_that_is_not_utf_8_is_masked_where_it_holds_a_secret():
    """A lone surrogate (a file name's undecodable byte) is scanned as U+FFFD, not a traceback."""
    name = "incidents/AKIAQZXRTYUIOPASDFGH\udcff.md"
    masked = secrets.mask_text(name)
    assert "AKIAQZXRTYUIOPASDFGH" not in masked and masked.endswith("\udcff.md") and len(masked) == len(name)
    assert secrets.names_hold_a_secret(["plain\udcff.md", name])
    assert not secrets.names_hold_a_secret(["plain\udcff.md"])


@pytest.mark.parametrize("line, secret", [
    ("Issue: db_pa\u017f\u017fword = {s}", "hunter2hunter2"),      # long s: RE2's (?i) reads it as s
    ("Issue: \u017fecret: {s}", "q8Z*w1@x-long"),
    ("Issue: acce\u017f\u017f_key={s}", "wJalrXUtnFEMI-K7MDENG"),
    ("Issue: posted to {s}", "https://hook\u017f.slack.com/services/" + "T000/B000/" + "X" * 24),
])
def test_a_name_spelled_with_letters_case_folding_joins_is_still_found(line, secret):
    # The pattern matches these (RE2 folds case the Unicode way); the words that wake a pattern
    # must be looked for the same way, or the secret goes through unmasked.
    text = line.format(s=secret) + "\n"
    assert secret in [value for _, value in _found(text)], _found(text)
    assert secret not in secrets.mask_text(text)


@pytest.mark.parametrize("name", ["password", "passwd", "pwd", "secret", "token", "api key", "api_key", "apikey",
                                  "access_key", "access-key", "private_key", "client_secret", "credentials"])
def test_every_name_the_assignment_pattern_knows_wakes_it(name):
    text = f"Issue: {name.upper()} = Zq8w1x7v9\n"
    assert _found(text) == [("password_assignment", "Zq8w1x7v9")]


def test_prose_about_keys_does_not_wake_the_assignment_pattern(monkeypatch):
    ran = []
    monkeypatch.setattr(secrets, "_COMPILED", _Watched(ran))
    text = "Notes: the cache key was stale; key customers were told: 14:05\n"
    assert _found(text) == [] and ran == []


class _Watched(dict):
    """The compiled patterns, noting each one asked for (a pattern that runs is asked first)."""

    def __init__(self, asked: list):
        super().__init__()
        self.asked = asked

    def get(self, key, default=None):
        self.asked.append(key)
        return super().get(key, default)
