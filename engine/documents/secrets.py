"""The credential scanner: finds secrets pasted into documents, so SEC001 is an ordinary rule.

It reports each secret's kind and range only. Extraction reads a masked copy of the text (every
character of a secret replaced, offsets unchanged), so no value in `data`, and so no output of
the product, can repeat a detected secret.
"""

from __future__ import annotations

import re

from .model import LineIndex, Secret

MASK = "█"

# (kind, pattern, cheap triggers: the pattern runs only when one occurs in the text)
_PATTERNS = (
    ("private_key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*"
                               r"PRIVATE KEY-----|[\s\S]*\Z)"), ("PRIVATE KEY",), False),
    ("aws_access_key_id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), ("AKIA", "ASIA"), False),
    ("github_token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{20,})"),
     ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), False),
    ("slack_token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), ("xox",), False),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), ("eyJ",), False),
    ("password_assignment", re.compile(
        r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+_)*(?:password|passwd|pwd|secret|token|api[ _-]?key)(?![A-Za-z0-9])"
        r"[\"']?[ \t]*[:=][ \t]*[\"']?(?P<value>[^\s\"'`,;]{4,})",
        re.I), ("password", "passwd", "pwd", "secret", "token", "api"), True),
)
_NOT_SECRET = re.compile(r"[\[<{$*█]|^(?:none|null|n/a|redacted|hidden|x+)$", re.I)


def scan(text: str, index: LineIndex) -> list:
    """Every secret in the text, in order: `Secret(kind, span)`."""
    found = []
    lowered = None
    for kind, pattern, triggers, fold in _PATTERNS:
        if fold:
            lowered = lowered if lowered is not None else text.lower()
            haystack = lowered
        else:
            haystack = text
        if not any(trigger in haystack for trigger in triggers):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "password_assignment":
                value = match.group("value").rstrip(".)")
                start = match.start("value")
                end = start + len(value)
                if _NOT_SECRET.search(value) or (value.isalpha() and len(value) < 12):
                    continue
                if any(s.span.start < end and start < s.span.end for s in found):
                    continue  # already found as a more specific kind
            found.append(Secret(kind, index.span(start, end)))
    found.sort(key=lambda secret: (secret.span.start, secret.span.end))
    return found


def mask(text: str, secrets: list) -> str:
    """The text with every secret's characters (not its newlines) replaced by `█`."""
    if not secrets:
        return text
    parts = []
    position = 0
    for secret in secrets:
        start, end = secret.span.start, secret.span.end
        if start < position:
            start = position
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\n]", MASK, text[start:end]))
        position = max(position, end)
    parts.append(text[position:])
    return "".join(parts)
