"""The database as the running bot uses it: reads in worker threads, writes in one writer.

A search can take longer than an event loop may wait, and a write may have to wait
for a refresh to commit. So nothing here runs on the caller's thread: reads go to
a small pool of threads, each with its own connection (in WAL mode a reader never
waits for a writer), and writes queue on one writer thread whose connection waits
as long as a refresh holds the write lock. Writes run in the order they were
queued, and none is dropped because a refresh happens to be running.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from knowledge.embeddings import Embedder
from knowledge.store import KnowledgeStore, open_read_write

T = TypeVar("T")
Operation = Callable[[KnowledgeStore], T]

READER_THREADS = 2
# Long enough for any bounded refresh to commit: a turn or a statistic waits for it.
WRITE_WAIT = 60.0


class KnowledgeService:
    """Runs operations on the database off the event loop: ``read`` and ``write``.

    The database must exist and be migrated (``KnowledgeStore.open`` does both);
    each thread opens its own connection to it on first use.
    """

    def __init__(self, path: Path, *, readers: int = READER_THREADS,
                 write_wait: float = WRITE_WAIT, embedder: Embedder | None = None):
        self.path = Path(path)
        self.embedder = embedder
        self.write_wait = write_wait
        self._local = threading.local()
        self._stores: list[KnowledgeStore] = []
        self._stores_lock = threading.Lock()
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="knowledge-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="knowledge-write")
        self._closed = False

    def open_store(self, *, busy_timeout: float) -> KnowledgeStore:
        """A new connection to the database (each thread opens one on first use)."""
        return open_read_write(self.path, busy_timeout=busy_timeout, embedder=self.embedder)

    def _store(self, busy_timeout: float) -> KnowledgeStore:
        """This thread's connection, opened on first use."""
        store: KnowledgeStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self.open_store(busy_timeout=busy_timeout)
            self._local.store = store
            with self._stores_lock:
                self._stores.append(store)
        return store

    def run_read(self, operation: Operation[T]) -> T:
        """Run a read on this thread's connection (called in a reader thread)."""
        return operation(self._store(busy_timeout=5.0))

    def run_write(self, operation: Operation[T]) -> T:
        """Run a write on the writer's connection (called in the writer thread)."""
        return operation(self._store(busy_timeout=self.write_wait))

    async def read(self, operation: Operation[T]) -> T:
        """The result of ``operation(store)``, run in a reader thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self.run_read, operation)

    async def write(self, operation: Operation[T]) -> T:
        """The result of ``operation(store)``, run after every write queued before it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self.run_write, operation)

    def close(self) -> None:
        """Finish the queued writes, then close every connection."""
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        with self._stores_lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
