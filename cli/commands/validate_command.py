"""`policy validate [FILE...]`: every mistake in policy, policy test and config files (exit 1 if
any), and what still works but should change (warnings: a deprecated key, a waiver not honoured)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="policy, PolicyTest and .policy.yaml files or folders (default: the current folder)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ...engine.documents.secrets import mask_text
    from ...engine.errors import EXIT_FINDINGS, EXIT_OK, UsageError
    from ...engine.policy.validation import validate_files

    targets = [Path(f) for f in args.files] or [Path(".")]
    for target in targets:
        if not target.exists():
            raise UsageError(f"{target}: no such file or directory")
        if not (target.is_file() or target.is_dir()):
            raise UsageError(f"{target}: not a regular file or folder")
    checked, errors, waivers, warnings = validate_files(targets)
    lines = [str(mistake) for mistake in errors + waivers]
    lines += [str(type(warning)(warning.path, warning.span, f"warning: {warning.message}")) for warning in warnings]
    if lines:
        print(mask_text("\n".join(lines)))  # a file's name may hold a secret (`INC-3-AKIA....md`)
    summary = f"{_plural(checked, 'file')} checked, {_plural(len(errors), 'error')}"
    if waivers:
        summary += f", {_plural(len(waivers), 'waiver problem')}"
    if warnings:
        summary += f", {_plural(len(warnings), 'warning')}"
    print(summary)
    return EXIT_FINDINGS if errors or waivers else EXIT_OK


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
