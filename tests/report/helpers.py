"""Terse helpers for the report tests: findings located by the text they point at."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.report import Report, RuleInfo
from hotfix_policy.engine.span import Span

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SARIF_SCHEMA = SHARED / "external" / "sarif-schema-2.1.0.json"

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def at(source: str, needle: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of needle in source."""
    start = -1
    for _ in range(nth + 1):
        start = source.index(needle, start + 1)
    return Span.from_offsets(source, start, start + len(needle))


def finding(rule: str, severity: Severity, message: str, path: str = "doc.md",
            span: Span | None = None, **kw) -> Finding:
    return Finding(rule, severity, message, path, span, **kw)


def report(findings, documents: int = 1, sources=None, rules=None) -> Report:
    return Report(list(findings), documents, dict(sources or {}), dict(rules or {}), "1.2.3")


def info(rule: str, severity: Severity = E, summary: str = "", **kw) -> RuleInfo:
    return RuleInfo(rule, severity, summary or f"{rule} summary", **kw)


@cache
def sarif_validator():
    """A Draft 4 validator for the official SARIF schema, or None when ../shared is absent."""
    if not SARIF_SCHEMA.is_file():
        return None
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def sarif_errors(document: dict) -> list[str]:
    validator = sarif_validator()
    assert validator is not None
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]
