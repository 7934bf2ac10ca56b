"""Running policies over documents: every failing rule of every document becomes a finding.

Per document, a policy's `match` decides whether it applies and its `variables` are evaluated
once; then every rule runs (all of them: a policy run reports every failure, not the first).
Workspace policies run once per run. A rule that cannot be evaluated is EVAL001 at the rule
and the document, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from ..cel import DEFAULT_COST_BUDGET, MEMO_KEY, CelError, RunMemo, assuming_present
from ..cel.clock import note_lead, watching
from ..documents.secrets import mask_text
from ..findings import Finding, Severity
from ..kinds import ANY, WORKSPACE
from ..span import Span
from .docs_index import DocsIndex
from .environment import context_without_pull_request
from .locate import document_path, identity_index, path_holding, selection_paths
from .model import Policy, PolicySet, Rule, describe
from .template_text import at_placeholder, placeholder_fields, unfilled_block_finding
from .verdicts import Verdict, Verdicts


@dataclass
class Subject:
    """A document as rules see it, with lazily built look-ups for locating findings."""

    document: Any  # engine.documents.Document
    _identities: Optional[dict] = None
    _placeholder_fields: Optional[frozenset] = None
    needed: Optional[dict] = None  # unfilled block index -> ids of the rules that failed for want of it

    def placeholder_fields(self) -> frozenset:
        if self._placeholder_fields is None:
            self._placeholder_fields = placeholder_fields(self.document)
        return self._placeholder_fields

    def identities(self) -> dict:
        if self._identities is None:
            self._identities = identity_index(self.document.data)
        return self._identities

    def span_of(self, path: tuple) -> Optional[Span]:
        return self.document.span_of(path)


def docs_binding(documents: list) -> dict:
    """What rules see as `docs`: every kind's documents (an empty list when none), and
    `docs.by_incident` (`docs_index.py`)."""
    return DocsIndex.of(documents).binding


RUN_CONSTANTS = ("docs", "ctx", "data")
"""The bindings that stay the same for a whole run: a `groupBy` that reads nothing else is
computed once per run, not once per document (`engine/cel/grouping.py`)."""


def _prepare_run_wide(policy: Policy) -> None:
    """A workspace policy's match, variables and forEach run once, each over the whole run: their
    fast paths are built before that one evaluation (engine/cel `Program.prepare`)."""
    for expression in (policy.match, *(v.expression for v in policy.variables), *(r.for_each for r in policy.rules)):
        if expression is not None:
            expression.program.prepare()


def _about_written_text(document, span: Optional[Span]) -> bool:
    """Whether a finding's span lies in text the author wrote: not the title nor the whole
    document (where a rule points for something missing), nor inside an unfilled block."""
    if span is None or span == document.title:
        return False
    return not any(block.start <= span.start and span.end <= block.end for _, block in document.unfilled)


class Evaluator:
    """Evaluates a policy set; one per run (it remembers each rule's static locations)."""

    workspace_runs = 0
    """Runs of the workspace policies in this process: a test tells an editor that runs them
    once per index generation from one that runs them per edit by this count."""

    def __init__(self, policies: PolicySet, disabled: frozenset = frozenset(), observe=None):
        self.policies = policies
        self.disabled = disabled
        self._observed = observe is not None
        self._judged: Optional[set] = None  # ids of the documents a run with `only` judges
        self._outside: dict = {}  # id(document) -> its ctx, for documents not judged with the run's ctx
        self.observe = observe or (lambda rule_id, outcome: None)  # outcome: passed | failed | error
        self._selections: dict = {}  # id of an expression's tree -> its `doc`/`item` selections (`_selections_of`)
        self.valid_until = None
        """After `run`: the findings hold at `ctx.now` and at every later time before this one (None:
        at every later time); `ctx.now` itself when they may change at any moment. The rules
        see `ctx.now` as a time that notes what is asked of it (`engine/cel/clock.py`)."""
        self.verdicts: Optional[Verdicts] = None
        """After `run`: its findings per document judged, each with until when it holds (verdicts.py)."""

    def run(self, documents: list, ctx: dict, progress=None, workers: int = 1, only: Optional[list] = None,
            outside_ctx: list = (), docs: Optional[dict] = None, workspace: bool = True,
            earlier: Optional[Verdicts] = None) -> list:
        """Findings of every policy on every document (or on `only`), plus the workspace policies once.
        The documents in `outside_ctx` (stored PR bodies of other PRs) are judged without the
        run's pull request in `ctx` (pull_request_scope.py). `docs`: the binding of `documents`
        when the caller keeps one (the editor's index), else built here. Without `workspace`
        the workspace policies are left to `workspace_findings` (the editor runs them once per
        index, not once per keystroke). `earlier`: the verdicts of a run of the very same inputs
        (the run cache's): a document whose verdict still holds is not judged again.

        With `workers` > 1, a large run evaluates its documents in forked processes, which
        inherit the documents and compiled policies from this one (nothing is pickled but the
        verdicts coming back); outcomes are then not observed, so coverage runs stay serial.
        """
        with watching(ctx["now"]) as watch:
            self.verdicts = self._run(documents, {**ctx, "now": watch.clock}, progress, workers, only, outside_ctx,
                                      docs, workspace, earlier)
        self.valid_until = watch.until
        return [finding for verdict in self.verdicts.documents for finding in verdict.findings] + \
            list(self.verdicts.workspace.findings if self.verdicts.workspace is not None else ())

    def _run(self, documents: list, ctx: dict, progress, workers: int, only: Optional[list], outside_ctx: list,
             docs: Optional[dict], workspace: bool, earlier: Optional[Verdicts]) -> Verdicts:
        now = ctx["now"].plain
        base = self._base(documents if docs is None else None, ctx, docs)
        self._judged = None if only is None else {id(d) for d in only}
        if outside_ctx:
            other_ctx = context_without_pull_request(ctx["now"])
            self._outside = {id(d): other_ctx for d in outside_ctx}
        # `only`: the documents to judge (an editor's open document); `docs` still sees them all.
        subjects = [Subject(d) for d in (documents if only is None else only) if d.kind and d.read]
        kept = _still_holding(earlier, subjects, now)
        fresh = [subject for index, subject in enumerate(subjects) if index not in kept]
        if progress is not None:
            progress.start("checking", len(subjects))
            progress.advance(len(kept))

        def run_wide() -> Optional[Verdict]:
            if not (workspace and any(p.applies_to == WORKSPACE for p in self.policies.policies)):
                return None
            if earlier is not None and earlier.workspace is not None and earlier.workspace.holds_at(now):
                return earlier.workspace
            owners = {id(s.document.data): s for s in subjects}
            if only is not None:
                owners.update({id(d.data): Subject(d) for d in documents
                               if d.kind and d.read and id(d.data) not in owners})
            with watching(now) as watch:
                findings = self._workspace_policies(base, owners, len(documents))
            return Verdict(WORKSPACE, tuple(findings), now, watch.until)

        if workers > 1 and len(fresh) >= PARALLEL_MIN_DOCUMENTS and self._observed is False and _can_fork():
            judged, wide = self._run_forked(fresh, base, workers, progress, meanwhile=run_wide)
        else:
            judged = []
            for subject in fresh:
                if progress is not None:
                    progress.advance()
                judged.append(self.verdict_on(subject, base, now))
            wide = run_wide()
        fresh_verdicts = iter(judged)
        verdicts = Verdicts(tuple(kept[index] if index in kept else next(fresh_verdicts)
                                  for index in range(len(subjects))), wide)
        for verdict in (*verdicts.documents, *([wide] if wide is not None else [])):
            if verdict.valid_until is not None:
                note_lead(verdict.valid_until - now)
        return verdicts

    def workspace_findings(self, documents: list, ctx: dict, docs: Optional[dict] = None) -> list:
        """The findings of the workspace policies alone over `documents` (`docs` their binding,
        if the caller keeps one), about any of them; `valid_until` as after `run`."""
        with watching(ctx["now"]) as watch:
            base = self._base(documents if docs is None else None, {**ctx, "now": watch.clock}, docs)
            self._judged = None
            owners = {id(d.data): Subject(d) for d in documents if d.kind and d.read}
            findings = self._workspace_policies(base, owners, len(documents))
        self.valid_until = watch.until
        return findings

    def _base(self, documents: Optional[list], ctx: dict, docs: Optional[dict]) -> dict:
        """The bindings every rule of a run sees, and the run's memo (`engine/cel/grouping.py`)."""
        return {"docs": docs_binding(documents) if docs is None else docs, "ctx": ctx,
                "data": self.policies.data, MEMO_KEY: RunMemo(RUN_CONSTANTS)}

    def _workspace_policies(self, base: dict, owners: dict, size: int) -> list:
        Evaluator.workspace_runs += 1
        findings = []
        # A workspace rule looks at the whole run: its budget grows with the run.
        budget = DEFAULT_COST_BUDGET * max(1, size)
        for policy in self.policies.policies:
            if policy.applies_to == WORKSPACE:
                _prepare_run_wide(policy)
                findings += self._run_policy(policy, None, dict(base), owners, budget)
        return findings

    def verdict_on(self, subject: Subject, base: dict, now) -> Verdict:
        """The findings of every policy on one document, and until when they hold."""
        with watching(now) as watch:
            findings = self.subject_findings(subject, base)
        return Verdict(subject.document.path, tuple(findings), now, watch.until)

    def subject_findings(self, subject: Subject, base: dict) -> list:
        """The findings of every policy that applies to one document."""
        findings = []
        for policy in self.policies.policies:
            if policy.applies_to == subject.document.kind or policy.applies_to == ANY:
                bindings = {**base, "doc": subject.document.data}
                if id(subject.document) in self._outside:
                    bindings["ctx"] = self._outside[id(subject.document)]
                findings += self._run_policy(policy, subject, bindings)
        return findings + [unfilled_block_finding(subject.document, index, rules)
                           for index, rules in sorted((subject.needed or {}).items())]

    def _run_forked(self, subjects: list, base: dict, workers: int, progress, meanwhile) -> tuple:
        """(the subjects' verdicts, what `meanwhile` returns): this process, idle while the
        workers judge the documents, runs `meanwhile` (the workspace policies) in that time."""
        import multiprocessing

        from ..worker_processes import end_with_parent

        global _FORKED
        _FORKED = (self, subjects, base)
        try:
            size = max(50, len(subjects) // (workers * 8))
            bounds = [(start, min(start + size, len(subjects))) for start in range(0, len(subjects), size)]
            verdicts: list = []
            with multiprocessing.get_context("fork").Pool(workers, initializer=end_with_parent) as pool:
                chunks = pool.imap(_evaluate_range, bounds)
                during = meanwhile()
                for (start, end), chunk in zip(bounds, chunks):
                    verdicts += chunk
                    if progress is not None:
                        progress.advance(end - start)
            return verdicts, during
        finally:
            _FORKED = None

    def _run_policy(self, policy: Policy, subject: Optional[Subject], bindings: dict,
                    owners: Optional[dict] = None, budget: Optional[int] = None) -> list:
        rules = [r for r in policy.rules if r.id not in self.disabled]
        if not rules:
            return []
        try:
            if policy.match is not None and policy.match.program.evaluate(bindings, cost_budget=budget) is not True:
                return []
            variables: dict = {}
            bindings["variables"] = variables
            for variable in policy.variables:
                variables[variable.name] = variable.expression.program.evaluate(bindings, cost_budget=budget)
        except CelError as error:
            return [self._eval_error(policy, rules[0], subject, error, "its match or variables")]
        findings = []
        for rule in rules:
            findings += self._run_rule(policy, rule, subject, bindings, owners, budget)
        return findings

    def _run_rule(self, policy: Policy, rule: Rule, subject: Optional[Subject], bindings: dict,
                  owners: Optional[dict], budget: Optional[int] = None) -> list:
        try:
            if rule.for_each is None:
                items = [(None, False)]
            else:
                collection = rule.for_each.program.evaluate(bindings, cost_budget=budget)
                if not isinstance(collection, (list, tuple, dict)):  # a value of another type than its schema's
                    raise _NotAList(collection)
                items = [(item, True) for item in (list(collection) if isinstance(collection, dict) else collection)]
            findings = []
            for item, bound in items:
                scope = {**bindings, "item": item} if bound else bindings
                passed = rule.expression.program.evaluate(scope, cost_budget=budget)
                if passed is True:
                    continue
                if passed is not False:
                    raise _NotABool(passed)
                finding = self._finding(policy, rule, subject, scope, owners, item if bound else None)
                if finding is not None and subject is not None and subject.document.placeholders:
                    finding = self._beyond_template_text(policy, rule, subject, scope, finding, budget)
                if finding is not None and subject is not None and subject.document.filled_views:
                    finding = self._beyond_unfilled(policy, rule, subject, scope, finding, budget)
                if finding is not None:
                    findings.append(finding)
            self.observe(rule.id, "failed" if findings else "passed")
            return findings
        except CelError as error:
            self.observe(rule.id, "error")
            return [self._eval_error(policy, rule, subject, error)]
        except _NotABool as error:
            self.observe(rule.id, "error")
            return [self._eval_error(policy, rule, subject, None, detail=f"the expression gave {describe(error.value)}, "
                                                                       "not true or false")]
        except _NotAList as error:
            self.observe(rule.id, "error")
            return [self._eval_error(policy, rule, subject, None, detail=f"forEach gave {describe(error.value)}, "
                                                                       "not a list or a map")]

    def _finding(self, policy: Policy, rule: Rule, subject: Optional[Subject], scope: dict,
                 owners: Optional[dict], item) -> Optional[Finding]:
        where = subject
        span = None
        if rule.target is not None:
            target = rule.target.program.evaluate(scope)
            where, span = self._locate_value(target, subject, owners, rule.target.program.ast, item)
        elif subject is not None:
            span = self._static_span(rule, subject, item)
        if self._judged is not None and (where is None or id(where.document) not in self._judged):
            return None  # about a document this run does not judge (an editor's other files)
        message = rule.message or rule.summary
        if rule.message_expression is not None:
            try:
                message = str(rule.message_expression.program.evaluate(scope))
            except CelError:
                pass
        message = mask_text(message)  # the document's values are masked; the policy's words and data are not
        document = where.document if where is not None else None
        return Finding(rule=rule.id, severity=rule.severity, message=message,
                       path=document.path if document is not None else WORKSPACE,
                       span=span, policy=policy.name, kind=(document.kind or "") if document else WORKSPACE,
                       document=(document.id or document.path) if document is not None else WORKSPACE)

    def _beyond_template_text(self, policy: Policy, rule: Rule, subject: Subject, scope: dict, finding: Finding,
                              budget: Optional[int]) -> Optional[Finding]:
        """The finding, unless DOC002 already says it (`template_text.py`); with a message that
        counts placeholders as present when the rule still fails so. The policy's variables are
        asked again too: a rule that reads what a variable found missing must see the same."""
        if at_placeholder(subject.document, finding.span):
            return None
        assumed = subject.placeholder_fields()
        if not assumed:
            return finding
        try:
            with assuming_present(assumed):
                scope = self._with_variables(policy, scope, budget)
                if rule.expression.program.evaluate(scope, cost_budget=budget) is True:
                    return None
        except CelError:
            # Without the placeholders the rule failed; with them present it cannot decide, so
            # its verdict hangs on a placeholder's value ("Due: [Date]" before the review date?).
            # DOC002 at the placeholder is the one finding for that.
            return None
        if rule.message_expression is None:
            return finding
        try:
            with assuming_present(assumed):
                return replace(finding, message=mask_text(str(rule.message_expression.program.evaluate(scope))))
        except CelError:
            return finding

    def _beyond_unfilled(self, policy: Policy, rule: Rule, subject: Subject, scope: dict, finding: Finding,
                         budget: Optional[int]) -> Optional[Finding]:
        """The finding, unless the rule fails only for want of a block still the template's text
        (`template_text.py`): then that block's one DOC002 says it, as an error, and names the rule.
        A finding about what the author did write (the last update, 55 minutes ago) stands, even
        if a block filled in would silence it (a resolution the incident has not reached)."""
        if _about_written_text(subject.document, finding.span):
            return finding
        for index, view in enumerate(subject.document.filled_views):
            seen = {**scope, "doc": view.data}
            try:
                with assuming_present(placeholder_fields(view)):
                    asked = self._with_variables(policy, seen, budget, fresh=True)
                    passed = rule.expression.program.evaluate(asked, cost_budget=budget) is True
            except CelError:
                passed = True  # it reads a placeholder's value there: DOC002's to say
            if passed or self._points_into(rule, Subject(view), seen, subject.document.unfilled[index][1], budget):
                subject.needed = subject.needed or {}
                subject.needed.setdefault(index, []).append(rule.id)
                return None
        return finding

    def _points_into(self, rule: Rule, view: Subject, scope: dict, block: Span, budget: Optional[int]) -> bool:
        """Whether the rule's finding, read with the unfilled block as written, is about that block
        (a list whose only entries are placeholders is empty there)."""
        try:
            if rule.target is not None:
                _, span = self._locate_value(rule.target.program.evaluate(scope, cost_budget=budget), view, None,
                                             rule.target.program.ast, None)
            else:
                span = self._static_span(rule, view, None)
        except CelError:
            return False
        return span is not None and block.start <= span.start and span.end <= block.end

    @staticmethod
    def _with_variables(policy: Policy, scope: dict, budget: Optional[int], fresh: bool = False) -> dict:
        """`scope` with the policy's variables asked again (a rule reading what a variable found
        must see the same document the rule is asked about). A variable that reads a placeholder's
        value keeps what it found before, or with `fresh` (another document) what it finds there
        with the placeholders absent."""
        if not policy.variables:
            return scope
        variables = dict(scope.get("variables") or {})
        scope = {**scope, "variables": variables}
        for variable in policy.variables:
            try:
                variables[variable.name] = variable.expression.program.evaluate(scope, cost_budget=budget)
            except CelError:
                if fresh:
                    with assuming_present(frozenset()):
                        variables[variable.name] = variable.expression.program.evaluate(scope, cost_budget=budget)
        return scope

    def _static_span(self, rule: Rule, subject: Subject, item) -> Optional[Span]:
        found = next(iter(self._selections_of(rule.expression.program.ast)), None)
        if found is None:
            return self._item_span(subject, item) or subject.document.title
        variable, path = found
        if variable == "item":
            located = document_path(item, path, subject.identities())
            if located is None:
                return self._item_span(subject, item) or subject.document.title
            return subject.span_of(located)
        return subject.span_of(path)

    def _selections_of(self, ast) -> tuple:
        """The `doc...`/`item...` selections of an expression in source order, walked once a run:
        a rule with thousands of findings locates each by them."""
        found = self._selections.get(id(ast))
        if found is None:
            found = self._selections[id(ast)] = tuple(selection_paths(ast))
        return found

    def _item_span(self, subject: Subject, item) -> Optional[Span]:
        path = subject.identities().get(id(item)) if isinstance(item, (dict, list)) else None
        return subject.span_of(path) if path is not None else None

    def _locate_value(self, value, subject: Optional[Subject], owners: Optional[dict], ast, item):
        """(subject, span) for a target value: a document's data, a part of one, or a path."""
        if owners and id(value) in owners:
            owner = owners[id(value)]
            return owner, owner.document.title
        if subject is not None:
            path = subject.identities().get(id(value)) if isinstance(value, (dict, list)) else None
            if path is None:
                path = path_holding(value, self._selections_of(ast), subject.document.data, item,
                                    subject.identities())
            if path is None:
                found = next(iter(self._selections_of(ast)), None)
                if found is not None:
                    variable, rest = found
                    path = document_path(subject.document.data if variable == "doc" else item, rest,
                                         subject.identities())
            return subject, subject.span_of(path) if path is not None else subject.document.title
        return None, None

    def _eval_error(self, policy: Policy, rule: Rule, subject: Optional[Subject], error: Optional[CelError],
                    what: str = "", detail: str = "") -> Finding:
        reason = detail or (error.message if error is not None else "")
        place = f"{policy.path}:{rule.span.line}"
        about = f" ({what})" if what else ""
        document = subject.document if subject is not None else None
        span = document.title if document is not None else None
        return Finding(rule="EVAL001", severity=Severity.ERROR,
                       message=mask_text(f"rule {rule.id}{about} could not be evaluated: {reason} [{place}]"),
                       path=document.path if document is not None else policy.path, span=span if document else rule.span,
                       policy=policy.name, kind=(document.kind or "") if document else WORKSPACE,
                       document=(document.id or document.path) if document is not None else WORKSPACE)


PARALLEL_MIN_DOCUMENTS = 400
"""Below this, starting processes costs more than evaluating in this one."""

_FORKED = None  # (evaluator, subjects, base) inherited by forked workers


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _evaluate_range(bounds: tuple) -> list:
    """In a forked worker: the verdicts on a range of subjects."""
    evaluator, subjects, base = _FORKED
    start, end = bounds
    now = base["ctx"]["now"].plain
    return [evaluator.verdict_on(subject, base, now) for subject in subjects[start:end]]


def _still_holding(earlier: Optional[Verdicts], subjects: list, now) -> dict:
    """Index in `subjects` -> the earlier verdict on it that still holds at `now`; none when the
    earlier run judged other documents (it had the same inputs: a safeguard, not a case)."""
    if earlier is None or len(earlier.documents) != len(subjects) or \
            any(verdict.path != subject.document.path for verdict, subject in zip(earlier.documents, subjects)):
        return {}
    return {index: verdict for index, verdict in enumerate(earlier.documents) if verdict.holds_at(now)}


class _WrongType(Exception):
    """An expression's value of a type its place cannot take."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class _NotABool(_WrongType):
    """A rule's expression that gave neither true nor false."""


class _NotAList(_WrongType):
    """A `forEach` whose value cannot be iterated (a document value of another type than its
    schema says, which the type checker, reading `doc` as dynamic, lets through)."""
