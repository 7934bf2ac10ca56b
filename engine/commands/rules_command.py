"""`policy rules [ID]`: the rules in force (pack and extra policies) and one rule's documentation."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", metavar="ID", help="show one rule's documentation")
    parser.add_argument("--config", metavar="F", help="the configuration (default: .policy.yaml here or above)")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..cli import EXIT_OK, EXIT_USAGE, UsageError
    from ..policy.check import load_run_policies
    from ..policy.config import find_config, load_config
    from ..policy.engine_rules import ENGINE_RULES
    from ..policy.model import PolicyError

    try:
        config = load_config(Path(args.config) if args.config else find_config(Path.cwd()))
        policies = load_run_policies(config)
    except PolicyError as error:
        for problem in error.errors:
            print(str(problem), file=sys.stderr)
        return EXIT_USAGE
    rules = policies.rules()
    overrides = config.rules
    if args.rule is None:
        for rule_id in sorted(rules):
            policy, rule = rules[rule_id]
            level = overrides.get(rule_id, rule.severity.value)
            print(f"{rule_id:<9} {level:<8} {rule.summary}")
        for rule_id, (severity, summary, _) in ENGINE_RULES.items():
            print(f"{rule_id:<9} {overrides.get(rule_id, severity.value):<8} {summary}")
        return EXIT_OK
    rule_id = args.rule.upper()
    if rule_id in ENGINE_RULES:
        severity, summary, rationale = ENGINE_RULES[rule_id]
        print(f"{rule_id} [{overrides.get(rule_id, severity.value)}] {summary}\n\n{rationale}\n\n(reported by the engine)")
        return EXIT_OK
    if rule_id not in rules:
        from ..cel.errors import did_you_mean

        raise UsageError(f"no rule {args.rule}{did_you_mean(rule_id, list(rules) + list(ENGINE_RULES))}")
    policy, rule = rules[rule_id]
    print(describe_rule(policy, rule, overrides.get(rule_id)))
    return EXIT_OK


def describe_rule(policy, rule, override=None) -> str:
    """A rule's documentation as text (also what the editor shows on hover)."""
    docs = rule.docs
    level = override or rule.severity.value
    parts = [f"{rule.id} [{level}] {rule.summary}"]
    if docs.get("rationale"):
        parts.append(str(docs["rationale"]).strip())
    if docs.get("seed"):
        parts.append(f"Seed: {docs['seed']}")
    parts.append(f"Policy: {policy.name} ({policy.path}:{rule.span.line}), applies to {policy.applies_to}")
    parts.append(f"Expression: {rule.expression.source.strip()}")
    examples = docs.get("examples") or []
    if examples:
        parts.append("Examples: " + "; ".join(str(e.get("name", "?")) for e in examples))
    return "\n\n".join(parts)
