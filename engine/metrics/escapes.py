"""Quality escapes: incidents caused by an earlier hotfix, exactly as the pack's WS002 finds them.

Rather than a second reading of "which incident names which hotfix", the built-in pack's
workspace policy is run through the engine's own `judge` and its WS002 findings are counted.
The team's severity overrides and waivers are left out of this run: a waived or silenced
WS002 is still a hotfix that caused an incident.
"""

from __future__ import annotations

from dataclasses import replace

from ..policy.check import judge
from ..policy.loader import load_policies
from ..resources import resource_dir

RULE = "WS002"


def workspace_policy_path():
    return resource_dir("policies") / "hotfix" / "workspace.yaml"


def quality_escapes(documents: list, ctx: dict, now, config) -> dict:
    """`{count, escapes: [{incident, path, message}]}` from the pack's WS002 findings."""
    path = workspace_policy_path()
    policies = load_policies([path], config.data, pack_of={path: "builtin:hotfix"})
    plain = replace(config, rules={}, waivers=[])
    findings = [f for f in judge(documents, ctx, now, plain, policies) if f.rule == RULE]
    escapes = [{"incident": f.document or f.path, "path": f.path, "message": f.message} for f in findings]
    escapes.sort(key=lambda e: (e["incident"], e["path"]))
    return {"rule": RULE, "count": len(escapes), "escapes": escapes}
