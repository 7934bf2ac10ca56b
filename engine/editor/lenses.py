"""Code lenses on a policy's rules: how many workspace documents each rule passes and fails,
with the documents (relative to the workspace) as the command's arguments, for the editor to
offer the failing ones; and "run N examples", which runs the rule's `docs.examples` as the
Testing view does (`policy_tests`, the id of the rule's examples as the argument).

The policy is compiled from the editor's text (unsaved edits count) and evaluated over the
workspace's documents with the engine's `Evaluator`; its `observe` hook reports each rule's
outcome, and which document it was about is the subject the evaluator is working on.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from ..policy.config import Config
from ..policy.environment import context_without_pull_request
from ..policy.evaluate import Evaluator
from ..policy.inputs import document_authors
from ..policy.loader import compile_policy
from ..policy.model import PolicySet
from ..policy.waivers import apply_waivers
from .model import Lens, RuleCounts
from .policy_tests import rule_test_id, shown_path
from .yaml_position import load

LIST_DOCUMENTS = "hotfix-policy.listRuleDocuments"
RUN_EXAMPLES = "hotfix-policy.runRuleExamples"


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
                ctx: Optional[dict] = None, config: Optional[Config] = None) -> dict:
    """rule id -> RuleCounts over the documents (a rule not applicable to a document is in neither);
    with the `config` in force, a failure its waivers cover is also `waived`, as `policy check`
    reports it."""
    counts: dict = {}
    documents = list(documents)
    moment = now or datetime.now(timezone.utc)
    context = dict(ctx) if ctx else context_without_pull_request(moment)
    context.setdefault("now", moment)
    findings = _CountingEvaluator(policies, counts).run(documents, context)
    if config is not None and config.waivers:
        marked = [f for f in apply_waivers(findings, config, moment, document_authors(documents)) if f.rule in counts]
        still_failing = {(f.rule, f.path) for f in marked if not f.waived}
        for finding in marked:
            if finding.waived and (finding.rule, finding.path) not in still_failing:
                counts[finding.rule].waived.append(finding.path)
    return counts


def policy_lenses(text: str, path: str, documents: Iterable, data: dict,
                  now: Optional[datetime] = None, root: Optional[Path] = None, folders: list = (),
                  config: Optional[Config] = None) -> list:
    """Per rule of the policy file: `passes N · fails M` (`· waived K` for failures the
    `config`'s waivers cover, which are not counted as fails), and `run N examples` when it has
    some (nothing when it does not compile). Paths are shown relative to `root`; `folders` are
    the configuration's (folder, pack) for the examples' ids (`policy_tests`)."""
    loaded = load(text, path)
    if loaded is None:
        return []
    errors: list = []
    policy = compile_policy(loaded, data, errors)
    if policy is None:
        return []
    documents = list(documents)
    counts = rule_counts(PolicySet((policy,), data), documents, now, config=config)
    file_id = shown_path(path, root, list(folders))
    lenses = []
    for rule in policy.rules:
        found = counts.get(rule.id, RuleCounts())
        waived = {_shown(p, root) for p in found.waived}
        failing = {_shown(p, root) for p in found.failed}
        failed = sorted(failing - waived)
        passed = sorted({_shown(p, root) for p in found.passed} - failing)
        errors = sorted({_shown(p, root) for p in found.errors})
        title = f"passes {len(passed)} · fails {len(failed)}"
        if waived:
            title += f" · waived {len(waived)}"
        if errors:
            title += f" · errors {len(errors)}"
        lenses.append(Lens(rule.span, title, LIST_DOCUMENTS, (rule.id, passed, failed, errors)))
        examples = len(rule.docs.get("examples") or [])
        if examples:
            lenses.append(Lens(rule.span, f"run {examples} example{'s' if examples > 1 else ''}", RUN_EXAMPLES,
                               (rule_test_id(file_id, rule.id), rule.id)))
    return lenses


def _shown(path: str, root: Optional[Path]) -> str:
    """A document's path relative to the workspace (as `policy check` there prints it)."""
    if root is None or path == "workspace":
        return path
    absolute = Path(path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path
