"""The question log behind /stats, and the admin audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from knowledge.store import KnowledgeStore
from knowledge.usage import (
    QuestionRecord,
    recent_actions,
    record_action,
    record_question,
    usage_report,
)


def record(store: KnowledgeStore, *, answered: bool, seconds: float, language: str = "en",
           question: str = "q", **extra: object) -> None:
    record_question(store, QuestionRecord(
        language=language, outcome="answered" if answered else "not_covered",
        answered=answered, backend="openai", fallback=bool(extra.get("fallback")),
        llm_error=extra.get("llm_error"), seconds=seconds,  # type: ignore[arg-type]
        prompt_tokens=100, completion_tokens=20, question=question))


def test_usage_report_counts_periods_languages_failures_and_timings(
        fresh_store: KnowledgeStore) -> None:
    for index in range(20):
        record(fresh_store, answered=index % 4 != 0, seconds=0.1 * (index + 1),
               language="zh-Hant" if index % 2 else "en", question="Pizza?",
               fallback=index == 3, llm_error="timeout" if index == 3 else None)
    fresh_store.db.execute("UPDATE questions SET asked_at = ? WHERE id <= 5",
                           [(datetime.now(UTC) - timedelta(days=3)).isoformat()])
    report = usage_report(fresh_store)
    assert report.periods["all"].questions == 20 and report.periods["day"].questions == 15
    assert report.periods["week"].questions == 20
    assert (report.periods["all"].answered, report.periods["all"].declined) == (15, 5)
    assert report.by_language == {"en": 10, "zh-Hant": 10}
    assert (report.fallbacks, report.llm_errors) == (1, {"timeout": 1})
    assert report.median_seconds is not None and abs(report.median_seconds - 1.05) < 1e-6
    assert report.p95_seconds is not None and abs(report.p95_seconds - 1.9) < 1e-6
    assert (report.prompt_tokens, report.completion_tokens) == (2000, 400)
    assert report.top_declined == [("pizza?", 5)]


def test_usage_keeps_only_the_text_of_declined_questions(fresh_store: KnowledgeStore) -> None:
    record(fresh_store, answered=True, seconds=0.1, question="private answered question")
    texts = fresh_store.db.execute("SELECT declined_text FROM questions").fetchall()
    assert texts == [(None,)]


def test_audit_records_an_action_whose_detail_no_utf8_text_can_hold(
        fresh_store: KnowledgeStore) -> None:
    record_action(fresh_store, actor="cli", action="remove-source", detail="\ud800x",
                  result="refused: unknown_source")
    assert recent_actions(fresh_store)[0]["detail"] == "x"


def test_audit_records_allowed_and_refused_actions(fresh_store: KnowledgeStore) -> None:
    record_action(fresh_store, actor="telegram:1", action="reload", detail="",
                  result="refused: not an admin")
    record_action(fresh_store, actor="telegram:9", action="upload", detail="a.yaml",
                  result="ok: +1 facts")
    latest, first = recent_actions(fresh_store)
    assert (latest["actor"], latest["result"]) == ("telegram:9", "ok: +1 facts")
    assert first["result"].startswith("refused")
