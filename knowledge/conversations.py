"""Conversation memory: the last turns of each conversation, kept in the database.

A turn is one question and the answer given, with the ids of the facts the
answer cited, so a follow-up question can be searched with its context and
``/sources`` can show what the last answer relied on. Memory survives a restart.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from knowledge.schema import Script
from knowledge.store import KnowledgeStore, StoreError, utc_now


@dataclass(frozen=True)
class Turn:
    """One question of a conversation and the answer it got."""

    question: str
    answer: str
    language: Script
    answered: bool
    sources: list[dict] = field(default_factory=list)
    search_text: str = ""
    created_at: str = ""


def record_turn(store: KnowledgeStore, conversation: str, turn: Turn, *, keep: int) -> None:
    """Add a turn to a conversation and forget all but its last ``keep`` turns."""
    row = {
        "conversation": conversation, "question": turn.question, "answer": turn.answer,
        "language": turn.language, "answered": int(turn.answered),
        "sources": json.dumps(turn.sources, ensure_ascii=False),
        "search_text": turn.search_text, "created_at": turn.created_at or utc_now(),
    }
    try:
        with store.write_transaction():
            store.db.table("turns").insert(row, alter=False)
            store.db.execute(
                "DELETE FROM turns WHERE conversation = ? AND id NOT IN "
                "(SELECT id FROM turns WHERE conversation = ? ORDER BY id DESC LIMIT ?)",
                [conversation, conversation, max(keep, 1)],
            )
    except sqlite3.Error as error:
        raise StoreError(f"cannot record the conversation: {error}") from error


def recent_turns(store: KnowledgeStore, conversation: str, *, limit: int) -> list[Turn]:
    """The last ``limit`` turns of a conversation, oldest first."""
    rows = list(store.db.query(
        "SELECT question, answer, language, answered, sources, search_text, created_at "
        "FROM turns WHERE conversation = ? ORDER BY id DESC LIMIT ?",
        [conversation, limit],
    ))
    return [
        Turn(question=row["question"], answer=row["answer"], language=row["language"],
             answered=bool(row["answered"]), sources=json.loads(row["sources"]),
             search_text=row["search_text"] or "", created_at=row["created_at"])
        for row in reversed(rows)
    ]


def forget_conversation(store: KnowledgeStore, conversation: str) -> int:
    """Delete every turn of a conversation; return how many were deleted."""
    try:
        with store.write_transaction():
            cursor = store.db.execute("DELETE FROM turns WHERE conversation = ?", [conversation])
    except sqlite3.Error as error:
        raise StoreError(f"cannot reset the conversation: {error}") from error
    return cursor.rowcount
