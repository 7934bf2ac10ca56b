"""`policy schema KIND`: print a kind's JSON Schema (shape plus extraction annotations)."""

from __future__ import annotations

import argparse

from ...engine.kinds import KINDS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(KINDS)}")


def run(args: argparse.Namespace) -> int:
    from ...engine.errors import EXIT_OK
    from ...engine.documents.schemas import schema_text

    text = schema_text(args.kind)  # UnknownKind, a UsageError, for a name of no kind
    print(text, end="" if text.endswith("\n") else "\n")
    return EXIT_OK
