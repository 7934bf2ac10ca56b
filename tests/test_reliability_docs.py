"""The README's "Reliability and security" section says what the code does: every limit of
`engine/limits.py` with its value, and every kind of credential the scanner finds."""

from __future__ import annotations

import re

from hotfix_policy.engine import limits
from hotfix_policy.engine.documents.secrets import DETECTORS
from tests.conftest import REPO

SECTION = re.search(r"^## Reliability and security\n(.*?)^## ", (REPO / "README.md").read_text(encoding="utf-8"),
                    re.S | re.M).group(1)


def test_every_limit_is_listed_with_its_value():
    rows = {match.group(1): match.group(2) for match in re.finditer(r"^\| `([A-Z_]+)` \| ([^|]+) \|", SECTION, re.M)}
    constants = {name: value for name, value in vars(limits).items() if name.isupper()}
    assert set(rows) == set(constants)
    for name, value in constants.items():
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        assert rows[name].startswith(shown), (name, rows[name])


def test_every_credential_the_scanner_finds_is_named():
    words = {"private_key": "private keys", "aws_access_key_id": "cloud access key ids", "github_token": "GitHub",
             "gitlab_token": "GitLab", "slack_token": "Slack", "slack_webhook": "Slack webhook URLs",
             "stripe_key": "Stripe", "google_api_key": "Google API", "npm_token": "npm", "pypi_token": "PyPI",
             "jwt": "JSON Web Tokens", "url_password": "passwords in URLs", "bearer_token": "bearer tokens",
             "password_assignment": "`password = value`"}
    assert {detector.kind for detector in DETECTORS} == set(words)
    assert all(word in SECTION for word in words.values())
