"""`policy new KIND`: print the template of a kind, the seed's with this design's additions."""

from __future__ import annotations

import argparse

from ...engine.kinds import FILE_KINDS, REGISTRY


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(FILE_KINDS)}")
    parser.add_argument("--variant", metavar="V", help="; ".join(
        f"for {kind.name}: {kind.variants[0]} (default), {', '.join(kind.variants[1:])}"
        for kind in REGISTRY if kind.variants))
    parser.add_argument("--snippet", action="store_true", help=(
        "print it as an editor snippet whose tab stops are the placeholders (what the VS Code "
        "\"New incident record\" command inserts)"))


def run(args: argparse.Namespace) -> int:
    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.documents.templates import template_for
    from ...engine.kinds import check_kind, kind_named

    kind = kind_named(check_kind(args.kind, FILE_KINDS))
    try:
        text = template_for(kind.name, args.variant)
    except KeyError:
        raise UsageError(f"no variant {args.variant!r} for {kind.name}; variants: "
                         f"{', '.join(kind.variants) or 'none'}") from None
    if args.snippet:
        from ...engine.editor.snippets import as_snippet

        text = as_snippet(text)
    print(text, end="")
    return EXIT_OK
