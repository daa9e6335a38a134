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
            "entities": str, "period": str, "keywords": str,
        },
        pk="pk",
    )
    db.table("facts").create_index(["id"], unique=True)
    db.table("facts").create_index(["source"])
    # The columns hold tokens made by knowledge.text; unicode61 only splits them on spaces.
    # tags: the entity and synonym tokens of the fact (knowledge.terms); chars: its
    # Chinese characters one by one, for questions that leave a character on its own.
    db.execute(
        "CREATE VIRTUAL TABLE facts_fts USING fts5("
        "zh, en, tags, keywords, chars, tokenize = 'unicode61 remove_diacritics 0')"
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
