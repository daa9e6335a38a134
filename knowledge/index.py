"""Building the served index of a knowledge state: facts, full-text columns and vectors.

Everything here runs inside the store's replace transaction, except
``prepare_vectors``, which computes the vectors a state still lacks beforehand (it
takes seconds, and no lock should be held meanwhile).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable

from sqlite_utils import Database

from knowledge.articles import Passage, article_passages
from knowledge.embeddings import Embedder
from knowledge.schema import Fact
from knowledge.state import KnowledgeState, article_source
from knowledge.terms import TermMatcher, entity_token
from knowledge.text import index_characters, index_text, mainland_variants
from knowledge.vectors import cached_vectors, embed_missing, keep, text_hash, to_blob

Item = Fact | Passage
# What the index holds for the same knowledge: a change here rebuilds every database's index.
INDEX_FORMAT = "2"


def state_items(state: KnowledgeState) -> list[Item]:
    """The facts and article passages a state serves, in index order."""
    return [*state.knowledge.facts, *article_passages(state.articles)]


# Embedding costs about a millisecond per Chinese character here; a passage's opening carries
# its subject, and its whole text is still searched word by word. Longer than every curated
# statement (at most 256 characters), so their shipped vectors stay the ones used.
MAX_EMBEDDED_CHARACTERS = 300


def passage_texts(item: Item) -> list[str]:
    """The texts of a fact that are embedded: each statement it has (Chinese, English), up to
    MAX_EMBEDDED_CHARACTERS of it."""
    return [text[:MAX_EMBEDDED_CHARACTERS] for text in (item.zh, item.en) if text.strip()]


def prepare_vectors(connection: sqlite3.Connection, items: Iterable[Item],
                    embedder: Embedder, *, abandon: threading.Event | None = None) -> int:
    """Compute (and cache) the vectors the items lack; return how many were computed
    (VectorError once ``abandon`` is set)."""
    return embed_missing(connection, embedder,
                         (text for item in items for text in passage_texts(item)),
                         abandon=abandon)


def fts_columns(fact: Item, matcher: TermMatcher) -> tuple[str, str, str, str, str]:
    """The index columns of a fact: zh, en, tags, keywords, chars (space-separated tokens).

    The keywords include the mainland words for the fact's Taiwan wording (新創 → 初创).
    """
    listed = [entity_token(entity_id) for entity_id in fact.entities]
    tags = dict.fromkeys(listed + matcher.tags([fact.zh, fact.en, *fact.keywords]))
    keywords = [*fact.keywords, *mainland_variants(fact.zh)]
    return (index_text([fact.zh]), index_text([fact.en]), " ".join(tags),
            index_text(keywords), index_characters([fact.zh, *keywords]))


def fact_row(fact: Item, position: int, columns: tuple[str, ...]) -> dict[str, object]:
    """The ``facts`` row of a fact."""
    return {
        "pk": position, "id": fact.id, "source": fact.source,
        "paragraphs": json.dumps(fact.paragraphs), "zh": fact.zh, "en": fact.en,
        "entities": json.dumps(list(fact.entities)), "period": fact.period,
        "keywords": json.dumps(list(fact.keywords), ensure_ascii=False),
        "tokens": " ".join(dict.fromkeys(" ".join(columns).split())),
        "question": fact.question.model_dump_json() if fact.question else None,
    }


def insert_state(db: Database, state: KnowledgeState, embedder: Embedder) -> None:
    """Insert a state's sources, entities, synonyms, facts, full-text rows and vectors."""
    knowledge = state.knowledge
    sources = [("curated", source) for source in knowledge.sources] + [
        ("article", article_source(article)) for article in state.articles]
    db.table("sources").insert_all(
        {"id": source.id, "kind": kind, "data": source.model_dump_json(), "position": index}
        for index, (kind, source) in enumerate(sources))
    db.table("entities").insert_all(
        {"id": entity.id, "kind": entity.kind, "data": entity.model_dump_json()}
        for entity in knowledge.entities)
    db.table("synonyms").insert_all(
        {"id": group.id, "data": group.model_dump_json()} for group in knowledge.synonyms)
    matcher = TermMatcher(knowledge.entities, knowledge.synonyms)
    items = state_items(state)
    columns = [(position, fact, fts_columns(fact, matcher))
               for position, fact in enumerate(items, start=1)]
    db.table("facts").insert_all(fact_row(fact, position, fts) for position, fact, fts in columns)
    db.conn.executemany(
        "INSERT INTO facts_fts (rowid, zh, en, tags, keywords, chars) "
        "VALUES (?, ?, ?, ?, ?, ?)", [(position, *fts) for position, _, fts in columns])
    insert_vectors(db, items, embedder)


def insert_vectors(db: Database, items: list[Item], embedder: Embedder) -> None:
    """One row per statement: the fact's position and the statement's vector."""
    texts = [(position, text) for position, item in enumerate(items, start=1)
             for text in passage_texts(item)]
    known = cached_vectors(db.conn, embedder.name, [text_hash(text) for _, text in texts])
    missing = list(dict.fromkeys(text for _, text in texts if text_hash(text) not in known))
    if missing:  # not prepared beforehand: computed now, inside the transaction, and kept
        computed = [(embedder.name, text_hash(text), to_blob(vector))
                    for text, vector in zip(missing, embedder.passages(missing), strict=True)]
        keep(db.conn, computed)
        known.update({digest: blob for _, digest, blob in computed})
    db.conn.executemany("INSERT INTO fact_vectors (fact_pk, vector) VALUES (?, ?)",
                        [(position, known[text_hash(text)]) for position, text in texts])
