"""`policy new KIND`: print the template of a kind, the seed's with this design's additions."""

from __future__ import annotations

import argparse

KINDS = ("incident", "status_update", "pull_request", "post_incident_review", "commit", "tag")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("--variant", metavar="V",
                        help="for status_update: update (default), declaration, in_progress or resolution")


def run(args: argparse.Namespace) -> int:
    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.documents.templates import VARIANTS, template_for

    if args.kind not in KINDS:
        hint = " (the repository's facts come from git, not a file)" if args.kind == "repository" else ""
        raise UsageError(f"no template for kind {args.kind!r}{hint}; expected one of {', '.join(KINDS)}")
    try:
        text = template_for(args.kind, args.variant)
    except KeyError:
        choices = ", ".join(VARIANTS.get(args.kind, ())) or "none"
        raise UsageError(f"no variant {args.variant!r} for {args.kind}; variants: {choices}") from None
    print(text, end="")
    return EXIT_OK
