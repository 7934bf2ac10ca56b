"""A finding: one rule's verdict on one place of one document.

Engine checks (DOC001-004, SCHEMA001, EVAL001, WVR001-003) and policy rules produce the same
type, so reporting, waivers and severity overrides treat them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .span import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found, where, and how it is to be reported."""

    rule: str
    severity: Severity
    message: str
    path: str
    span: Span | None = None
    policy: str = ""
    kind: str = ""
    document: str = ""
    waived: bool = False

    def __reduce__(self):
        """Pickled as its fields in order: a forked run sends thousands of findings back, and the
        dataclass's own state costs twice as long to write and three times as long to read."""
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)
