"""`policy explain RULE_ID FILE`: why a rule passes or fails on a document, step by step."""

from __future__ import annotations

import argparse

from ...engine.kinds import FILE_KINDS
from . import add_follow_outside_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", metavar="RULE_ID", help="the rule to explain, e.g. INC006")
    parser.add_argument("file", metavar="FILE", help="the document")
    parser.add_argument("--config", metavar="F", help="the configuration (default: .policy.yaml at or above FILE)")
    parser.add_argument("--kind", metavar="KIND", help=f"force the document's kind: one of {', '.join(FILE_KINDS)}")
    parser.add_argument("--now", metavar="ISO8601", help="the time of the run")
    add_follow_outside_links(parser)


def run(args: argparse.Namespace) -> int:
    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.policy.check import configuration, load_run_policies
    from ...engine.policy.context import context_documents
    from ...engine.policy.evaluate import docs_binding
    from ...engine.policy.explanation import explain_rule
    from ...engine.policy.document_files import named_file
    from ...engine.policy.inputs import RunInputs, build_context, collect_documents, run_root, run_time

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
    if rule_id not in rules:
        from ...engine.errors import did_you_mean

        raise UsageError(f"no rule {args.rule}{did_you_mean(rule_id, rules)}")
    now = run_time(inputs, config)
    documents = collect_documents(inputs, config)  # as `policy check FILE` reads them, context included
    context = context_documents(inputs, config, documents)
    ctx = build_context(inputs, documents, now)
    document = documents[0]
    if document.kind is None:
        raise UsageError(f"{args.file}: unknown kind; name it with --kind")
    policy, rule = rules[rule_id]
    bindings = {"doc": document.data, "docs": docs_binding(documents + context), "ctx": ctx, "data": policies.data}
    print(explain_rule(policy, rule, document, bindings))
    print(f"\n{len(context)} document{'s' if len(context) != 1 else ''} read as context (`docs`), "
          f"as `policy check {args.file}` reads them")
    return EXIT_OK
