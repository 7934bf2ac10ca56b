"""The credential scanner: finds secrets pasted into documents, so SEC001 is an ordinary rule.

It reports each secret's kind and range only. Extraction reads a masked copy of the text (every
character of a secret replaced, offsets unchanged), so no value in `data`, and so no output of
the product, can repeat a detected secret.

Every pattern runs on RE2, so scanning is linear in the text whatever it holds (a hostile
document cannot make it backtrack), and a pattern runs only when one of its trigger words
occurs. The detectors are the shapes the well-kept scanners (gitleaks, detect-secrets) agree
on: provider tokens with a fixed prefix, private key blocks, JWTs, passwords in URLs, bearer
tokens and `name = value` assignments whose name says it is a secret. Specific detectors run
first; the generic ones skip what a specific one already found and values that are
placeholders (`${DB_PASSWORD}`, `<token>`, `[REDACTED]`, `****`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import re2

from ..diagnostics import encodable
from .model import LineIndex, Secret

MASK = "█"


@dataclass(frozen=True)
class Detector:
    """One shape of credential. The secret is the pattern's `secret` group, else the match."""

    kind: str
    description: str          # what a finding calls it ("GitHub token")
    pattern: str              # RE2 syntax
    triggers: tuple           # lower-case words; the pattern runs only when one occurs (`_woken`)
    generic: bool = False     # a shape that also matches prose: placeholder and word filters apply


_TOKEN_CHARS = "A-Za-z0-9"
DETECTORS = (
    Detector("private_key", "private key",
             r"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
             r"(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|\z)", ("private key",)),
    Detector("aws_access_key_id", "cloud access key id",
             r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}",
             ("a3t", "akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "aipa", "anpa", "anva")),
    Detector("github_token", "GitHub token",
             rf"gh[pousr]_[{_TOKEN_CHARS}]{{36,255}}|github_pat_[{_TOKEN_CHARS}_]{{22,255}}",
             ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Detector("gitlab_token", "GitLab token", r"glpat-[A-Za-z0-9_-]{20,255}", ("glpat-",)),
    Detector("slack_token", "Slack token",
             r"xox[abposre]-[A-Za-z0-9-]{10,255}|xapp-[0-9]-[A-Za-z0-9-]{10,255}", ("xox", "xapp-")),
    Detector("slack_webhook", "Slack webhook URL",
             r"(?i)https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_+-]{16,255}",
             ("hooks.slack.com",)),
    Detector("stripe_key", "Stripe key", rf"(?:sk|rk)_(?:live|test)_[{_TOKEN_CHARS}]{{16,255}}",
             ("sk_live_", "sk_test_", "rk_live_", "rk_test_")),
    Detector("google_api_key", "Google API key", r"AIza[0-9A-Za-z_-]{35}", ("aiza",)),
    Detector("npm_token", "npm token", rf"npm_[{_TOKEN_CHARS}]{{36}}", ("npm_",)),
    Detector("pypi_token", "PyPI token", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,255}", ("pypi-",)),
    Detector("jwt", "JSON Web Token",
             r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", ("eyj",)),
    Detector("url_password", "password in a URL",
             r"(?i)[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s/@]+)@", ("://",), generic=True),
    Detector("bearer_token", "bearer token",
             r"(?i)\bbearer[ \t]+(?P<secret>[A-Za-z0-9._~+/-]{8,}=*)", ("bearer",), generic=True),
    Detector("password_assignment", "password or secret value",
             r"(?i)(?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|secret|token|api[ _-]?key|access[_-]?key"
             r"|private[_-]?key|client[_-]?secret|credentials?)(?:[_.-][A-Za-z0-9]+)*[\"']?(?:\*\*)?[ \t]*[:=]"
             r"(?:\*\*)?[ \t]*[\"']?(?P<secret>[^\s\"'`,;]{4,})",
             # each name the pattern knows holds one of these words ("api key": not "key", which
             # incident prose is full of: "cache key", "key customers")
             ("password", "passwd", "pwd", "secret", "token", "api", "access", "private", "credential"),
             generic=True),
)
"""Specific detectors first: a generic one skips whatever a specific one found."""

_COMPILED: dict = {}
"""Each detector's pattern, compiled the first time a text holds one of its triggers: most texts
(and `policy eval`'s results) wake none, and a command's start does not pay for all of them."""


def _woken(triggers):
    """The search for any of `triggers` in any case: RE2's `(?i)`, which folds case as the patterns
    do (`paſſword` matches `(?i)password`; looked for in `lower()`'s text, it was missed)."""
    return re2.compile("(?i)" + "|".join(re.escape(trigger) for trigger in triggers))


_WOKEN_BY = {detector.kind: _woken(detector.triggers) for detector in DETECTORS}
_ANY_TRIGGER = _woken(trigger for detector in DETECTORS for trigger in detector.triggers)
"""Whether a text wakes any detector, in one search: most documents hold no trigger word and are
scanned no further (a tenth of the time looking for each detector's words took)."""
DESCRIPTIONS = {detector.kind: detector.description for detector in DETECTORS}

# A value that only stands for a secret: `${DB_PASSWORD}`, `$TOKEN`, `{{ secrets.X }}`, `<token>`,
# `[REDACTED]`, `%PASSWORD%`, `****`, `xxxx`, `...`, or a word that says it is not there.
_PLACEHOLDER = re2.compile(
    r"(?i)\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?|\{\{[^}]*\}\}|<[^<>]*>|\[[^\[\]]*\]|%[A-Za-z_][A-Za-z0-9_]*%"
    r"|\*+|" + MASK + r"+|x+|\.+|none|null|nil|n/a|redacted|hidden|masked|removed|changeme|example|placeholder")
_TRAILING_PUNCTUATION = ".)"


def scan(text: str, index: LineIndex) -> list:
    """Every secret in the text, in order: `Secret(kind, span)`."""
    if _ANY_TRIGGER.search(text) is None:
        return []
    found = []
    taken = _Taken(len(text))
    for detector in DETECTORS:
        if _WOKEN_BY[detector.kind].search(text) is None:
            continue
        compiled = _COMPILED.get(detector.kind)
        if compiled is None:
            compiled = _COMPILED[detector.kind] = re2.compile(detector.pattern)
        for match in compiled.finditer(text):
            start, end = _secret_range(match)
            if detector.generic and (_not_a_secret(text[start:end]) or taken.overlaps(start, end)):
                continue
            taken.add(start, end)
            found.append(Secret(detector.kind, index.span(start, end), detector.description))
    found.sort(key=lambda secret: (secret.span.start, secret.span.end))
    return found


def secrets_in_names(names, where) -> list:
    """A secret in a document's names (its file's path; a pull request's title, branches and
    labels) is SEC001 as much as one in its text: each one found in `names` ((what holds it, its
    text) pairs), placed at `where` (a name has no place in the text) and described with what
    holds it ("AWS access key ID in the file's name")."""
    found = []
    for holder, text in names:
        scanned = encodable(text)  # a file name that is not UTF-8: RE2 reads only UTF-8
        found += [Secret(secret.kind, where, f"{secret.description} in {holder}")
                  for secret in scan(scanned, LineIndex(scanned))]
    return found


def _secret_range(match) -> tuple:
    group = match.re.groupindex.get("secret")  # google-re2 takes group numbers only
    if group is None:
        return match.span()
    start, end = match.span(group)
    value = match.group(group).rstrip(_TRAILING_PUNCTUATION)
    return start, start + len(value)


def _not_a_secret(value: str) -> bool:
    """A placeholder, or a plain word such as "expired" in "the token: expired"."""
    return (not value or _PLACEHOLDER.fullmatch(value) is not None
            or (value.isalpha() and len(value) < 12))


class _Taken:
    """The characters already found to be secret, one byte each: whether a range overlaps them is
    a scan of that range, not of every secret found so far (which is quadratic in a document
    pasted full of credentials)."""

    __slots__ = ("size", "marks")

    def __init__(self, size: int):
        self.size = size
        self.marks = None   # made on the first secret: most documents have none

    def add(self, start: int, end: int) -> None:
        if self.marks is None:
            self.marks = bytearray(self.size)
        self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self.marks is not None and self.marks.find(1, start, end) != -1


def mask_text(text: str) -> str:
    """The text with every secret it holds masked. It is scanned with each lone surrogate (from a
    file name that is not UTF-8) read as U+FFFD, one character for one: RE2 reads only UTF-8."""
    if not text:
        return text
    scanned = encodable(text)
    if _ANY_TRIGGER.search(scanned) is None:
        return text
    return mask(text, scan(scanned, LineIndex(scanned)))


def names_hold_a_secret(names) -> bool:
    """Whether any of `names` (paths, ids, folders) holds a secret: the caches keep no entry
    that would write one down. Scanned as one text, a line each: a name that holds one is rare,
    and a secret across two lines would only keep an entry out."""
    joined = "\n".join(names)
    return mask_text(joined) != joined


def secret_values(text: str) -> tuple:
    """The secrets detected in `text` and their word-like pieces of 8 characters or more, longest
    first: what a message about that text may quote without the context that made it a secret
    (`Hunter2…` out of `password = Hunter2…`, a JWT's header read as a field name)."""
    found = set()
    for secret in scan(text, LineIndex(text)) if text else ():
        value = text[secret.span.start:secret.span.end]
        found.add(value)
        found.update(piece for piece in _PIECE_SEPARATORS.split(value) if len(piece) >= 8)
    return tuple(sorted(found, key=len, reverse=True))


_PIECE_SEPARATORS = re2.compile(r"[^A-Za-z0-9_]+")


def mask_message(message: str, quoted: tuple = ()) -> str:
    """A message with every secret it holds masked, and every value of `quoted` (`secret_values`
    of the text it is about) too, wherever it appears."""
    for value in quoted:
        if value in message:
            message = message.replace(value, _blanked(value))
    return mask_text(message)


def mask_strings(value):
    """A copy of JSON-like data (dicts, lists, strings, anything else as is) with every secret in
    every string masked: for values that reach messages without passing through a document's
    text, such as the head branch, labels, changed files and git facts. Iterative, so the depth
    of the data cannot exhaust the stack."""
    root: list = [value]
    pending = [(root, 0)]
    while pending:
        container, key = pending.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = mask_text(item)
        elif isinstance(item, dict):
            copy = dict(item)
            container[key] = copy
            pending.extend((copy, name) for name in copy)
        elif isinstance(item, (list, tuple)):
            copy = list(item)
            container[key] = copy
            pending.extend((copy, index) for index in range(len(copy)))
    return root[0]


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
        parts.append(_blanked(text[start:end]))
        position = max(position, end)
    parts.append(text[position:])
    return "".join(parts)


def _blanked(secret: str) -> str:
    """Each character of a secret replaced by `█`, its newlines kept (offsets and lines unchanged)."""
    return "".join("\n" if char == "\n" else MASK for char in secret)
