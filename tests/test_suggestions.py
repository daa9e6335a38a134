"""Suggested questions and the answers kept for buttons: what a tap relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import Engine
from bot.language import Script, to_script
from bot.suggestions import fact_question, same_question, suggest_questions
from handlers.keyboards import CALLBACK_DATA_LIMIT, Tap, answer_keyboard, callback_data, parse_tap
from knowledge.feedback import (
    AnswerRecord,
    answer_record,
    forget_old_answers,
    record_answer,
    record_vote,
    vote_report,
)
from knowledge.schema import KnowledgeFile
from knowledge.store import FactRecord, KnowledgeStore
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.models import chat_client_for

SCRIPTS: list[Script] = ["zh-Hant", "zh-Hans", "en"]


def fact(fact_id: str, *, zh: str = "", en: str = "", asked: tuple[str, str] | None = None
         ) -> FactRecord:
    return FactRecord(id=fact_id, source="s", paragraphs=(1,), zh=zh, en=en, entities=(),
                      period=None, question_zh=asked[0] if asked else None,
                      question_en=asked[1] if asked else None)


def fact_questions(knowledge: KnowledgeFile, language: Script) -> list[tuple[str, str]]:
    """Every curated fact's id and its suggested question in a script."""
    return [(f.id, f.question.en if language == "en" else to_script(f.question.zh, language))
            for f in knowledge.facts if f.question]


def test_knowledge_every_fact_has_a_distinct_short_question(
        bundled_knowledge: KnowledgeFile) -> None:
    questions = [f.question for f in bundled_knowledge.facts]
    assert all(questions)
    assert len({q.en for q in questions if q}) == len(questions)
    assert all(len(q.en) <= 64 and len(q.zh) <= 30 for q in questions if q)


@pytest.mark.slow
@pytest.mark.parametrize("language", SCRIPTS)
async def test_suggestions_every_fact_question_is_answered_by_its_fact(
        offline_engine: Engine, bundled_knowledge: KnowledgeFile, language: Script) -> None:
    """A tapped suggestion gets the fact it was offered for (the buttons never lead to a
    decline or to another subject)."""
    missed = []
    for fact_id, question in fact_questions(bundled_knowledge, language):
        answer = await offline_engine.answer(question)
        if not answer.answered or fact_id not in [c.fact_id for c in answer.citations]:
            missed.append((fact_id, question))
    assert len(missed) <= 2, missed


@pytest.mark.parametrize("language", SCRIPTS)
def test_suggest_questions_skip_shown_facts_repeats_and_other_languages(
        language: Script) -> None:
    candidates = [
        fact("shown", zh="甲", en="a", asked=("已顯示？", "Shown?")),
        fact("same", zh="乙", en="b", asked=("OpenAI 募了多少錢？", "How much did OpenAI raise?")),
        fact("new", zh="丙", en="c", asked=("誰幫 OpenAI 造晶片？", "Who builds OpenAI's chip?")),
        fact("english-passage", en="An English article says robots are coming. More."),
        fact("chinese-passage", zh="一篇中文文章說機器人要來了。更多內容"),
    ]
    asked = "How much did OpenAI raise?" if language == "en" else to_script(
        "OpenAI 募了多少錢？", language)
    chosen = suggest_questions(candidates, language=language, asked=asked, shown={"shown"})
    if language == "en":
        assert chosen == ["Who builds OpenAI's chip?", "An English article says robots are coming"]
    else:
        assert chosen == [to_script("誰幫 OpenAI 造晶片？", language),
                          to_script("一篇中文文章說機器人要來了", language)]


def test_fact_question_cuts_long_passages_for_a_button() -> None:
    passage = fact("p", zh="這是一段非常非常長而且沒有標點符號的中文段落內容"
                        "一直延伸下去直到超過按鈕長度")
    label = fact_question(passage, "zh-Hant")
    assert label is not None and label.endswith("…") and len(label) <= 25
    assert same_question("How much, did OpenAI raise?", "how much did openai raise")


def test_callback_data_stays_within_telegrams_limit_and_round_trips() -> None:
    key = "k" * 32  # the longest key a button may carry
    for tap in (Tap("ask", key, 2), Tap("src", key), Tap("vote", key, 1)):
        data = callback_data(tap)
        assert len(data.encode()) <= CALLBACK_DATA_LIMIT and parse_tap(data) == tap
    for junk in ("", "ask:", "ask:key:x", "vote:k" + "k" * 40 + ":1", "ask:ké:1", None,
                 "vote:key:7", "vote:key", "src:key:9", "ask:key:1\n", " src:key"):
        assert parse_tap(junk) is None


async def test_answer_keyboard_carries_keys_never_text(offline_engine: Engine) -> None:
    answer = await offline_engine.answer("When was Figure AI founded?", "c1", log=True)
    markup = answer_keyboard(answer)
    assert markup is not None and answer.key
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert all(isinstance(d, str) and answer.key in d and len(d.encode()) <= 64 for d in data)
    assert not any(question in str(data) for question in answer.suggestions)


def kept(key: str, *, conversation: str = "c", created_at: str = "") -> AnswerRecord:
    return AnswerRecord(key=key, conversation=conversation, question="q", answer="a",
                        language="en", outcome="answered", suggestions=["next?"],
                        created_at=created_at)


def test_feedback_votes_once_per_user_and_answer(fresh_store: KnowledgeStore) -> None:
    record_answer(fresh_store, kept("a1"))
    record_answer(fresh_store, kept("a2"))
    assert record_vote(fresh_store, key="a1", voter=1, vote=-1) == "recorded"
    assert record_vote(fresh_store, key="a1", voter=1, vote=-1) == "unchanged"
    assert record_vote(fresh_store, key="a1", voter=2, vote=-1) == "recorded"
    assert record_vote(fresh_store, key="a2", voter=1, vote=-1) == "recorded"
    assert record_vote(fresh_store, key="a2", voter=1, vote=1) == "changed"
    assert record_vote(fresh_store, key="gone", voter=1, vote=1) == "expired"
    report = vote_report(fresh_store)
    assert (report.answers, report.voted_up, report.voted_down) == (2, 1, 1)
    assert [(item.down, item.up) for item in report.most_down] == [(2, 0)]


def test_feedback_forgets_old_answers_nobody_voted_on(fresh_store: KnowledgeStore) -> None:
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat(timespec="seconds")
    for key in ("old", "old-voted", "new"):
        record_answer(fresh_store, kept(key, created_at=old if key.startswith("old") else ""))
    record_vote(fresh_store, key="old-voted", voter=5, vote=1)
    assert forget_old_answers(fresh_store, before=datetime.now(UTC) - timedelta(days=30)) == 1
    assert answer_record(fresh_store, "old") is None
    assert answer_record(fresh_store, "old-voted") is not None
    assert answer_record(fresh_store, "new") == kept("new", created_at=answer_record(
        fresh_store, "new").created_at)  # type: ignore[union-attr]


@pytest.mark.parametrize("language", SCRIPTS)
async def test_suggestions_never_offer_the_question_just_asked_in_other_words(
        make_engine: EngineFactory, fake_model: FakeOpenAI, bundled_knowledge: KnowledgeFile,
        language: Script) -> None:
    """The question's chief fact is not offered back, even when the model cites another."""
    fake_model.reply = "As the second fact says [2]."
    engine = make_engine(client=chat_client_for(fake_model))
    lead = {"en": "Please tell me: {}", "zh-Hant": "請問{}", "zh-Hans": "请问{}"}[language]
    repeated = []
    for _, question in fact_questions(bundled_knowledge, language)[::9]:
        answer = await engine.answer(lead.format(question))
        repeated += [s for s in answer.suggestions if same_question(s, question)]
    assert repeated == []
