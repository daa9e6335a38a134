"""Where passage vectors come from and where they are kept.

Embedding the curated knowledge takes seconds, so a vector is computed once per text
and embedder: it is looked up by the text's hash in the vectors shipped with the
package (for the bundled knowledge and the bundled model), then in the database's
``vector_cache``, and only then computed. Vectors are stored as float16 (half the
space, no measurable loss in ranking).
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from knowledge.embeddings import Embedder, EmbeddingError

SHIPPED_VECTORS = Path(__file__).parent / "data" / "openai-hardware.vectors.npz"
STORED_TYPE = np.float16
EMBED_BATCH = 8  # a stop waits for one batch at most (a few seconds on the CPU)


class VectorError(Exception):
    """Vectors could not be computed or stored."""


def text_hash(text: str) -> str:
    """The key a passage's vector is kept under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def to_blob(vector: np.ndarray) -> bytes:
    """A vector as stored."""
    return np.asarray(vector, dtype=STORED_TYPE).tobytes()


def from_blobs(blobs: Sequence[bytes]) -> np.ndarray:
    """Stored vectors as the rows of one float32 matrix."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=STORED_TYPE).reshape(len(blobs), -1).astype(
        np.float32)


@functools.cache
def shipped_vectors(path: Path = SHIPPED_VECTORS) -> tuple[str, dict[str, bytes]]:
    """The embedder name and the vectors (by text hash) shipped with the package."""
    if not path.exists():
        return "", {}
    with np.load(path, allow_pickle=False) as shipped:
        hashes = [str(h) for h in shipped["hashes"]]
        vectors = shipped["vectors"].astype(STORED_TYPE)
        embedder = str(shipped["embedder"])
    return embedder, {h: vectors[i].tobytes() for i, h in enumerate(hashes)}


def write_shipped_vectors(texts: Iterable[str], embedder: Embedder, *,
                          path: Path = SHIPPED_VECTORS) -> int:
    """Compute and write the vectors of ``texts`` to ship with the package; return how many."""
    unique = list(dict.fromkeys(texts))
    vectors = embedder.passages(unique) if unique else np.zeros((0, 0))
    np.savez_compressed(path, embedder=np.array(embedder.name),
                        hashes=np.array([text_hash(text) for text in unique]),
                        vectors=np.asarray(vectors, dtype=STORED_TYPE))
    shipped_vectors.cache_clear()
    return len(unique)


def cached_vectors(connection: sqlite3.Connection, embedder: str,
                   hashes: Sequence[str]) -> dict[str, bytes]:
    """The vectors known for these hashes: shipped ones first, then the database's cache."""
    shipped_name, shipped = shipped_vectors()
    found = {h: shipped[h] for h in hashes if shipped_name == embedder and h in shipped}
    wanted = [h for h in dict.fromkeys(hashes) if h not in found]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = connection.execute(
            f"SELECT text_hash, vector FROM vector_cache WHERE embedder = ? "
            f"AND text_hash IN ({marks})", [embedder, *chunk]).fetchall()
        found.update(dict(rows))
    return found


def missing_texts(connection: sqlite3.Connection, embedder: str,
                  texts: Iterable[str]) -> list[str]:
    """The texts whose vectors are neither shipped nor cached."""
    unique = list(dict.fromkeys(texts))
    known = cached_vectors(connection, embedder, [text_hash(text) for text in unique])
    return [text for text in unique if text_hash(text) not in known]


def embed_missing(connection: sqlite3.Connection, embedder: Embedder,
                  texts: Iterable[str], *, abandon: threading.Event | None = None) -> int:
    """Compute the vectors not known yet and keep them in the cache; return how many.

    Run this before a change's transaction: embedding takes a while, and no lock is
    held meanwhile. Each batch is committed on its own, so work done is never redone.
    Raises VectorError ``abandoned`` between batches once ``abandon`` is set.
    """
    missing = missing_texts(connection, embedder.name, texts)
    for start in range(0, len(missing), EMBED_BATCH):
        if abandon is not None and abandon.is_set():
            raise VectorError("abandoned: the process is stopping")
        batch = missing[start:start + EMBED_BATCH]
        try:
            vectors = embedder.passages(batch)
        except EmbeddingError as error:
            raise VectorError(str(error)) from error
        rows = [(embedder.name, text_hash(text), to_blob(vector))
                for text, vector in zip(batch, vectors, strict=True)]
        keep(connection, rows)
    return len(missing)


def keep(connection: sqlite3.Connection, rows: list[tuple[str, str, bytes]]) -> None:
    """Add vectors to the cache: committed at once, or with the transaction already open."""
    insert = "INSERT OR REPLACE INTO vector_cache (embedder, text_hash, vector) VALUES (?, ?, ?)"
    try:
        if connection.in_transaction:
            connection.executemany(insert, rows)
        else:
            with connection:
                connection.executemany(insert, rows)
    except sqlite3.Error as error:
        raise VectorError(f"cannot keep the vectors: {error}") from error
