"""Time in the editor: when an open incident's next status update is due (the code lens on its
last status message), which documents' findings move as the clock does, and when to look again.

The due time is the last status message with a time plus `data.update_interval_minutes`: the
threshold the cadence rule itself reads (INC006 in the built-in pack: while the incident is not
RESOLVED or CLOSED, the gap from its last timed message, in document order, to `ctx.now` is at
most that long). The rules enforcing it are found by what they read, not by their id: no rule
reading `data.update_interval_minutes` applies to the document (a pack without one, the rule
turned off) and there is no lens. `tests/editor/test_clock.py` holds the lens to the rule: at
every minute around the due time, "overdue" and the rule's finding come and go together.

Document times are whole minutes and the rules compare with `<=`, `<` and `>`, so what a rule
reading `ctx.now` says changes just after a minute begins: `next_look` is one second past the
next whole minute. Checks run that often only while such a document is open (the server's
timer, `lsp/clock.py`) and never when the clock is pinned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from ..cel.ast import Ident, Select, walk
from ..kinds import WORKSPACE
from ..policy.rule_reads import reads_field
from ..span import Span

INTERVAL = "update_interval_minutes"   # the pack data the cadence rule reads
_ENDED = ("RESOLVED", "CLOSED")        # statuses after which no update is due (the rule's `resolved`)


@dataclass(frozen=True)
class UpdateDue:
    """The next status update of an open incident: due at `due`, seen at `now`."""

    span: Span               # the last timed status message's heading (where the lens sits)
    last: datetime
    due: datetime
    now: datetime
    pinned: bool             # `now` is the configuration's `clock:`, frozen
    rule: tuple              # (rule id, policy path, rule span) of a rule enforcing the interval

    @property
    def overdue(self) -> bool:
        return self.now > self.due

    @property
    def title(self) -> str:
        if self.overdue:
            late = math.floor((self.now - self.due).total_seconds() / 60)
            ago = f", {_minutes(late)} ago" if late else ""
            text = f"status update overdue since {_clock_time(self.due, self.now)}{ago} ({self.rule[0]})"
        else:
            left = math.ceil((self.due - self.now).total_seconds() / 60)
            text = f"next update due {_clock_time(self.due, self.now)}, in {_minutes(left)}"
        if self.pinned:
            text = f"clock pinned at {self.now:%Y-%m-%d %H:%M} UTC · {text}"
        return text


def update_due(document, policies, data: dict, now: datetime, pinned: bool = False,
               levels: Optional[dict] = None) -> Optional[UpdateDue]:
    """The next update of an incident record still open, or None (not an incident, resolved or
    closed, no timed status message, or no rule enforcing the interval applies; `levels` is the
    configuration's `rules:`, where `off` turns one off)."""
    interval = (data or {}).get(INTERVAL)
    if document is None or document.kind is None or not isinstance(interval, int) or isinstance(interval, bool):
        return None
    rule = _cadence_rule(policies, document.kind, levels or {})
    current = document.data.get("current_status")
    if rule is None or (isinstance(current, str) and current.upper() in _ENDED):
        return None
    timed = [(index, message) for index, message in enumerate(document.data.get("messages") or ())
             if isinstance(message, dict) and isinstance(message.get("time"), datetime)]
    if not timed:
        return None
    index, last = timed[-1]
    span = document.spans.get(("messages", index, "type")) or document.spans.get(("messages", index)) \
        or document.title
    return UpdateDue(span, last["time"], last["time"] + timedelta(minutes=interval), now, pinned, rule)


def clock_kinds(policies) -> frozenset:
    """The document kinds whose findings can change as time passes: a rule of a policy applying
    to them reads `ctx.now` (a workspace policy's findings may be about a document of any kind:
    WORKSPACE is in the set then)."""
    return frozenset(policy.applies_to for policy in policies.policies
                     if any(reads_field(policy, rule, "ctx", "now") for rule in policy.rules))


def next_look(now: datetime) -> datetime:
    """When findings that read the clock may next differ from those at `now`: one second past the
    next whole minute."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=1)


def _cadence_rule(policies, kind: str, levels: dict) -> Optional[tuple]:
    for policy in policies.policies:
        if policy.applies_to not in (kind, WORKSPACE):
            continue
        for rule in policy.rules:
            if levels.get(rule.id) != "off" and rule.expression is not None and \
                    _selects(rule.expression, "data", INTERVAL):
                return (rule.id, policy.path, rule.span)
    return None


def _selects(expression, operand: str, field: str) -> bool:
    return any(isinstance(node, Select) and node.field == field and isinstance(node.operand, Ident)
               and node.operand.name == operand for node in walk(expression.program.ast))


def _clock_time(moment: datetime, now: datetime) -> str:
    """`14:42 UTC`, with the date when it is not `now`'s day."""
    return f"{moment:%H:%M} UTC" if moment.date() == now.date() else f"{moment:%Y-%m-%d %H:%M} UTC"


def _minutes(count: int) -> str:
    return f"{count} min" if count < 120 else f"{count // 60}h {count % 60}m"
