"""`policy eval EXPR [--vars FILE] [--doc FILE]`: try an expression from the shell, as a policy runs it."""

from __future__ import annotations

import argparse
import json
import sys

from . import add_follow_outside_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR", help="a rule-language (CEL) expression")
    parser.add_argument("--vars", metavar="FILE",
                        help="a JSON or YAML mapping of variable names to values (e.g. doc, ctx, data)")
    parser.add_argument("--doc", metavar="FILE",
                        help="a document (incident record, PR body, review...) bound as `doc`, its fields "
                             "type-checked against its kind's schema")
    add_follow_outside_links(parser)


def run(args: argparse.Namespace) -> int:
    from ...engine.cel import CelError, compile
    from ...engine.cel.values import to_json
    from ...engine.errors import EXIT_OK, EXIT_USAGE
    from ...engine.diagnostics import caret_excerpt
    from ...engine.documents.secrets import mask_message, mask_strings, mask_text, secret_values

    bindings = _read_vars(args.vars) if args.vars else {}
    declarations = None
    if args.doc:
        document = _read_document(args.doc, args.follow_outside_links)
        bindings["doc"] = document.data
        if document.kind:
            from ...engine.documents import schema_for

            declarations = {name: "dyn" for name in bindings}
            declarations["doc"] = schema_for(document.kind)
    # A detected secret is never repeated: not in an error, an excerpt or the value itself (which
    # may join pieces the expression holds apart, or come from --vars or --doc).
    quoted = secret_values(args.expression)
    try:
        value = compile(args.expression, declarations).evaluate(bindings)
    except CelError as error:
        location = f":{error.line}:{error.column}" if error.line else ""
        print(f"<expr>{location}: {mask_message(error.message, quoted)}", file=sys.stderr)
        excerpt = caret_excerpt(mask_text(args.expression), error.span) if error.span is not None else None
        if excerpt is not None:
            print(f"  {excerpt.shown}\n  {excerpt.underline()}", file=sys.stderr)
        return EXIT_USAGE
    print(mask_message(json.dumps(mask_strings(to_json(value)), ensure_ascii=False, indent=None), quoted))
    return EXIT_OK


def _read_document(path: str, follow_outside_links: bool):
    from ...engine.errors import UsageError
    from ...engine.policy.check import configuration
    from ...engine.policy.inputs import RunInputs, named_document

    inputs = RunInputs(paths=[path], follow_outside_links=follow_outside_links)
    document = named_document(path, inputs, configuration(inputs))  # as `policy check FILE` reads it
    unreadable = [f for f in document.findings if f.rule == "DOC003"]
    if unreadable:
        raise UsageError(f"{path}: {unreadable[0].message}")
    return document


def _read_vars(path: str) -> dict:
    from ...engine.cel.values import from_python
    from ...engine.documents.secrets import mask_strings
    from ...engine.errors import UsageError
    from ..config_files import read_data_file

    data = read_data_file(path)
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1:1: --vars must hold a mapping of variable names to values")
    data = mask_strings(data)  # masked before the expression reads it, as a document's values are
    try:
        return from_python(data)
    except TypeError as error:
        raise UsageError(f"{path}:1:1: {error}") from None
