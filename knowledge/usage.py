"""What happened to the questions asked: the log behind /stats, and the admin audit trail."""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from knowledge.store import KnowledgeStore, StoreError, utc_now
from knowledge.text import clean, normalize

PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7)}
REPEAT_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class QuestionRecord:
    """One answered (or declined) question, without who asked it."""

    language: str
    outcome: str
    answered: bool
    backend: str
    fallback: bool
    llm_error: str | None
    seconds: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    question: str = ""


@dataclass
class PeriodCounts:
    """Counts for one period (last day, last week, all time)."""

    questions: int = 0
    answered: int = 0
    declined: int = 0


@dataclass
class UsageReport:
    """Everything /stats shows."""

    periods: dict[str, PeriodCounts] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    fallbacks: int = 0
    llm_errors: dict[str, int] = field(default_factory=dict)
    median_seconds: float | None = None
    p95_seconds: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    top_declined: list[tuple[str, int]] = field(default_factory=list)


def record_question(store: KnowledgeStore, record: QuestionRecord) -> None:
    """Log one question. Only declined questions keep their text: they show what to add next."""
    row = {
        "asked_at": utc_now(), "language": record.language, "outcome": record.outcome,
        "answered": int(record.answered), "backend": record.backend,
        "fallback": int(record.fallback), "llm_error": record.llm_error,
        "seconds": round(record.seconds, 4), "prompt_tokens": record.prompt_tokens,
        "completion_tokens": record.completion_tokens,
        "declined_text": None if record.answered else normalize(record.question).strip()[:200],
    }
    try:
        with store.write_transaction():
            store.db.table("questions").insert(row)
    except sqlite3.Error as error:
        raise StoreError(f"cannot log the question: {error}") from error


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank; values not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def usage_report(store: KnowledgeStore, *, now: datetime | None = None,
                 top: int = 5) -> UsageReport:
    """Counts for the last day, week and all time, languages, failures, timings, tokens."""
    now = now or datetime.now(UTC)
    rows = store.db.query(
        "SELECT asked_at, language, answered, fallback, llm_error, seconds, prompt_tokens, "
        "completion_tokens, declined_text FROM questions")
    report = UsageReport(periods={name: PeriodCounts() for name in (*PERIODS, "all")})
    declined: dict[str, int] = {}
    seconds = []
    for row in rows:
        _count_question(report, row, now - datetime.fromisoformat(row["asked_at"]))
        seconds.append(row["seconds"])
        if row["declined_text"]:
            declined[row["declined_text"]] = declined.get(row["declined_text"], 0) + 1
    report.median_seconds = statistics.median(seconds) if seconds else None
    report.p95_seconds = percentile(seconds, 0.95) if seconds else None
    report.top_declined = sorted(declined.items(), key=lambda item: (-item[1], item[0]))[:top]
    return report


def _count_question(report: UsageReport, row: dict[str, Any], age: timedelta) -> None:
    """Add one question (a row of the questions table, asked ``age`` ago) to the counts."""
    for name, counts in report.periods.items():
        if name == "all" or age <= PERIODS[name]:
            counts.questions += 1
            counts.answered += row["answered"]
            counts.declined += 1 - row["answered"]
    report.by_language[row["language"]] = report.by_language.get(row["language"], 0) + 1
    report.fallbacks += row["fallback"]
    if row["llm_error"]:
        report.llm_errors[row["llm_error"]] = report.llm_errors.get(row["llm_error"], 0) + 1
    report.prompt_tokens += row["prompt_tokens"] or 0
    report.completion_tokens += row["completion_tokens"] or 0


def record_action(store: KnowledgeStore, *, actor: str, action: str, detail: str,
                  result: str, now: datetime | None = None) -> None:
    """Write one admin action, allowed or refused, to the audit table.

    The same refusal again within REPEAT_WINDOW adds to the count of its row: a flood
    of refused commands is one row saying how many there were.
    """
    now = now or datetime.now(UTC)
    at = now.isoformat(timespec="seconds")
    # What an admin typed may hold what no UTF-8 text can (a lone surrogate): the row is
    # still written, without it.
    actor, detail, result = clean(actor), clean(detail), clean(result)
    try:
        with store.write_transaction():
            if result.startswith("refused") and (repeated := _recent_same(
                    store, actor=actor, action=action, result=result, since=now - REPEAT_WINDOW)):
                store.db.execute("UPDATE audit SET count = count + 1, last_at = ? WHERE id = ?",
                                 [at, repeated])
                return
            store.db.table("audit").insert({"at": at, "actor": actor, "action": action,
                                            "detail": detail[:500], "result": result[:500],
                                            "count": 1, "last_at": at})
    except sqlite3.Error as error:
        raise StoreError(f"cannot write the audit log: {error}") from error


def _recent_same(store: KnowledgeStore, *, actor: str, action: str, result: str,
                 since: datetime) -> int | None:
    """The id of the latest audit row for the same outcome, when it is recent enough."""
    rows = list(store.db.query(
        "SELECT id, coalesce(last_at, at) AS last FROM audit WHERE actor = ? AND action = ? "
        "AND result = ? ORDER BY id DESC LIMIT 1", [actor, action, result[:500]]))
    if rows and datetime.fromisoformat(rows[0]["last"]) >= since:
        return int(rows[0]["id"])
    return None


def recent_actions(store: KnowledgeStore, *, limit: int = 20) -> list[dict[str, object]]:
    """The latest audit entries, newest first, with how many times each happened."""
    return list(store.db.query(
        "SELECT at, actor, action, detail, result, count FROM audit ORDER BY id DESC LIMIT ?",
        [limit]))
