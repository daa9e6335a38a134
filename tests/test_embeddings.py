"""Sentence embeddings: the bundled model, an OpenAI-compatible server, and where vectors live."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from bot.settings import BUNDLED_KNOWLEDGE
from knowledge.articles import parse_article
from knowledge.embeddings import BUNDLED_NAME, EmbeddingError, RemoteEmbedder, bundled_embedder
from knowledge.index import passage_texts
from knowledge.loading import load_knowledge_file
from knowledge.retrieval import Relevance, retrieve_facts
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore
from knowledge.vectors import shipped_vectors, text_hash
from knowledge.versions import ingest_article, load_at_startup, rollback
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI

QUESTIONS = {
    "zh-Hant": "OpenAI 最新一輪融資籌了多少錢？",
    "zh-Hans": "OpenAI 最新一轮融资筹了多少钱？",
    "en": "How much money did OpenAI raise in its latest round?",
}
FUNDING = "On 2 October 2024, OpenAI announced that it had raised US$6.6 billion."
ELSEWHERE = "Humane was founded by former Apple executives."


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def remote(fake: FakeOpenAI) -> Iterator[RemoteEmbedder]:
    embedder = RemoteEmbedder(base_url=fake.base_url, model="fake-embedding", api_key="sk-x")
    yield embedder
    embedder.close()


class Counting(RemoteEmbedder):
    """The remote embedder, counting the passages it was asked to embed."""

    embedded = 0

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        Counting.embedded += len(texts)
        return super().passages(texts)


@pytest.mark.parametrize("language", list(QUESTIONS))
def test_bundled_embedder_puts_a_question_near_its_answer_in_every_script(
        language: str) -> None:
    embedder = bundled_embedder()
    [question] = embedder.queries([QUESTIONS[language]])
    answer, other = embedder.passages([FUNDING, ELSEWHERE])
    assert question.shape == (384,) and abs(float(np.linalg.norm(question)) - 1) < 1e-3
    assert float(answer @ question) > float(other @ question)


def test_remote_embedder_calls_the_embeddings_api(fake: FakeOpenAI,
                                                  remote: RemoteEmbedder) -> None:
    vectors = remote.passages([FUNDING, ELSEWHERE, "third"])
    assert vectors.shape == (3, fake.embedding_dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)
    [request] = fake.embedding_requests
    assert request["model"] == "fake-embedding" and len(request["input"]) == 3
    remote.queries(["same question"])
    remote.queries(["same question"])  # asked again: answered from memory
    assert len(fake.embedding_requests) == 2


def test_remote_embedder_failure_is_an_embedding_error(fake: FakeOpenAI,
                                                       remote: RemoteEmbedder) -> None:
    fake.fail_next(500)
    with pytest.raises(EmbeddingError):
        remote.passages([FUNDING])


def test_shipped_vectors_cover_the_bundled_knowledge() -> None:
    """Tests, CI and a first start never embed the bundled knowledge: its vectors ship.
    When this fails, run ``python -m bot knowledge vectors`` and commit the file."""
    name, vectors = shipped_vectors()
    knowledge = load_knowledge_file(BUNDLED_KNOWLEDGE)
    missing = [fact.id for fact in knowledge.facts for text in passage_texts(fact)
               if text_hash(text) not in vectors]
    assert name == BUNDLED_NAME and missing == []


def test_store_rebuilds_its_vectors_when_the_embedder_changes(
        fresh_database: Path, remote: RemoteEmbedder, fake: FakeOpenAI) -> None:
    store = KnowledgeStore.open(fresh_database, embedder=remote)
    try:
        load_at_startup(store, BUNDLED_KNOWLEDGE)
        dimensions = {len(row["vector"]) // 2 for row in store.db.query(
            "SELECT vector FROM fact_vectors")}
        assert store.meta("embedder") == remote.name and dimensions == {48}
        assert retrieve_facts(store, QUESTIONS["en"]).relevance is not Relevance.NONE
    finally:
        store.close()
    back = KnowledgeStore.open(fresh_database)
    try:
        load_at_startup(back, BUNDLED_KNOWLEDGE)
        dimensions = {len(row["vector"]) // 2 for row in back.db.query(
            "SELECT vector FROM fact_vectors")}
        assert back.meta("embedder") == BUNDLED_NAME and dimensions == {384}
    finally:
        back.close()


def test_each_text_is_embedded_once(fresh_database: Path, fake: FakeOpenAI) -> None:
    embedder = Counting(base_url=fake.base_url, model="fake-embedding")
    store = KnowledgeStore.open(fresh_database, embedder=embedder)
    try:
        load_at_startup(store, BUNDLED_KNOWLEDGE)
        first = Counting.embedded
        article = parse_article(b"Frost module\nThe Frost module cools AI chips.\n")
        ingest_article(store, article, actor="t")
        after_ingest = Counting.embedded
        rollback(store, actor="t")
        ingest_article(store, parse_article(
            b"Frost module\nThe Frost module cools AI chips.\nIt ships in 2026.\n"),
            actor="t")
    finally:
        store.close()
        embedder.close()
    assert first > 0 and after_ingest - first == 2  # the title and the paragraph
    assert Counting.embedded - after_ingest == 1  # only the new paragraph


async def test_engine_answers_with_a_remote_embedder(make_engine: EngineFactory,
                                                     fresh_database: Path,
                                                     remote: RemoteEmbedder) -> None:
    store = KnowledgeStore.open(fresh_database, embedder=remote)
    load_at_startup(store, BUNDLED_KNOWLEDGE)
    store.close()
    engine = make_engine(KnowledgeService(fresh_database, embedder=remote))
    answer = await engine.answer("When was Figure AI founded?")
    assert answer.answered and all(16 in c.paragraphs for c in answer.citations)


class LockWatching(Counting):
    """Counts, and records whether each embedding ran while the store held a transaction."""

    store: KnowledgeStore | None = None
    inside_transaction: ClassVar[list[bool]] = []

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.store is not None:
            LockWatching.inside_transaction.append(self.store.db.conn.in_transaction)
        return super().passages(texts)


def test_changes_embed_before_the_write_lock_and_keep_what_they_embed(
        fresh_database: Path, fake: FakeOpenAI) -> None:
    """Vectors a change finds missing (a database from before a change of what is embedded)
    are computed before its write lock, once: the next change embeds nothing."""
    embedder = LockWatching(base_url=fake.base_url, model="fake-embedding")
    store = KnowledgeStore.open(fresh_database, embedder=embedder)
    try:
        load_at_startup(store, BUNDLED_KNOWLEDGE)
        long_paragraph = "The Frost module cools AI chips by fifteen degrees. " * 12
        ingest_article(store, parse_article(f"Frost module\n{long_paragraph}\n".encode()),
                       actor="t")
        store.db.execute("DELETE FROM vector_cache")
        store.db.conn.commit()
        embedder.store, LockWatching.inside_transaction = store, []
        rollback(store, actor="t")  # serves the curated knowledge only
        rollback(store, "2", actor="t")  # the article again: its passages are missing
        first = Counting.embedded
        rollback(store, actor="t")
        rollback(store, "2", actor="t")
    finally:
        store.close()
        embedder.close()
    assert LockWatching.inside_transaction and not any(LockWatching.inside_transaction)
    assert Counting.embedded == first
