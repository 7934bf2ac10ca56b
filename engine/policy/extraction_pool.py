"""Extracting a large run's documents in worker processes, started as early as the run allows.

A worker sends a document back as its extraction cache entry, which the parent decodes and
stores (workers never write the cache). A cold run (no extraction cache database and no run
cache entry: a new machine, a CI cache not restored) starts its workers once its configuration
is read and its files found (`EarlyExtraction`), and loads its policies, gathers its inputs and
computes the run cache's key while they extract, where all three used to come first
(benchmarks/README.md, Scale). A run that may be replayed does not: it would start workers for
nothing.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from ..files import file_state
from .config import Config
from .document_files import Discovered
from .inputs import RunInputs, extract_files, pool_pays, run_files, worker_count

_POOL_CHUNK = 40
"""Files a worker extracts at a time: small enough that the last chunks end close together
(a chunk takes 0.1 s), large enough that sending them costs nothing that shows."""
_STORE_BATCH = 200
"""Entries stored in one transaction: each commit costs milliseconds, whatever its size."""


class Packed(NamedTuple):
    """A document as a worker process sends it back: its extraction cache entry and the text
    the entry stands on (two objects to pickle, where a document is thousands)."""
    key: str
    content_hash: str
    entry: bytes
    text: str


class PoolExtraction:
    """The documents of `files`, extracted in `workers` processes that start at once; what they
    pack is stored in the extraction cache here, in batches, as the documents are taken."""

    def __init__(self, files: list, kind: Optional[str], globs, workers: int):
        """OSError when no process can be started (a container's limit): see `started`."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from ..documents import loader, pipeline  # noqa: F401 (the workers inherit the extractor, not each import it)
        from ..worker_processes import end_with_parent

        self.files, self._kind, self._globs = files, kind, globs
        self._taken = False
        self._chunks = [files[i:i + _POOL_CHUNK] for i in range(0, len(files), _POOL_CHUNK)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                         initializer=end_with_parent)
        try:
            # `map` hands every chunk to the workers now; its results are taken in order below.
            self._shipped = self._pool.map(extracted_for_parent, self._chunks, [kind] * len(self._chunks),
                                           [globs] * len(self._chunks))
        except BaseException:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise

    def takes(self, files: list) -> bool:
        """Whether `documents` may be asked for `files`: these very files, not taken nor closed."""
        return files is self.files and not self._taken

    def documents(self):
        """The documents of `files` in order (None for those left out), once."""
        from ..documents.cache import document_cache

        self._taken = True
        cache = document_cache()
        unstored: list = []
        with self._pool:
            for chunk, shipped in zip(self._chunks, self._shipped):
                if cache is not None:
                    unstored += [(item.key, item.entry) for item in shipped if isinstance(item, Packed)]
                    if len(unstored) >= _STORE_BATCH or chunk is self._chunks[-1]:
                        cache.store(unstored)
                        unstored = []
                for file, item in zip(chunk, shipped):
                    yield self._unpacked(file, item) if isinstance(item, Packed) else item

    def close(self) -> None:
        """Stop: the chunks not begun are dropped, those begun are let finish (no process outlives
        the run, and none is killed while it holds the pool's pipe)."""
        self._taken = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _unpacked(self, file, item: Packed):
        """The document a worker packed (extracted here again should its entry not decode, which
        the round-trip tests rule out)."""
        from ..documents.cache import document_of

        document = document_of(item.entry, item.key, item.content_hash, item.text)
        return document if document is not None else extract_files([file], self._kind, self._globs)[0]


def started(files: list, kind: Optional[str], globs, workers: int) -> Optional[PoolExtraction]:
    """A `PoolExtraction` of `files`, or None when no process can be started: the run then
    extracts in its own process."""
    try:
        return PoolExtraction(files, kind, globs, workers)
    except OSError:
        return None


def extracted_for_parent(files: list, kind: Optional[str], globs) -> list:
    """In a worker process: per file, None (left out), else the document `Packed` when the
    extraction cache can store it, else the document itself. The parent decodes a packed
    document in about a fifth of the time a pickled one takes to arrive (0.22 ms against 1.2 ms
    a record, spent in the parent, one after another) and stores its entry: workers never
    write the cache."""
    packing = _PackingCache()
    return [packing.packed.get(id(document), document) if document is not None else None
            for document in extract_files(files, kind, globs, cache=packing)]


class _PackingCache:
    """The cache a worker extracts with: it holds nothing (the parent looked first) and packs
    each document it is asked to store."""

    def __init__(self):
        self.packed: dict = {}  # id of a document alive in the chunk -> Packed

    def key(self, content: bytes, **inputs) -> tuple:
        from ..documents.cache import entry_key

        return entry_key(content, **inputs)

    def get(self, key: str, content_hash: str, text: str):
        return None

    def put(self, key: str, content_hash: str, document) -> bool:
        from ..documents.cache import entry_of

        entry = entry_of(key, content_hash, document)
        if entry is None:
            return False
        self.packed[id(document)] = Packed(key, content_hash, entry, document.text)
        return True


class EarlyExtraction:
    """A run's files, found once its configuration is read; when `begin` (the run cache holds no
    entry: the documents will be needed) and the extraction cache has no database and the files
    are many, their extraction begun then (`extraction`), with each file's state taken before any
    worker could read it (`states`, which the run cache keys with: a file written after that is
    never stored as read). Closing it stops an extraction the run did not take."""

    def __init__(self, inputs: RunInputs, config: Config, begin: bool, workers: int = 0):
        self.discovered = Discovered()
        self.files = run_files(inputs, config, self.discovered)
        self.states: dict = {}  # path -> `file_state` before any worker read it
        self.extraction: Optional[PoolExtraction] = None
        workers = worker_count(workers)
        if not begin or any(file.path == "-" for file in self.files) or not pool_pays(len(self.files), workers) \
                or _cache_has_database():
            return
        try:
            states = {file.path: file_state(file.path) for file in self.files if file.problem is None}
        except OSError:  # a file gone since it was found: the run finds out as it would have
            return
        self.extraction = started(self.files, inputs.kind, config.document_globs(), workers)
        if self.extraction is not None:
            self.states = states

    def close(self) -> None:
        """Stop the extraction begun, unless the run took it (`PoolExtraction.close`)."""
        if self.extraction is not None:
            self.extraction.close()

    def __enter__(self) -> "EarlyExtraction":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _cache_has_database() -> bool:
    from ..documents.cache import document_cache

    cache = document_cache()
    return cache is not None and cache.has_database()
