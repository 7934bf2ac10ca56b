"""The values run cache entries hold, read back with every type checked: anything malformed is
TypeError, ValueError, KeyError or IndexError, which the reader takes as a miss (run_cache.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from ..findings import Finding, Severity
from ..limits import MAX_DOCUMENT_BYTES, MAX_JSON_BYTES, MAX_YAML_BYTES
from ..report.model import severity_of
from ..span import Span


def moment(value, absent: bool = False) -> Optional[datetime]:
    if value is None and absent:
        return None
    instant = datetime.fromisoformat(text(value))
    if instant.tzinfo is None:
        raise ValueError("a time without its zone")
    return instant


def finding_to(finding: Finding) -> list:
    span = finding.span  # as a list: orjson writes a named tuple only through a call back into Python
    return [finding.rule, severity_of(finding).value, finding.message, finding.path, None if span is None else [*span],
            finding.policy, finding.kind, finding.document, finding.waived]


def finding_from(item: list) -> Finding:
    """A finding `finding_to` wrote. A run past its entry's time reads every finding of every
    verdict: the checks are calls into C, not a Python loop per value."""
    rule, severity, message, path, span, policy, kind, document, waived = item
    if type(waived) is not bool or set(map(type, (rule, message, path, policy, kind, document))) != _TEXT:
        raise TypeError("a finding of the wrong shape")
    return Finding(rule, SEVERITIES[severity], message, path, None if span is None else span_of(span), policy, kind,
                   document, waived)


_TEXT = {str}


SEVERITIES = {severity.value: severity for severity in Severity}


_LARGEST_FILE = max(MAX_DOCUMENT_BYTES, MAX_YAML_BYTES, MAX_JSON_BYTES)
"""No span of a file the run read lies past this."""


def span_of(value) -> Optional[Span]:
    if value is None:
        return None
    if type(value) is not list or len(value) != 6 or set(map(type, value)) != _NUMBER or \
            min(value) < 0 or max(value) > _LARGEST_FILE:
        raise TypeError("not a span")
    return Span._make(value)


_NUMBER = {int}


def shaped(value, kind: type) -> None:
    if type(value) is not kind:
        raise TypeError(f"not a {kind.__name__}")


def text(value, absent: bool = False):
    if type(value) is str or (absent and value is None):
        return value
    raise TypeError("not a string")


def count(value) -> int:
    if type(value) is int and value >= 0:
        return value
    raise TypeError("not a count")
