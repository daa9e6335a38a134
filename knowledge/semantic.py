"""Semantic search: the facts whose statements mean what a question asks, by vector.

The served version's statement vectors are read once into one matrix (shared by the
threads of the process, rebuilt when the version changes) and searched with numpy:
a matrix-vector product, then the best statement of each fact.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from knowledge.vectors import from_blobs


@dataclass(frozen=True)
class VectorIndex:
    """The statement vectors of one knowledge version, grouped by fact.

    Rows are ordered by fact, so a fact's statements are one run of rows starting at
    ``starts[i]``: the best statement of every fact is one ``maximum.reduceat``.
    """

    facts: np.ndarray  # the index row id of each fact, in row order
    starts: np.ndarray  # the first row of each fact
    matrix: np.ndarray  # one normalised row per statement

    @classmethod
    def from_rows(cls, fact_of_row: np.ndarray, matrix: np.ndarray) -> VectorIndex:
        """An index from each row's fact (rows grouped by fact) and the row vectors."""
        if not len(fact_of_row):
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), matrix)
        starts = np.flatnonzero(np.r_[True, fact_of_row[1:] != fact_of_row[:-1]])
        return cls(fact_of_row[starts], starts, matrix)

    def scores(self, query: np.ndarray) -> dict[int, float]:
        """Every fact's cosine similarity to the query: that of its closest statement."""
        if not len(self.facts):
            return {}
        best = np.maximum.reduceat(self.matrix @ query, self.starts)
        return dict(zip(self.facts.tolist(), best.tolist(), strict=True))

    def nearest(self, query: np.ndarray, *, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` facts closest to the query, closest first, with their similarity."""
        if not len(self.facts):
            return []
        best = np.maximum.reduceat(self.matrix @ query, self.starts)
        take = min(limit, len(best))
        top = np.argpartition(-best, take - 1)[:take]
        top = top[np.argsort(-best[top])]
        return [(int(self.facts[i]), float(best[i])) for i in top]


_indexes: dict[tuple[str, str], VectorIndex] = {}
_lock = threading.Lock()


def load_index(connection: object, *, key: tuple[str, str]) -> VectorIndex:
    """The vector index of a database's served version (``key``: its path and version),
    read once per process and version."""
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            return index
    rows = connection.execute(  # type: ignore[attr-defined]
        "SELECT fact_pk, vector FROM fact_vectors ORDER BY fact_pk, id").fetchall()
    index = VectorIndex.from_rows(np.array([row[0] for row in rows], dtype=np.int64),
                                  from_blobs([row[1] for row in rows]))
    with _lock:
        for stale in [k for k in _indexes if k[0] == key[0]]:
            del _indexes[stale]  # one version per database is enough
        _indexes[key] = index
    return index
