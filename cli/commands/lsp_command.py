"""`policy lsp [--stdio | --tcp HOST:PORT]`: run the language server in this process.

Every launcher (the VS Code extension, the Neovim plugin, the editor recipes) starts the server
through this command, never as `python -m` from the workspace: a console script puts its own
folder first on `sys.path`, so a checked repository's `lsp/` or `hotfix_policy/` never runs.
The server learns the workspace from `initialize`, not from its working directory. Logs go to
stderr (or `--log-file`), never to stdout, which carries the protocol.
"""

from __future__ import annotations

import argparse


def parse_address(value: str) -> tuple:
    host, separator, port = value.rpartition(":")
    if not separator or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, such as 127.0.0.1:2087; found {value!r}")
    return host.strip("[]"), int(port)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin and stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", type=parse_address,
                           help="listen on a TCP address for one client, e.g. 127.0.0.1:2087")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--log-file", metavar="FILE", help="write the server log to FILE instead of stderr")
    # The LSP convention for a client telling its process id; the server does not need it.
    parser.add_argument("--clientProcessId", metavar="PID", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    import logging

    from ...engine.errors import EXIT_OK
    from ...lsp.server import serve

    logging.basicConfig(level=args.log_level, filename=args.log_file,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve(args.tcp)
    return EXIT_OK
