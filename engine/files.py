"""Reading a file a user points at, bounded: never more than the limit, whatever the file is.

A size check alone is not enough: a device such as /dev/zero or a pipe says it holds 0 bytes
and never ends. `read_bounded` checks the size first (a large regular file is refused unread)
and then reads at most one byte past the limit.
"""

from __future__ import annotations

import os


class FileTooLarge(ValueError):
    """A file over its limit; `str()` says how large it is and the limit."""

    def __init__(self, limit: int, size: int | None = None):
        shown = f"{size:,} bytes, over" if size is not None else "over"
        super().__init__(f"{shown} the size limit of {limit:,} bytes")
        self.limit, self.size = limit, size


def read_bounded_text(path, limit: int, errors: str = "strict") -> str:
    """The file's UTF-8 text (`read_bounded`, then decoded with `errors`)."""
    return read_bounded(path, limit).decode("utf-8", errors)


def read_bounded(path, limit: int) -> bytes:
    """The file's bytes; `FileTooLarge` past `limit`; `OSError` as `open` raises it."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileTooLarge(limit, size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(limit)
    return data
