"""The `policy` command line: argument parsing and the user-error boundary.

Each subcommand's work lives in its own module under `commands/`, imported only when that
subcommand runs, so a cold `policy eval` pays for the rule language alone. A mistake in the
command line, a policy or the configuration is a `UsageError` (`engine.errors`), raised from any
layer and caught here only: one clear line per mistake on stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from typing import Optional, Sequence

from ..engine import __version__
from ..engine.errors import EXIT_OK, EXIT_USAGE, UsageError, did_you_mean

# name -> (help, the module under `commands/` with `add_arguments(parser)` and `run(args)`)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "check documents against the policies (exit 0: clean, 1: findings, 2: usage or policy errors)",
        "check_command",
    ),
    "test": (
        "run policy tests (`tests/*.yaml` of packs and every rule's docs.examples)",
        "test_command",
    ),
    "validate": (
        "check policy, policy test and config files for every mistake (exit 1 when any, 2: usage errors)",
        "validate_command",
    ),
    "explain": (
        "explain, step by step, why a rule passes or fails on a document",
        "explain_command",
    ),
    "rules": (
        "list the rules in force, or show one rule's documentation",
        "rules_command",
    ),
    "eval": (
        "evaluate a rule-language expression and print its value as JSON",
        "eval_command",
    ),
    "functions": (
        "list the rule language's functions and macros, or show one with its example",
        "functions_command",
    ),
    "new": (
        "print the template of a document kind (the workflow's, with the fields the rules read)",
        "new_command",
    ),
    "schema": (
        "print the JSON Schema of a document kind",
        "schema_command",
    ),
    "parse": (
        "print the extracted document as JSON with its source ranges",
        "parse_command",
    ),
    "report": (
        "the workflow's hotfix metrics: time to resolution, hotfixes per month, escapes, adherence, warning signs",
        "report_command",
    ),
    "lsp": (
        "start the language server (`--stdio`, the default, or `--tcp HOST:PORT`)",
        "lsp_command",
    ),
}


def _command(name: str):
    return importlib.import_module(f".commands.{COMMANDS[name][1]}", __package__)


class _Parser(argparse.ArgumentParser):
    """argparse with one line per mistake (its usage block is noise in a CI log; `--help` shows
    it), and a "did you mean" for a mistyped choice such as a format or a command."""

    def error(self, message: str):
        hint = ""
        mistyped = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if mistyped:
            choices = [choice.strip(" '") for choice in mistyped.group(2).split(",")]
            hint = did_you_mean(mistyped.group(1), choices)
        prog = self.prog
        if message.startswith("unrecognized arguments: "):  # found by the top parser: name the command run
            command = _command_run(self)
            prog = command.prog if command is not None else prog
            unknown = re.search(r"unrecognized arguments: (--[\w-]+)", message)
            if unknown:  # `--formt`: the options of the command being run
                hint = did_you_mean(unknown.group(1), _option_strings(self))
        from ..engine.documents.secrets import mask_text  # an argument may be a pasted secret

        line = mask_text(f"{prog}: {message}{hint}")
        if _GITHUB_FORMAT.search(" ".join(sys.argv[1:])):
            print(_annotation(line))
        self.exit(EXIT_USAGE, line + "\n")


def _option_strings(parser: argparse.ArgumentParser) -> list:
    """Every option of the parser and of the subcommand named on the command line."""
    options = [o for action in parser._actions for o in action.option_strings]
    command = _command_run(parser)
    if command is not None:
        options += [o for action in command._actions for o in action.option_strings]
    return options


def _command_run(parser: argparse.ArgumentParser) -> Optional[argparse.ArgumentParser]:
    """The subcommand's parser named first on the command line, or None."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for argument in sys.argv[1:]:
                if argument in action.choices:
                    return action.choices[argument]
    return None


_GITHUB_FORMAT = re.compile(r"(?:^| )--format(?:=| )github(?: |$)")
"""A command line asking for workflow commands: its mistakes are annotations too."""


_LOCATION = re.compile(r"(?P<path>.*?)(?P<place>:\d+:\d+: )(?P<message>.*)", re.S)


def _masked(message: str) -> str:
    """A usage error with every secret in its path and its message masked (an argument or a file
    may quote one), each apart: a secret detector must not eat the `:line:col: ` between them."""
    from ..engine.documents.secrets import mask_text

    located = _LOCATION.fullmatch(message)
    if located is None:
        return mask_text(message)
    return mask_text(located["path"]) + located["place"] + mask_text(located["message"])


def _annotation(message: str) -> str:
    """`--format github`: the mistake also as an error annotation (at its file, line and column)."""
    from ..engine.report.github import mistake_command
    from ..engine.report.placement import checkout_file, checkout_root

    located = _LOCATION.fullmatch(message)
    if located is None:
        return mistake_command("", 0, 0, message)
    line, column = located["place"].strip(": ").split(":")
    path = checkout_file(located["path"], checkout_root(os.getcwd())) or located["path"]  # GitHub's place
    return mistake_command(path, int(line), int(column), located["message"])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policy",
        description="Policy as code for incident records, hotfix PRs, commits, tags and git history.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s (hotfix-policy) {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, _module) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        _command(name).add_arguments(sub)
    return parser


def console() -> None:
    """The `policy` command (and `python -m hotfix_policy.cli`): `main`, its output flushed, then
    out of the process without tearing the interpreter down. Freeing a large run's documents one
    object at a time took 50-60 ms of a warm run of 1,000 records (mypy leaves the same way);
    everything a run writes is closed by then, and its worker processes have ended."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away; a stream already closed
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _command(args.command).run(args)
    except UsageError as error:
        prefix = "" if error.located else f"policy {args.command}: "
        for message in error.messages:
            print(prefix + _masked(message), file=sys.stderr)
            if getattr(args, "format", None) == "github":  # workflow commands: the mistake is one too
                print(_annotation(prefix + _masked(message)))
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130

