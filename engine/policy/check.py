"""One `policy check` run as a library call, shared by the CLI and the language server.

Configuration, policies, documents and `ctx` in; findings out (document findings, rule
findings, EVAL001, waivers judged), with severity overrides applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from ..findings import Severity
from .config import Config, find_config, load_config
from .engine_rules import ENGINE_RULES
from .evaluate import Evaluator
from .inputs import RunInputs, build_context, collect_documents, document_authors, run_time
from .loader import load_policies
from .model import LocatedError, PolicyError, PolicySet
from .waivers import apply_waivers


@dataclass
class CheckResult:
    findings: list
    documents: list
    policies: PolicySet
    config: Config
    ctx: dict


def configuration(inputs: RunInputs, config_path: Optional[str] = None) -> Config:
    """`--config`, else `.policy.yaml` at or above the first PATH, else the working directory."""
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise PolicyError([LocatedError(config_path, None, "no such configuration file")])
        return load_config(path)
    first = next((p for p in inputs.paths if p != "-"), None)
    return load_config(find_config(Path(first) if first else Path.cwd()))


def load_run_policies(config: Config, errors_out: Optional[list] = None) -> PolicySet:
    """The run's policies; PolicyError lists every mistake, or, with `errors_out`, the mistakes
    go there and the policies that loaded are returned (for editors)."""
    paths = config.policy_paths()
    missing = [LocatedError(config.path or "<config>", None, f"no such policy path: {p}")
               for p, _ in paths if not p.exists()]
    if missing and errors_out is None:
        raise PolicyError(missing)
    if errors_out is not None:
        errors_out.extend(missing)
    present = [(p, name) for p, name in paths if p.exists()]
    policies = load_policies([p for p, _ in present], config.data, pack_of={p: name for p, name in present},
                             errors_out=errors_out)
    try:
        _check_overrides(config, policies)
    except PolicyError as error:
        if errors_out is None:
            raise
        errors_out.extend(error.errors)
    return policies


def run_check(inputs: RunInputs, config: Config, policies: PolicySet, progress=None) -> CheckResult:
    now = run_time(inputs, config)
    documents = collect_documents(inputs, config, progress)
    ctx = build_context(inputs, documents, now)
    findings = judge(documents, ctx, now, config, policies, progress=progress, workers=os.cpu_count() or 1)
    return CheckResult(findings, documents, policies, config, ctx)


def judge(documents: list, ctx: dict, now, config: Config, policies: PolicySet, observe=None,
          progress=None, workers: int = 1) -> list:
    """Every finding about these documents: their own, the rules', then overrides and waivers."""
    disabled = frozenset(rule for rule, level in config.rules.items() if level == "off")
    findings = [f for d in documents for f in d.findings]
    findings += Evaluator(policies, disabled, observe).run(documents, ctx, progress, workers)
    findings = apply_overrides(findings, config.rules)
    return apply_waivers(findings, config, now, document_authors(documents))


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
    for rule in config.rules:
        if rule not in known:
            span = config.loaded.key_span(("rules", rule)) if config.loaded is not None else None
            from ..errors import did_you_mean

            errors.append(LocatedError(config.path or "<config>", span,
                                       f"rules: unknown rule id {rule}{did_you_mean(rule, known)}"))
    if errors:
        raise PolicyError(errors)
