"""The rules a user can look up: every rule in force (the packs' and the team's policies, by id)
and the engine's own findings, each with its severity after the configuration's overrides, its
one-line summary and its reference page (`help_links`: none for a team's rule, whose reference is
its policy file). `policy rules` prints this list; the editor's "List rules" shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..policy.engine_rules import ENGINE_RULES
from ..policy.help_links import rule_help_url


@dataclass(frozen=True)
class RuleEntry:
    id: str
    severity: str          # after the configuration's `rules:` override
    summary: str
    policy: Optional[str]  # the policy's name; None for the engine's findings
    help_url: str          # the reference page's anchor, "" for a rule the reference does not document


def rule_entries(policies, overrides: dict) -> list:
    """The policies' rules sorted by id, then the engine's findings in their documented order."""
    rules = policies.rules()
    entries = []
    for rule_id in sorted(rules):
        policy, rule = rules[rule_id]
        entries.append(RuleEntry(rule_id, overrides.get(rule_id, rule.severity.value), rule.summary,
                                 policy.name, rule_help_url(rule_id, policy)))
    for rule_id, (severity, summary, _) in ENGINE_RULES.items():
        entries.append(RuleEntry(rule_id, overrides.get(rule_id, severity.value), summary, None,
                                 rule_help_url(rule_id)))
    return entries
