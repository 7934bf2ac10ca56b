"""Code lenses on a policy's rules: how many workspace documents each rule passes and fails,
with the documents as the command's arguments (the editor lists them).

The policy is compiled from the editor's text (unsaved edits count) and evaluated over the
workspace's documents with the engine's `Evaluator`; its `observe` hook reports each rule's
outcome, and which document it was about is the subject the evaluator is working on.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Optional

from ..policy.environment import context_without_pull_request
from ..policy.evaluate import Evaluator
from ..policy.loader import compile_policy
from ..policy.model import PolicySet
from .model import Lens, RuleCounts
from .yaml_position import load

LIST_DOCUMENTS = "hotfix-policy.listRuleDocuments"


class _CountingEvaluator(Evaluator):
    """An evaluator that knows which document each observed outcome belongs to."""

    def __init__(self, policies: PolicySet, counts: dict):
        super().__init__(policies, observe=self._observed)
        self.counts = counts
        self._current = "workspace"

    def _run_policy(self, policy, subject, bindings, owners=None):
        self._current = subject.document.path if subject is not None else "workspace"
        return super()._run_policy(policy, subject, bindings, owners)

    def _observed(self, rule_id: str, outcome: str) -> None:
        counts = self.counts.setdefault(rule_id, RuleCounts())
        {"passed": counts.passed, "failed": counts.failed}.get(outcome, counts.errors).append(self._current)


def rule_counts(policies: PolicySet, documents: Iterable, now: Optional[datetime] = None,
                ctx: Optional[dict] = None) -> dict:
    """rule id -> RuleCounts over the documents (a rule not applicable to a document is in neither)."""
    counts: dict = {}
    moment = now or datetime.now(timezone.utc)
    context = dict(ctx) if ctx else context_without_pull_request(moment)
    context.setdefault("now", moment)
    _CountingEvaluator(policies, counts).run(list(documents), context)
    return counts


def policy_lenses(text: str, path: str, documents: Iterable, data: dict,
                  now: Optional[datetime] = None) -> list:
    """One lens per rule of the policy file: `passes N · fails M` (nothing when it does not compile)."""
    loaded = load(text, path)
    if loaded is None:
        return []
    errors: list = []
    policy = compile_policy(loaded, data, errors)
    if policy is None:
        return []
    documents = list(documents)
    counts = rule_counts(PolicySet((policy,), data), documents, now)
    lenses = []
    for rule in policy.rules:
        found = counts.get(rule.id, RuleCounts())
        failed = sorted(set(found.failed))
        passed = sorted(set(found.passed) - set(failed))
        title = f"passes {len(passed)} · fails {len(failed)}"
        if found.errors:
            title += f" · errors {len(set(found.errors))}"
        lenses.append(Lens(rule.span, title, LIST_DOCUMENTS, (rule.id, passed, failed, sorted(set(found.errors)))))
    return lenses
