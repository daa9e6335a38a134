"""Retrieval latency and build cost as the knowledge grows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import synthetic_knowledge
from benchmarks.progress import progress
from knowledge.retrieval import retrieve_facts
from knowledge.schema import KnowledgeFile
from knowledge.store import KnowledgeStore
from knowledge.usage import percentile


@dataclass(frozen=True)
class RetrievalResult:
    """One knowledge size: how long building took, how big it is, how fast it answers."""

    passages: int
    build_seconds: float
    database_mb: float
    p50_ms: float
    p99_ms: float
    queries: int


def measure_retrieval(base: KnowledgeFile, questions: list[str], size: int, workdir: Path, *,
                      rounds: int) -> RetrievalResult:
    """Build a knowledge base of ``size`` passages and time retrieval on the questions."""
    knowledge = synthetic_knowledge(base, size)
    path = workdir / f"retrieval-{size}.db"
    path.unlink(missing_ok=True)
    store = KnowledgeStore.open(path)
    try:
        started = time.perf_counter()
        store.replace_knowledge(knowledge)
        build = time.perf_counter() - started
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for question in questions:  # warm the page cache and the term matcher
            retrieve_facts(store, question)
        timings = []
        for question in progress([q for _ in range(rounds) for q in questions],
                                 total=rounds * len(questions), label=f"retrieval {size:,}"):
            started = time.perf_counter()
            retrieve_facts(store, question)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    return RetrievalResult(size, build, path.stat().st_size / 1e6, percentile(timings, 0.5),
                           percentile(timings, 0.99), len(timings))
