"""One `policy check` run as a library call, shared by the CLI and the language server.

Configuration, policies, documents and `ctx` in; findings out (document findings, rule
findings, EVAL001, waivers judged), with severity overrides applied.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..findings import Severity
from ..limits import MAX_FINDINGS_PER_RULE
from ..errors import closest_rule, did_you_mean, meant
from ..files import file_problem, shown_path
from ..resources import resource_dir
from .base_policies import base_commit, read_base
from .config import BUILTIN_PREFIX, Config, config_from_yaml, find_config, load_config
from .context import context_candidates, context_documents
from .document_files import Discovered
from .engine_rules import ENGINE_RULES
from .environment import context_without_pull_request
from .evaluate import Evaluator
from .file_errors import RULE_ID, STRUCTURE
from .inputs import RunInputs, build_context, document_authors, file_documents, given_documents, run_files, run_time
from .loader import load_policies, policy_files
from .model import LocatedError, PolicyError, PolicySet, in_file_order
from .policy_changes import note_policy_changes
from .pull_request_scope import split_pull_requests
from .structure import RULE_ID_PATTERN
from .template_text import settled
from .verdicts import Verdicts
from .waivers import apply_waivers, waivers_hold_until

if TYPE_CHECKING:
    from .extraction_pool import EarlyExtraction, PoolExtraction


@dataclass
class CheckResult:
    findings: list
    documents: list
    policies: PolicySet
    config: Config
    ctx: dict
    valid_until: Optional[datetime]  # until when the findings hold (Judgement): no default, None is "for ever"
    context: list = field(default_factory=list)  # documents read for `docs`, not judged (context.py)
    discovered: Discovered = field(default_factory=Discovered)  # files excluded, folders that held no document
    other_pull_requests: list = field(default_factory=list)  # stored PR bodies judged without ctx's PR
    event_pull_request_files: list = field(default_factory=list)  # stored bodies of the event's PR: read only
    change_asked: Optional[tuple] = None    # what the split of stored PR bodies asked git (pull_request_scope.Split)
    verdicts: Optional[Verdicts] = None     # the rules' findings per document, until when each holds

    def ctx_of(self, document) -> dict:
        """The `ctx` the rules judged `document` with (pull_request_scope.py)."""
        if any(d is document for d in self.other_pull_requests):
            return context_without_pull_request(self.ctx["now"])
        return self.ctx


def configuration(inputs: RunInputs, config_path: Optional[str] = None) -> Config:
    """`--config`, else `.policy.yaml` at or above the first PATH, else the working directory; in
    a pull-request run, read from the base commit (base_policies.py)."""
    sha = base_commit(inputs)
    if sha is not None:
        return _base_configuration(read_base(inputs, sha, config_path))
    if config_path:
        path = Path(config_path)
        problem = file_problem(path)
        if problem is not None:
            shown = "no such configuration file" if problem == "no such file" else problem
            raise PolicyError([LocatedError(config_path, None, shown)])
        return _every_mistake_at_once(Path(shown_path(path)))
    first = next((p for p in inputs.paths if p != "-"), None)
    return _every_mistake_at_once(find_config(Path(first) if first else Path.cwd()))


def _base_configuration(base) -> Config:
    """The base commit's configuration, or the defaults when it has none; every mistake at once."""
    if base.loaded is None:
        return replace(load_config(None), base=base)
    try:
        return config_from_yaml(base.loaded, base.config_path, base=base)
    except PolicyError as error:
        every = configuration_mistakes(base.loaded, base.config_path, base=base)[2]
        raise PolicyError(in_file_order(every) or error.errors) from None


def _every_mistake_at_once(path: Optional[Path]) -> Config:
    """`load_config`; when the file has mistakes, the PolicyError names every mistake of the
    run's configuration (with its policies' and rule ids'), as `policy validate` does, so a
    team fixes them in one go."""
    try:
        return load_config(path)
    except PolicyError as error:
        from .loader import read_yaml

        loaded = read_yaml(path, [])
        every = configuration_mistakes(loaded, path)[2] if loaded is not None else []
        raise PolicyError(in_file_order(every) or error.errors) from None


def configuration_mistakes(loaded, path: Path, base=None) -> tuple:
    """(config, policies, errors): every mistake of a loaded configuration that stops a run, in
    one pass; the config is built from its entries without mistakes, the policies are those
    that loaded."""
    errors: list = []
    config = config_from_yaml(loaded, path, errors_out=errors, base=base)
    policies = load_run_policies(config, errors_out=errors)
    return config, policies, errors


def load_run_policies(config: Config, errors_out: Optional[list] = None) -> PolicySet:
    """The run's policies; PolicyError lists every mistake, or, with `errors_out`, the mistakes
    go there and the policies that loaded are returned (for editors)."""
    paths = config.policy_paths()
    missing = _policy_path_problems(config)
    if missing and errors_out is None:
        raise PolicyError(missing)
    before = len(errors_out) if errors_out is not None else 0
    if errors_out is not None:
        errors_out.extend(missing)
    present = [(p, name) for p, name in paths if p.exists()]
    policies = load_policies([p for p, _ in present], config.data, pack_of={p: name for p, name in present},
                             errors_out=errors_out, shown=config.base.shown_of if config.base else shown_path)
    if errors_out is not None and len(errors_out) > before:
        # A pack or policy that did not load: the rule ids it defines are unknown, not wrong;
        # "unknown rule id INC001" would only repeat its error once per id.
        return replace(policies, complete=False)
    try:
        _check_overrides(config, policies)
    except PolicyError as error:
        if errors_out is None:
            raise
        errors_out.extend(error.errors)
    if errors_out is not None:
        _suggest_for_malformed_ids(config, policies, errors_out)
    return policies


def _policy_path_problems(config: Config) -> list:
    """Each `packs` or `policies` entry that names nothing to load: a pack or folder that does
    not exist, a built-in pack we do not ship, a folder without a policy file. Fail closed: such
    an entry must not leave a run judged by fewer policies than the team wrote down."""
    written = [("packs", index, entry) for index, entry in enumerate(config.packs)] + \
              [("policies", index, entry) for index, entry in enumerate(config.policies)]
    problems = []
    for (key, index, entry), (path, _) in zip(written, config.policy_paths()):
        problem = _policy_path_problem(str(entry), Path(path))
        if problem:
            span = config.loaded.span_of((key, index)) if config.loaded is not None else None
            problems.append(LocatedError(config.path or "<config>", span, problem, STRUCTURE))
    return problems


def _policy_path_problem(entry: str, path: Path) -> Optional[str]:
    if entry.startswith(BUILTIN_PREFIX):
        bundled = sorted(p.name for p in resource_dir("policies").iterdir() if p.is_dir())
        name = entry[len(BUILTIN_PREFIX):]
        if name not in bundled:
            packs = [BUILTIN_PREFIX + b for b in bundled]
            return f"unknown built-in pack {entry!r}; expected one of {', '.join(packs)}{did_you_mean(entry, packs)}"
    if not path.exists():
        return f"no such policy path: {entry}"
    if path.is_dir() and not policy_files(path):
        return f"no policy files (*.yaml outside tests/) in {entry}"
    return None


@dataclass
class Gathered:
    """What a run finds before it reads a document: which files, the documents no file holds
    (the event's PR body, commits, tags, the repository's git facts), `ctx`, and the files that
    may be read as context. Cheap next to reading the documents: the run cache keys on it."""

    now: datetime
    files: list                     # `document_files.Candidate`s of the run, in order
    discovered: Discovered
    given: list                     # inputs.given_documents
    context_files: list             # context.context_candidates
    ctx: dict
    extraction: Optional[PoolExtraction] = None  # the files', begun early (EarlyExtraction)
    states: dict = field(default_factory=dict)  # path -> its `files.file_state` from before that began


def gather(inputs: RunInputs, config: Config, early: Optional[EarlyExtraction] = None) -> Gathered:
    """`early`: the run's files as found, perhaps being extracted, when the caller started that
    (its extraction is taken once: a second `run_check` of this Gathered extracts again)."""
    now = run_time(inputs, config)
    if early is not None:
        discovered, files = early.discovered, early.files
    else:
        discovered = Discovered()
        files = run_files(inputs, config, discovered)
    given = given_documents(inputs, config)
    return Gathered(now=now, files=files, discovered=discovered, given=given,
                    context_files=context_candidates(inputs, config), ctx=build_context(inputs, given, now),
                    extraction=early.extraction if early else None, states=early.states if early else {})


def run_check(inputs: RunInputs, config: Config, policies: PolicySet, progress=None,
              gathered: Optional[Gathered] = None, earlier: Optional[Verdicts] = None) -> CheckResult:
    """The run judged; `gathered`: what `gather` gave, when the caller already has it; `earlier`:
    the verdicts of a run of the very same inputs at another time (evaluate.Evaluator.run)."""
    gathered = gathered or gather(inputs, config)
    now, ctx, discovered = gathered.now, gathered.ctx, gathered.discovered
    documents = file_documents(gathered.files, inputs, config, progress, discovered=discovered,
                               extraction=gathered.extraction) + gathered.given
    context = context_documents(inputs, config, documents, progress, candidates=gathered.context_files)
    if config.base is not None:
        note_policy_changes(documents, config, inputs, ctx)
    split = split_pull_requests(documents, ctx, inputs.paths, config.data.get("main_branch"))
    if split.same:  # the event's PR body is judged; the file it was written in is read only
        documents = [d for d in documents if not any(d is s for s in split.same)]
        context = context + split.same
    judged = judgement(documents, ctx, now, config, policies, progress=progress, workers=os.cpu_count() or 1,
                       context=context, other_pull_requests=split.others, earlier=earlier)
    return CheckResult(judged.findings, documents, policies, config, ctx, judged.valid_until, context, discovered,
                       split.others, split.same, split.asked, judged.verdicts)


class Judgement(NamedTuple):
    findings: list
    valid_until: Optional[datetime]  # the findings hold at `now` and every later time before this (None:
                                     # ever after); `now` itself: only then (evaluate.Evaluator.valid_until)
    verdicts: Optional[Verdicts] = None  # the rules' findings per document (evaluate.Evaluator.verdicts)


def judge(documents: list, ctx: dict, now, config: Config, policies: PolicySet, observe=None,
          progress=None, workers: int = 1, context: list = (), other_pull_requests: list = ()) -> list:
    """Every finding about these documents: their own, the rules', then overrides and waivers.
    `context`: more documents the rules see in `docs`, judged by nobody (no finding about them).
    `other_pull_requests`: stored PR bodies that are not the run's PR, judged without its facts."""
    return judgement(documents, ctx, now, config, policies, observe, progress, workers, context,
                     other_pull_requests).findings


def judgement(documents: list, ctx: dict, now, config: Config, policies: PolicySet, observe=None,
              progress=None, workers: int = 1, context: list = (), other_pull_requests: list = (),
              earlier: Optional[Verdicts] = None) -> Judgement:
    """`judge`, and until when its findings hold; `earlier`: as `run_check`'s."""
    disabled = frozenset(rule for rule, level in config.rules.items() if level == "off")
    evaluator = Evaluator(policies, disabled, observe)
    findings = settled([f for d in documents for f in d.findings],
                       evaluator.run(documents + list(context), ctx, progress, workers,
                                     only=documents if context else None, outside_ctx=other_pull_requests,
                                     earlier=earlier))
    findings = apply_overrides(findings, config.rules)
    findings = capped(apply_waivers(findings, config, now, document_authors(documents), judged_all=not context))
    return Judgement(findings, _earliest(evaluator.valid_until, waivers_hold_until(config, now)), evaluator.verdicts)


def _earliest(*moments) -> Optional[datetime]:
    """The earliest of `moments`, None standing for never."""
    return min((moment for moment in moments if moment is not None), default=None)


def capped(findings: list, limit: int = MAX_FINDINGS_PER_RULE) -> list:
    """The findings with at most `limit` per rule and document (the first, in order), the rest of
    each told by one finding at the first left out: "and N more like this". A document that
    repeats one mistake 100,000 times gets a report a reader can open, and still fails."""
    counts: dict = {}
    summaries: dict = {}  # key -> index in `kept` of the finding that tells the rest
    kept = []
    for finding in findings:
        key = (finding.rule, finding.path, finding.document, finding.waived)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            kept.append(finding)
        elif key not in summaries:
            summaries[key] = len(kept)
            kept.append(finding)
    for key, at in summaries.items():
        more = counts[key] - limit
        kept[at] = replace(kept[at], message=f"and {more:,} more like this (a rule reports at most {limit} "
                                             "findings on one document)")
    return kept


def apply_overrides(findings: list, overrides: dict) -> list:
    """Config `rules`: a new severity per id, or `off` (dropped, engine findings included)."""
    result = []
    for finding in findings:
        level = overrides.get(finding.rule)
        if level == "off":
            continue
        result.append(replace(finding, severity=Severity(level)) if level else finding)
    return result


def _check_overrides(config: Config, policies: PolicySet) -> None:
    known = set(policies.rules()) | set(ENGINE_RULES)
    errors = []
    for rule in _written_rule_ids(config):
        if rule not in known:
            span = config.loaded.key_span(("rules", rule)) if config.loaded is not None else None
            suggestion = closest_rule(rule, known)
            errors.append(LocatedError(config.path or "<config>", span,
                                       f"rules: unknown rule id {rule}{meant(suggestion)}", RULE_ID, suggestion))
    if errors:
        raise PolicyError(errors)


def _suggest_for_malformed_ids(config: Config, policies: PolicySet, errors: list) -> None:
    """`INC0011` in `rules` is a shape error ("not a rule id"); once the policies are known it
    can say which id was meant. The shape error gets the suggestion: one message per mistake."""
    if config.loaded is None:
        return
    known = set(policies.rules()) | set(ENGINE_RULES)
    for rule in _written_rule_keys(config):
        if re.match(RULE_ID_PATTERN, rule):
            continue
        suggestion = closest_rule(rule, known)
        span = config.loaded.key_span(("rules", rule))
        for index, error in enumerate(errors):
            if suggestion and error.span == span and error.path == config.loaded.path:
                errors[index] = LocatedError(error.path, span, error.message + meant(suggestion), error.code, suggestion)


def _written_rule_ids(config: Config) -> list:
    """The well-formed rule ids of the config's `rules`, also those whose entry has another
    mistake (a wrong severity), so one pass names every unknown id."""
    return [rule for rule in _written_rule_keys(config) if re.match(RULE_ID_PATTERN, rule)]


def _written_rule_keys(config: Config) -> list:
    """Every string key of the config's `rules` as written, well-formed ids or not."""
    written = config.loaded.data.get("rules") if config.loaded is not None and isinstance(config.loaded.data, dict) \
        else config.rules
    return [rule for rule in written if isinstance(rule, str)] if isinstance(written, dict) else []
