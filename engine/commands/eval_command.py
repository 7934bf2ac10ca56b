"""`policy eval EXPR [--vars FILE]`: try an expression from the shell, the way a policy runs it."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR", help="a rule-language (CEL) expression")
    parser.add_argument("--vars", metavar="FILE",
                        help="a JSON or YAML mapping of variable names to values (e.g. doc, ctx, data)")


def run(args: argparse.Namespace) -> int:
    from ..cel import CelError, compile
    from ..cel.values import to_json
    from ..cli import EXIT_OK, EXIT_USAGE
    from ..diagnostics import caret_excerpt

    bindings = _read_vars(args.vars) if args.vars else {}
    try:
        value = compile(args.expression).evaluate(bindings)
    except CelError as error:
        location = f":{error.line}:{error.column}" if error.line else ""
        print(f"<expr>{location}: {error.message}", file=sys.stderr)
        if error.span is not None:
            print(caret_excerpt(args.expression, error.span), file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(to_json(value), ensure_ascii=False, indent=None))
    return EXIT_OK


def _read_vars(path: str) -> dict:
    from ..cel.values import from_python
    from ..cli import UsageError
    from ..config_files import read_data_file

    data = read_data_file(path)
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1:1: --vars must hold a mapping of variable names to values")
    try:
        return from_python(data)
    except TypeError as error:
        raise UsageError(f"{path}:1:1: {error}") from None
