"""One fresh fake credential of every shape the scanner detects, made at run time (this folder
holds no credential-shaped string): `{kind: (line, secret)}`, the line carrying the secret the
way a person pastes it. Random characters, so no test passes on a value it was written for."""

from __future__ import annotations

import random
import string

from hotfix_policy.engine.documents.model import LineIndex
from hotfix_policy.engine.documents.secrets import DETECTORS, scan

_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits


def _run(chars: str, size: int) -> str:
    return "".join(random.choice(chars) for _ in range(size))


def fake_secrets() -> dict:
    """Every detector's kind -> (a line holding a secret of that kind, the secret)."""
    shapes = {
        "private_key": ("{s}", "-----BEGIN RSA PRIVATE KEY-----" + _run(_ALNUM, 40) + "-----END RSA PRIVATE KEY-----"),
        "aws_access_key_id": ("{s}", "AKIA" + _run(_UPPER, 16)),
        "github_token": ("{s}", "ghp_" + _run(_ALNUM, 36)),
        "gitlab_token": ("{s}", "glpat-" + _run(_ALNUM, 20)),
        "slack_token": ("{s}", "xoxb-" + _run(string.digits, 10) + "-" + _run(_ALNUM, 12)),
        "slack_webhook": ("{s}", "https://hooks.slack.com/services/T" + _run(_UPPER, 8) + "/B" + _run(_ALNUM, 20)),
        "stripe_key": ("{s}", "sk_" + "live_" + _run(_ALNUM, 24)),
        "google_api_key": ("{s}", "AIza" + _run(_ALNUM, 35)),
        "npm_token": ("{s}", "npm_" + _run(_ALNUM, 36)),
        "pypi_token": ("{s}", "pypi-AgEIcHlwaS5vcmc" + _run(_ALNUM, 50)),
        "jwt": ("{s}", "eyJ" + _run(_ALNUM, 12) + ".eyJ" + _run(_ALNUM, 12) + "." + _run(_ALNUM, 16)),
        "url_password": ("https://deploy:{s}@db.example.com", _run(_ALNUM, 14)),
        "bearer_token": ("Authorization: Bearer {s}", _run(_ALNUM, 20)),
        "password_assignment": ("db password = {s}", _run(_ALNUM, 16)),
    }
    assert set(shapes) == {detector.kind for detector in DETECTORS}, "a detector without a fake secret"
    made = {kind: (line.format(s=secret), secret) for kind, (line, secret) in shapes.items()}
    for kind, (line, secret) in made.items():
        found = [(s.kind, s.span.slice(line)) for s in scan(line, LineIndex(line))]
        assert (kind, secret) in found, (kind, found)
    return made


def pieces(secret: str) -> list:
    """The secret and its first and last 10 characters: a leak may quote part of it."""
    return [secret, secret[:10], secret[-10:]]


def leaked(output: str, secrets) -> list:
    """The secrets (or parts) that `output` repeats."""
    return [piece for secret in secrets for piece in pieces(secret) if piece in output]
