"""`python -m lsp [--stdio | --tcp HOST:PORT]`: run the language server.

stdio is the default (VS Code's client appends `--stdio`); `--tcp` listens for one client.
Logs go to stderr (or `--log-file`), never to stdout, which carries the protocol.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Optional, Sequence


def parse_address(value: str) -> tuple:
    host, separator, port = value.rpartition(":")
    if not separator or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, such as 127.0.0.1:2087; found {value!r}")
    return host.strip("[]"), int(port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lsp", description="The hotfix-policy language server.")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin and stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", type=parse_address, help="listen on a TCP address")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--log-file", metavar="FILE", help="write the server log to FILE instead of stderr")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    logging.basicConfig(level=args.log_level, filename=args.log_file,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if unknown:  # editors add options of their own (e.g. --clientProcessId); they are harmless
        logging.getLogger("lsp").info("ignoring arguments: %s", " ".join(unknown))

    from .server import build_server

    server = build_server()
    if args.tcp:
        host, port = args.tcp
        server.start_tcp(host, port)
    else:
        server.start_io()
    return 0


if __name__ == "__main__":
    sys.exit(main())
