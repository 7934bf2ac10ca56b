"""`policy schema KIND`: print a kind's JSON Schema (shape plus extraction annotations)."""

from __future__ import annotations

import argparse

KINDS = ("incident", "status_update", "pull_request", "post_incident_review", "commit", "tag", "repository")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(KINDS)}")


def run(args: argparse.Namespace) -> int:
    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.documents.schemas import UnknownKind, schema_text

    try:
        text = schema_text(args.kind)
    except UnknownKind as error:
        raise UsageError(str(error)) from None
    print(text, end="" if text.endswith("\n") else "\n")
    return EXIT_OK
