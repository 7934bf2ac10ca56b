"""The last few results of an expensive reading of a text, each computed once.

An editor asks completion, hover, the outline and code actions about the same version of a
document, often at the same moment from several request threads. Reading a large document
costs seconds (a 5 MB record: about 4 s for its layout); computed once per text and shared, a
burst of requests costs one reading, not one each. A caller that finds the reading under way
waits for it instead of starting another. What is kept is bounded twice: by count, and by the
characters of the texts the results were read from (a result holds its text and more), so a
few huge documents cannot keep gigabytes alive.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable


class _Entry:
    __slots__ = ("done", "value", "error", "size")

    def __init__(self, size: int):
        self.done = threading.Event()
        self.value = None
        self.error = None
        self.size = size


class RecentResults:
    """`get(key, size, compute)`: compute() once per key; at most `count` results and `chars` in all."""

    def __init__(self, count: int, chars: int):
        self._count = count
        self._chars = chars
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, size: int, compute: Callable):
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if owner:
                entry = self._entries[key] = _Entry(size)
                self._trim()
            else:
                self._entries.move_to_end(key)
        if owner:
            try:
                entry.value = compute()
            except BaseException as error:
                entry.error = error
                with self._lock:
                    if self._entries.get(key) is entry:
                        del self._entries[key]
                raise
            finally:
                entry.done.set()
        else:
            entry.done.wait()
            if entry.error is not None:
                raise entry.error
        return entry.value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _trim(self) -> None:
        """Drop the oldest until within bounds (the newest entry always stays)."""
        total = sum(entry.size for entry in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self._count or total > self._chars):
            _, oldest = self._entries.popitem(last=False)
            total -= oldest.size
