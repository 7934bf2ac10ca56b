"""The credential scanner on text made to make a backtracking engine blow up: the work done
(characters handed to the regular expression engine) doubles when the text doubles."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.documents import secrets
from hotfix_policy.engine.documents.model import LineIndex


def _scan_work(text: str, monkeypatch) -> int:
    """Characters handed to the regular expression engine by one scan (RE2: linear in each)."""
    handed = []

    class Counting:
        def __init__(self, compiled):
            self.compiled = compiled

        def finditer(self, subject):
            handed.append(len(subject))
            return self.compiled.finditer(subject)

    import re2

    monkeypatch.setattr(secrets, "_COMPILED", {detector.kind: Counting(re2.compile(detector.pattern))
                                               for detector in secrets.DETECTORS})
    secrets.scan(text, LineIndex(text))
    return sum(handed)


HOSTILE = {
    "identifier parts before a keyword": lambda n: "token " + "a_" * n,
    "JWT-like dashes": lambda n: "eyJ-" * n,
    "colons after a URL scheme": lambda n: "https://" + "a:" * n,
    "bearer and spaces": lambda n: "Bearer " + " " * n,
    "unclosed private key": lambda n: "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * n,
}


@pytest.mark.parametrize("shape", HOSTILE)
def test_scanning_hostile_text_is_linear(shape, monkeypatch):
    small = _scan_work(HOSTILE[shape](20_000), monkeypatch)
    large = _scan_work(HOSTILE[shape](40_000), monkeypatch)
    assert 0 < small and large <= 2.1 * small
