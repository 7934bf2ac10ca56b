"""Where a command's report goes: `--output FILE`, else standard output."""

from __future__ import annotations

import sys
from typing import Optional

from ..engine.errors import UsageError


def write_output(text: str, path: Optional[str]) -> None:
    """Write `text` to `path` (a user's mistake there is one line, exit 2), else to stdout."""
    if path is None:
        sys.stdout.write(text)
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror}") from None
