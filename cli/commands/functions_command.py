"""`policy functions [NAME]`: the rule language's functions and macros, what each does and an
example (the same text hover and completion show; `--markdown` makes docs/functions.md)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME", help="show one function or macro")
    parser.add_argument("--markdown", action="store_true",
                        help="print every function and macro as Markdown (docs/functions.md is made so)")


def run(args: argparse.Namespace) -> int:
    from ...engine.cel.ast import MACRO_DOCS
    from ...engine.cel.function_reference import (function_markdown, macro_markdown, named_functions,
                                                  reference_markdown, signature)
    from ...engine.cel.functions import FUNCTION_DOCS, FUNCTIONS
    from ...engine.errors import EXIT_OK, UsageError, did_you_mean

    if args.markdown:
        print(reference_markdown(), end="")
        return EXIT_OK
    names = sorted(MACRO_DOCS) + named_functions()
    if args.name is None:
        for name in names:
            described = MACRO_DOCS.get(name) or FUNCTION_DOCS[name]
            print(f"{name:<16} {described.description}")
        return EXIT_OK
    if args.name in MACRO_DOCS:
        print(macro_markdown(args.name))
    elif args.name in FUNCTION_DOCS:
        shown = list(dict.fromkeys(signature(overload) for overload in FUNCTIONS[args.name]))
        print(function_markdown(args.name, shown))
    else:
        raise UsageError(f"no function or macro named {args.name!r}{did_you_mean(args.name, names)}")
    return EXIT_OK
