"""WVR002 ("waiver of X matches no finding") in the editor, after a workspace check.

The editor judges the open documents only, so it cannot tell a waiver that matches nothing
from one that matches a finding in a file nobody opened. A workspace check judges every indexed
document: from its findings, the waivers judge as `policy check` of the workspace judges them
(`waivers.apply_waivers`). Facts that only git gives a run are not in the index: a waiver naming
a rule of a `repository` or `any` policy (which judge those facts too) is left to `policy check`.
"""

from __future__ import annotations

from datetime import datetime

from ..kinds import ANY, WORKSPACE, kind_named
from ..policy.inputs import document_authors
from ..policy.waivers import apply_waivers


def stale_waivers(checked: list, config, policies, now: datetime) -> list:
    """The WVR002 findings of the configuration's waivers over the `checked` documents
    (`workspace.CheckedDocument`s: every indexed one)."""
    if config.loaded is None or not config.waivers:
        return []
    rules = policies.rules()
    said = {config.loaded.span_of(("waivers", index)) for index, entry in enumerate(config.waivers)
            if _judged_from_files(entry, rules)}
    findings = [finding for each in checked for finding in each.findings]
    authors = document_authors([each.document for each in checked])
    return [finding for finding in apply_waivers(findings, config, now, authors)
            if finding.rule == "WVR002" and finding.span in said]


def _judged_from_files(entry, rules: dict) -> bool:
    """Whether every rule the waiver names judges documents the index holds (an engine check
    of a document included)."""
    named = entry.get("rules") if isinstance(entry, dict) else None
    for rule_id in named if isinstance(named, list) else ():
        found = rules.get(rule_id)
        if found is None:
            continue
        scope = found[0].applies_to
        if scope == ANY or (scope != WORKSPACE and not kind_named(scope).from_file):
            return False
    return True
