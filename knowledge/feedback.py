"""Answers given in chats and the votes on them: what the buttons under an answer act on.

An answer is kept under a short random key, which its buttons carry instead of
any text (Telegram allows 64 bytes of callback data). A vote is one per user and
answer; a user may change it. Answers nobody voted on are forgotten after
``KEEP_ANSWERS``; their buttons then say they have expired.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from knowledge.store import KnowledgeStore, StoreError, utc_now

KEEP_ANSWERS = timedelta(days=30)
# Pruning costs a scan of the old rows: done on one insert in this many.
PRUNE_EVERY = 200
VoteOutcome = Literal["recorded", "changed", "unchanged", "expired"]


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as its buttons need it: the question, the text, citations, suggestions."""

    key: str
    conversation: str | None  # None once the conversation was forgotten (/reset)
    question: str
    answer: str
    language: str
    outcome: str
    citations: list[dict] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    version: str | None = None
    created_at: str = ""

    @property
    def forgotten(self) -> bool:
        """Whether its conversation was forgotten: its buttons have expired."""
        return self.conversation is None


@dataclass(frozen=True)
class DownVoted:
    """An answer users voted down, for admins to look at."""

    question: str
    answer: str
    down: int
    up: int


@dataclass
class VoteReport:
    """The votes behind /stats: how many answers were voted on, up and down."""

    answers: int = 0
    voted_up: int = 0
    voted_down: int = 0
    most_down: list[DownVoted] = field(default_factory=list)


def record_answer(store: KnowledgeStore, record: AnswerRecord, *,
                  now: datetime | None = None) -> None:
    """Keep an answer under its key (and, now and then, forget old unvoted answers)."""
    now = now or datetime.now(UTC)
    row = {
        "key": record.key, "conversation": record.conversation, "question": record.question,
        "answer": record.answer, "language": record.language, "outcome": record.outcome,
        "citations": json.dumps(record.citations, ensure_ascii=False),
        "suggestions": json.dumps(record.suggestions, ensure_ascii=False),
        "version": record.version, "created_at": record.created_at or utc_now(),
    }
    try:
        with store.write_transaction():
            table = store.db.table("answers")
            table.insert(row, replace=True)
            if (table.last_rowid or 0) % PRUNE_EVERY == 0:
                forget_old_answers(store, before=now - KEEP_ANSWERS)
    except sqlite3.Error as error:
        raise StoreError(f"cannot keep the answer: {error}") from error


def forget_old_answers(store: KnowledgeStore, *, before: datetime) -> int:
    """Forget the answers older than ``before`` that nobody voted on; return how many."""
    cursor = store.db.execute(
        "DELETE FROM answers WHERE created_at < ? AND key NOT IN "
        "(SELECT answer_key FROM votes)", [before.isoformat(timespec="seconds")])
    return cursor.rowcount


def forget_conversation_answers(store: KnowledgeStore, conversation: str) -> int:
    """Forget a conversation's answers: their buttons expire. Those someone voted on keep
    their question and text for /stats, detached from the conversation."""
    try:
        with store.write_transaction():
            cursor = store.db.execute(
                "DELETE FROM answers WHERE conversation = ? AND key NOT IN "
                "(SELECT answer_key FROM votes)", [conversation])
            store.db.execute(
                "UPDATE answers SET conversation = NULL, citations = '[]', suggestions = '[]' "
                "WHERE conversation = ?", [conversation])
    except sqlite3.Error as error:
        raise StoreError(f"cannot forget the answers: {error}") from error
    return cursor.rowcount


def answer_record(store: KnowledgeStore, key: str) -> AnswerRecord | None:
    """The answer kept under ``key``, or None when there is none (any more)."""
    rows = list(store.db.query("SELECT * FROM answers WHERE key = ?", [key]))
    if not rows:
        return None
    row = rows[0]
    return AnswerRecord(
        key=row["key"], conversation=row["conversation"], question=row["question"],
        answer=row["answer"], language=row["language"], outcome=row["outcome"],
        citations=json.loads(row["citations"] or "[]"),
        suggestions=json.loads(row["suggestions"] or "[]"), version=row["version"],
        created_at=row["created_at"])


def record_vote(store: KnowledgeStore, *, key: str, voter: int, vote: int) -> VoteOutcome:
    """Count a user's vote (+1 or -1) on an answer, once per user; a new vote replaces theirs."""
    if vote not in (1, -1):
        raise ValueError("a vote is +1 or -1")
    try:
        with store.write_transaction():
            if not list(store.db.query("SELECT 1 FROM answers WHERE key = ?", [key])):
                return "expired"
            earlier = list(store.db.query(
                "SELECT vote FROM votes WHERE answer_key = ? AND voter = ?", [key, voter]))
            if earlier and earlier[0]["vote"] == vote:
                return "unchanged"
            store.db.table("votes").upsert(
                {"answer_key": key, "voter": voter, "vote": vote, "voted_at": utc_now()},
                pk=("answer_key", "voter"))
    except sqlite3.Error as error:
        raise StoreError(f"cannot count the vote: {error}") from error
    return "changed" if earlier else "recorded"


def vote_report(store: KnowledgeStore, *, top: int = 5) -> VoteReport:
    """How many answers were given, how many voted up and down (by most votes), and the
    answers with the most down votes."""
    answers = store.db.execute("SELECT count(*) FROM answers").fetchone()[0]
    totals = list(store.db.query(
        "SELECT sum(up > down) AS up, sum(down > up) AS down FROM "
        "(SELECT sum(vote > 0) AS up, sum(vote < 0) AS down FROM votes GROUP BY answer_key)"))
    most_down = [DownVoted(question=row["question"], answer=row["answer"], down=row["down"],
                           up=row["up"]) for row in store.db.query(
        "SELECT answers.question, answers.answer, sum(votes.vote < 0) AS down, "
        "sum(votes.vote > 0) AS up FROM votes JOIN answers ON answers.key = votes.answer_key "
        "GROUP BY votes.answer_key HAVING down > 0 ORDER BY down DESC, up ASC, "
        "max(votes.voted_at) DESC LIMIT ?", [top])]
    return VoteReport(answers=answers, voted_up=totals[0]["up"] or 0,
                      voted_down=totals[0]["down"] or 0, most_down=most_down)
