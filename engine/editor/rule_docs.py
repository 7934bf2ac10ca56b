"""A rule's documentation as Markdown, for hover on a finding, a rule id or a policy's rule.

The docs live with the rule in its policy YAML (summary, rationale, workflow section, examples;
rendered by `policy/rule_reference.py`, as `docs/rules.md` and `policy rules ID` are); engine
findings (DOC, SCHEMA, EVAL, WVR) are documented in `engine_rules.py`. Explanations come from
`explain_rule`, which reads the document's data: secrets are masked out of data at extraction,
so nothing shown here can repeat one.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Optional

from ..policy.engine_rules import ENGINE_RULES
from ..policy.environment import context_without_pull_request
from ..policy.explanation import explain_rule
from ..policy.help_links import rule_help_url
from ..policy.rule_reference import as_hover, reference
from .model import Location


def rule_location(policy, rule) -> Location:
    """The rule's `id` in its policy file (an absolute path)."""
    return Location(os.path.abspath(policy.path), rule.span)


def rule_markdown(policy, rule, configured: Optional[str] = None) -> str:
    """The rule's reference (why, workflow, examples, options, a link to its page) for hover;
    `configured`: its level in the configuration's `rules:`, if it sets one."""
    pack = f" ({policy.pack})" if policy.pack else ""
    severity = severity_in_force(rule.severity.value, configured, "the pack" if policy.pack else "the policy")
    return as_hover(reference(policy, rule, severity), f"`{policy.path}:{rule.span.line}`{pack}")


def engine_rule_markdown(rule_id: str, configured: Optional[str] = None) -> Optional[str]:
    if rule_id not in ENGINE_RULES:
        return None
    severity, summary, advice = ENGINE_RULES[rule_id]
    return (f"**{rule_id}** · {severity_in_force(severity.value, configured, 'the engine')} · engine check\n\n"
            f"{summary}\n\n{advice}\n\n[Documentation]({rule_help_url(rule_id)})")


def severity_in_force(default: str, configured: Optional[str], owner: str) -> str:
    """The severity a hover names: the one in force, as `policy rules ID` says it. A level the
    configuration sets (`rules: {PR012: off}`) says so, with the `owner`'s default beside it."""
    if configured is None or configured == default:
        return default
    return f"{configured} in .policy.yaml ({owner}: {default})"


def explanation_markdown(policy, rule, document, documents=(), data: Optional[dict] = None,
                         now: Optional[datetime] = None) -> str:
    """Why the rule fails here: the values it read and the steps that decided (a text block)."""
    from ..policy.evaluate import docs_binding

    docs = docs_binding([document] + [d for d in documents if d is not document and d.path != document.path])
    ctx = context_without_pull_request(now or datetime.now(timezone.utc))
    bindings = {"doc": document.data, "docs": docs, "ctx": ctx, "data": data or {}}
    text = explain_rule(policy, rule, document, bindings)
    body = "\n".join(text.split("\n")[4:]).strip("\n")  # the header repeats the rule's docs
    return "```text\n" + body.replace("```", "'''") + "\n```"
