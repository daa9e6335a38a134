"""Retrieval latency and build cost as the knowledge grows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.corpus import synthetic_knowledge
from benchmarks.progress import progress
from knowledge.index import passage_texts
from knowledge.retrieval import retrieve_facts
from knowledge.schema import Fact, KnowledgeFile
from knowledge.store import KnowledgeStore
from knowledge.usage import percentile
from knowledge.vectors import keep, text_hash, to_blob


@dataclass(frozen=True)
class RetrievalResult:
    """One knowledge size: how long building took, how big it is, how fast it answers."""

    passages: int
    build_seconds: float
    database_mb: float
    p50_ms: float
    p99_ms: float
    queries: int
    generated_vectors: int = 0


def measure_retrieval(base: KnowledgeFile, questions: list[str], size: int, workdir: Path, *,
                      rounds: int) -> RetrievalResult:
    """Build a knowledge base of ``size`` passages and time retrieval on the questions."""
    knowledge = synthetic_knowledge(base, size)
    path = workdir / f"retrieval-{size}.db"
    path.unlink(missing_ok=True)
    store = KnowledgeStore.open(path)
    try:
        generated = seed_generated_vectors(store, knowledge.facts[len(base.facts):])
        started = time.perf_counter()
        store.prepare(knowledge.facts)  # the real facts' vectors ship with the package
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
                           percentile(timings, 0.99), len(timings), generated)


def seed_generated_vectors(store: KnowledgeStore, facts: list[Fact]) -> int:
    """Give the generated passages random unit vectors, as if embedded: embedding 200,000
    statements with the bundled model would take hours, and their meaning is noise anyway.
    Questions are still embedded for real, and searched against every vector."""
    rng = np.random.default_rng(7)
    texts = list(dict.fromkeys(text for fact in facts for text in passage_texts(fact)))
    for start in range(0, len(texts), 5000):
        batch = texts[start:start + 5000]
        vectors = rng.standard_normal((len(batch), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        keep(store.db.conn, [(store.embedder.name, text_hash(text), to_blob(vector))
                             for text, vector in zip(batch, vectors, strict=True)])
    return len(texts)
