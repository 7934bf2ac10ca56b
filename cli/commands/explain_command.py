"""`policy explain RULE_ID FILE`: why a rule passes or fails on a document, step by step."""

from __future__ import annotations

import argparse

from ...engine.kinds import FILE_KINDS
from . import add_follow_outside_links, add_now


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", metavar="RULE_ID", help="the rule to explain, e.g. INC006")
    parser.add_argument("file", metavar="FILE", help="the document")
    parser.add_argument("--config", metavar="F", help="the configuration (default: .policy.yaml at or above FILE)")
    parser.add_argument("--kind", metavar="KIND", help=f"force the document's kind: one of {', '.join(FILE_KINDS)}")
    add_now(parser)
    add_follow_outside_links(parser)


def run(args: argparse.Namespace) -> int:
    """Exit 1 when `policy check FILE` reports the rule on the file (unwaived), else 0."""
    from ...engine.documents.secrets import mask_text
    from ...engine.errors import EXIT_FINDINGS, EXIT_OK, UsageError, did_you_mean_rule
    from ...engine.policy.check import configuration, load_run_policies, run_check
    from ...engine.policy.document_files import named_file
    from ...engine.policy.engine_rules import ENGINE_RULES
    from ...engine.policy.evaluate import docs_binding
    from ...engine.policy.explanation import explain_rule
    from ...engine.policy.inputs import RunInputs, run_root

    inputs = RunInputs(paths=[args.file], kind=args.kind, now=args.now, follow_outside_links=args.follow_outside_links)
    config = configuration(inputs, args.config)
    unreadable = named_file(args.file, run_root(inputs, config), follow_outside_links=inputs.follow_outside_links).problem
    if unreadable is not None:
        raise UsageError(f"{args.file}: {unreadable}")
    excluded_by = config.document_globs().excluded_by(args.file)
    if excluded_by is not None:
        raise UsageError(f"{args.file} is excluded by {config.path} ('{excluded_by}'): policy check does not judge it")
    policies = load_run_policies(config)
    rules = policies.rules()
    rule_id = args.rule.upper()
    if rule_id not in rules and rule_id not in ENGINE_RULES:
        raise UsageError(f"no rule {args.rule}{did_you_mean_rule(args.rule, set(rules) | set(ENGINE_RULES))}")
    result = run_check(inputs, config, policies)  # as `policy check FILE` reads and judges it
    document = result.documents[0]
    if document.kind is None:
        raise UsageError(f"{args.file}: unknown kind; name it with --kind")
    if rule_id in rules:
        policy, rule = rules[rule_id]
        bindings = {"doc": document.data, "docs": docs_binding(result.documents + result.context),
                    "ctx": result.ctx_of(document), "data": policies.data}
        traced = explain_rule(policy, rule, document, bindings)
    else:
        traced = _engine_rule(rule_id, ENGINE_RULES[rule_id], document)
    on_file = [f for f in result.findings if f.path == document.path]
    reported = [f for f in on_file if f.rule == rule_id]
    context = len(result.context)
    # the document's text is masked already; its file's name (`INC-3-AKIA....md`) is not
    print(mask_text("\n".join([
        traced, _reported(rule_id, args.file, reported, template_text=any(f.rule == "DOC002" for f in on_file)),
        f"{context} document{'s' if context != 1 else ''} read as context (`docs`), "
        f"as `policy check {args.file}` reads them"])))
    return EXIT_FINDINGS if any(not f.waived for f in reported) else EXIT_OK


def _engine_rule(rule_id: str, reference: tuple, document) -> str:
    """An engine rule has no expression to trace: what it checks, and why."""
    severity, summary, rationale = reference
    return "\n".join([f"{rule_id} [{severity.value}] {summary}",
                      "  an engine rule: checked by the engine itself, not by a policy expression",
                      f"  why: {rationale}", "", f"On {document.path} ({document.kind})"])


def _reported(rule_id: str, file: str, findings: list, template_text: bool) -> str:
    """What `policy check FILE` reports of the rule: the verdict the exit status gives. It can
    differ from the trace (a rule failing only for a placeholder is DOC002's to report)."""
    if not findings:
        why = " (a rule that fails only for template text left in the document is reported as DOC002)" \
            if template_text and rule_id != "DOC002" else ""
        return f"\n`policy check {file}` reports no {rule_id} finding here{why}.\n"
    lines = [f"\n`policy check {file}` reports {len(findings)} {rule_id} finding{'s' if len(findings) != 1 else ''}:"]
    for finding in findings:
        where = f"{finding.span.line}:{finding.span.column}" if finding.span else "-"
        lines.append(f"  {where}: {finding.message}{' (waived)' if finding.waived else ''}")
    return "\n".join(lines) + "\n"
