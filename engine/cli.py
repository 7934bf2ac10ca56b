"""The `policy` command line: argument parsing and the user-error boundary.

Each subcommand's work lives in its own module, imported only when that subcommand runs, so a
cold `policy eval` pays for the rule language alone. A mistake in the command line, a policy or
the configuration is a `UsageError`: one clear line on stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable, Sequence

from . import __version__

EXIT_OK, EXIT_USAGE = 0, 2


class UsageError(Exception):
    """A mistake by the user (command line, policy, config): printed as-is, exit 2."""


# name -> (help, "module:function" that adds arguments, "module:function" that runs it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": (
        "check documents against the policies (exit 0: clean, 1: findings, 2: usage or policy errors)",
        "engine.commands.check_command:add_arguments",
        "engine.commands.check_command:run",
    ),
    "test": (
        "run policy tests (`tests/*.yaml` of packs and every rule's docs.examples)",
        "engine.commands.test_command:add_arguments",
        "engine.commands.test_command:run",
    ),
    "validate": (
        "check policy, policy test and config files for mistakes (exit 1 when any)",
        "engine.commands.validate_command:add_arguments",
        "engine.commands.validate_command:run",
    ),
    "explain": (
        "explain, step by step, why a rule passes or fails on a document",
        "engine.commands.explain_command:add_arguments",
        "engine.commands.explain_command:run",
    ),
    "rules": (
        "list the rules in force, or show one rule's documentation",
        "engine.commands.rules_command:add_arguments",
        "engine.commands.rules_command:run",
    ),
    "eval": (
        "evaluate a rule-language expression and print its value as JSON",
        "engine.commands.eval_command:add_arguments",
        "engine.commands.eval_command:run",
    ),
    "new": (
        "print the template of a document kind (the seed's, with this design's additions)",
        "engine.commands.new_command:add_arguments",
        "engine.commands.new_command:run",
    ),
    "schema": (
        "print the JSON Schema of a document kind",
        "engine.commands.schema_command:add_arguments",
        "engine.commands.schema_command:run",
    ),
    "parse": (
        "print the extracted document as JSON with its source ranges",
        "engine.commands.parse_command:add_arguments",
        "engine.commands.parse_command:run",
    ),
    "report": (
        "the seed's hotfix metrics: time to resolution, hotfixes per month, escapes, adherence, warning signs",
        "engine.commands.report_command:add_arguments",
        "engine.commands.report_command:run",
    ),
    "lsp": (
        "start the language server (`--stdio`, the default, or `--tcp HOST:PORT`)",
        "engine.commands.lsp_command:add_arguments",
        "engine.commands.lsp_command:run",
    ),
}


def _load(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy",
        description="Policy as code for incident records, hotfix PRs, commits, tags and git history.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s (hotfix-policy) {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments, _run) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        _load(add_arguments)(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _load(COMMANDS[args.command][2])(args)
    except UsageError as error:
        print(f"policy {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    # Run through the package's own module so `UsageError` is one class, not two.
    from engine.cli import main as package_main

    sys.exit(package_main())
