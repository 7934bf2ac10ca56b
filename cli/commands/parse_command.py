"""`policy parse FILE [--kind K]`: the extracted document as JSON, with its source ranges.

Shows what rules will see as `doc` and where each value came from; `-` reads stdin. A
detected secret is never printed (extraction reads a masked copy of the text).
"""

from __future__ import annotations

import argparse

from ...engine.kinds import FILE_KINDS
from . import add_follow_outside_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a document file, or - for stdin")
    parser.add_argument("--kind", metavar="KIND", help=f"force a kind: one of {', '.join(FILE_KINDS)}")
    parser.add_argument("--size-limit", metavar="BYTES", type=int, default=None,
                        help="largest document read (default 10 MB)")
    add_follow_outside_links(parser)


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from ...engine.errors import EXIT_OK, UsageError
    from ...engine.documents import DEFAULT_SIZE_LIMIT, read_stream_document, to_json
    from ...engine.documents.secrets import mask_strings
    from ...engine.kinds import check_kind
    from ...engine.policy.check import configuration
    from ...engine.policy.inputs import RunInputs, named_document

    if args.kind is not None:
        check_kind(args.kind, FILE_KINDS)
    limit = args.size_limit if args.size_limit is not None else DEFAULT_SIZE_LIMIT
    if limit <= 0:
        raise UsageError("--size-limit must be a positive number of bytes")
    if args.file == "-":
        document = read_stream_document(sys.stdin.buffer, kind=args.kind, size_limit=limit)
    else:  # as `policy check FILE` reads it: its checks, the configuration's kinds
        inputs = RunInputs(paths=[args.file], kind=args.kind, follow_outside_links=args.follow_outside_links)
        document = named_document(args.file, inputs, configuration(inputs), limit)
    # the values come from the masked text; the path from the file's name (`INC-3-AKIA....md`)
    print(json.dumps(mask_strings(to_json(document)), ensure_ascii=False, indent=2))
    return EXIT_OK
