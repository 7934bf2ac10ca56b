"""`policy lsp [--stdio | --tcp HOST:PORT]`: start the language server.

The engine never imports the server (`lsp/`, pygls): this command replaces the process with
`python -m lsp`, so the CLI stays light and the server runs exactly as editors start it.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin and stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address, e.g. 127.0.0.1:2087")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--log-file", metavar="FILE", help="write the server log to FILE instead of stderr")


def run(args: argparse.Namespace) -> int:
    import os
    import subprocess
    import sys

    argv = [sys.executable, "-m", "lsp"]
    argv += ["--tcp", args.tcp] if args.tcp else ["--stdio"]
    argv += ["--log-level", args.log_level] + (["--log-file", args.log_file] if args.log_file else [])
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(sys.executable, argv)
    return subprocess.call(argv)
