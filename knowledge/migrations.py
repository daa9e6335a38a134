"""Named schema migrations for the bot's SQLite database.

Each migration runs once, in order, in a transaction, and is recorded by
sqlite-utils in ``_sqlite_migrations``. An applied migration is never edited:
a change to the schema is a new migration appended below.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("openai-hardware-bot")


@migrations()
def m001_create_knowledge(db: Database) -> None:
    """Sources, entities and facts, with a full-text index over normalised tokens."""
    db.table("sources").create({"id": str, "kind": str, "data": str, "position": int}, pk="id")
    db.table("entities").create({"id": str, "kind": str, "data": str}, pk="id")
    db.table("synonyms").create({"id": str, "data": str}, pk="id")
    db.table("facts").create(
        {
            "pk": int, "id": str, "source": str, "paragraphs": str, "zh": str, "en": str,
            "entities": str, "period": str, "keywords": str, "tokens": str,
        },
        pk="pk",
    )
    db.table("facts").create_index(["id"], unique=True)
    db.table("facts").create_index(["source"])
    # The columns hold tokens made by knowledge.text; unicode61 only splits them on spaces.
    # tags: the entity and synonym tokens of the fact (knowledge.terms); chars: its
    # Chinese characters one by one, for questions that leave a character on its own.
    # Contentless: facts.tokens keeps each fact's tokens, so the index stores them once.
    db.execute(
        "CREATE VIRTUAL TABLE facts_fts USING fts5("
        "zh, en, tags, keywords, chars, content = '', "
        "tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.execute("CREATE VIRTUAL TABLE facts_vocab USING fts5vocab(facts_fts, row)")
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_create_turns(db: Database) -> None:
    """Conversation memory: the recent questions and answers of each conversation."""
    db.table("turns").create(
        {
            "id": int, "conversation": str, "question": str, "answer": str, "language": str,
            "answered": int, "sources": str, "search_text": str, "created_at": str,
        },
        pk="id",
    )
    db.table("turns").create_index(["conversation", "id"])


@migrations()
def m003_create_versions(db: Database) -> None:
    """Every state the knowledge has been in: curated file content and ingested articles."""
    db.table("versions").create(
        {
            "id": int, "created_at": str, "actor": str, "action": str, "summary": str,
            "content_hash": str, "knowledge": str, "articles": str, "file_hash": str,
        },
        pk="id",
    )


@migrations()
def m004_create_articles(db: Database) -> None:
    """Articles uploaded by admins, kept once each (by content hash) for every version."""
    db.table("articles").create(
        {
            "id": str, "content_hash": str, "title": str, "text": str, "paragraphs": int,
            "chinese": int, "encoding": str, "added_at": str, "added_by": str,
        },
        pk="id",
    )
    db.table("articles").create_index(["content_hash"], unique=True)


@migrations()
def m005_create_questions(db: Database) -> None:
    """One row per question asked through Telegram, for /stats."""
    db.table("questions").create(
        {
            "id": int, "asked_at": str, "language": str, "outcome": str, "answered": int,
            "backend": str, "fallback": int, "llm_error": str, "seconds": float,
            "prompt_tokens": int, "completion_tokens": int, "declined_text": str,
        },
        pk="id",
    )
    db.table("questions").create_index(["asked_at"])


@migrations()
def m006_create_audit(db: Database) -> None:
    """Every admin action, allowed or refused: who, when, what, and the result."""
    db.table("audit").create(
        {"id": int, "at": str, "actor": str, "action": str, "detail": str, "result": str},
        pk="id",
    )


@migrations()
def m007_count_repeated_audit_entries(db: Database) -> None:
    """A refusal repeated within a minute adds to one audit row instead of a row each."""
    db.table("audit").add_column("count", int, not_null_default=1)
    db.table("audit").add_column("last_at", str)


@migrations()
def m008_create_vectors(db: Database) -> None:
    """Sentence vectors: every passage's, kept by embedder and content hash (never computed
    twice for the same text), and the served index's, one row per fact statement."""
    db.table("vector_cache").create(
        {"embedder": str, "text_hash": str, "vector": bytes}, pk=("embedder", "text_hash"))
    db.table("fact_vectors").create({"id": int, "fact_pk": int, "vector": bytes}, pk="id")
    db.table("fact_vectors").create_index(["fact_pk"])


@migrations()
def m009_create_answers_and_votes(db: Database) -> None:
    """The answers the bot gave in chats, by a short key its buttons carry (suggested
    questions, sources, votes), and the votes users gave them, one per user and answer."""
    db.table("answers").create(
        {"key": str, "conversation": str, "question": str, "answer": str, "language": str,
         "outcome": str, "citations": str, "suggestions": str, "version": str,
         "created_at": str},
        pk="key",
    )
    db.table("answers").create_index(["created_at"])
    db.table("answers").create_index(["conversation"])
    db.table("votes").create(
        {"answer_key": str, "voter": int, "vote": int, "voted_at": str},
        pk=("answer_key", "voter"),
    )


@migrations()
def m010_add_fact_questions(db: Database) -> None:
    """A suggested question per fact (JSON: zh and en), offered as a button under answers."""
    db.table("facts").add_column("question", str)
