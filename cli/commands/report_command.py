"""`policy report [PATH...]`: the seed's hotfix metrics as a table, JSON or an HTML page."""

from __future__ import annotations

import argparse

from ...engine.metrics import FORMATS
from . import add_now


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="document files or folders (Markdown under folders; default: the current folder)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser.add_argument("--output", metavar="F", help="write the report to F instead of stdout")
    add_now(parser)
    parser.add_argument("--config", metavar="F", help="the configuration (default: .policy.yaml at or above PATH)")
    parser.add_argument("--github-event", metavar="F",
                        help="a GitHub pull_request event JSON: its PR counts toward the audit trail")


def run(args: argparse.Namespace) -> int:
    from ...engine.documents.secrets import mask_strings, mask_text
    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.metrics import compute, gather, render
    from ..output import write_output

    if "-" in (args.paths or []):
        raise UsageError("report reads files and folders, not stdin (-)")
    from .discovery_notes import tell

    gathered = gather(args.paths or ["."], config_path=args.config, now=args.now, github_event=args.github_event)
    tell("report", gathered.discovered, len(gathered.documents), gathered.config)
    metrics = compute(gathered)
    try:
        text = render(mask_strings(metrics), args.format)  # before JSON's or HTML's escapes hide one
    except ImportError as error:
        raise UsageError(f"--format {args.format} needs {error.name or 'pygal'}: pip install 'pygal>=3'") from None
    write_output(mask_text(text), args.output)  # and in words the format joined (`INC-3-AKIA....md`)
    return EXIT_OK
