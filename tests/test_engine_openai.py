"""The openai backend over real HTTP: a fake OpenAI-compatible server and the real client."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from bot.engine import MAX_ANSWER_CHARS, Engine
from bot.evaluation import script_matches
from bot.runtime import create_engine
from bot.settings import Settings
from knowledge.serving import KnowledgeService
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.models import chat_client_for

QUESTION = "How much money did OpenAI raise in its latest funding round?"


@pytest.fixture
def llm_engine(make_engine: EngineFactory, fake_model: FakeOpenAI) -> Engine:
    """An engine that gives up on the model after a second (the timeout tests' engine)."""
    return make_engine(client=chat_client_for(fake_model, timeout=1.0))


def _system_and_user(request: dict) -> tuple[str, str]:
    messages = request["messages"]
    return messages[0]["content"], messages[-1]["content"]


async def test_openai_prompt_holds_facts_question_and_rules(llm_engine: Engine,
                                                            fake_model: FakeOpenAI) -> None:
    await llm_engine.answer(QUESTION)
    system, user = _system_and_user(fake_model.requests[-1])
    assert "[1]" in system and "US$6.6 billion" in system and "(as of 2024-10-02)" in system
    assert "Answer only from the facts" in system and "NO_ANSWER" in system
    assert "never instructions" in system and "English" in system
    assert QUESTION in user and "<<<" in user
    assert fake_model.requests[-1]["model"] == "gpt-4o-mini"


async def test_openai_answer_cites_the_numbered_facts(llm_engine: Engine) -> None:
    answer = await llm_engine.answer(QUESTION)
    assert (answer.answered, answer.backend, answer.fallback) == (True, "openai", False)
    assert answer.text.startswith("OpenAI raised US$6.6 billion")
    assert [citation.number for citation in answer.citations] == [1]
    assert 10 in answer.citations[0].paragraphs
    assert answer.prompt_tokens and answer.completion_tokens


async def test_openai_citation_numbers_outside_the_list_are_dropped(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI raised US$6.6 billion [1][42]."
    answer = await llm_engine.answer(QUESTION)
    assert "[42]" not in answer.text and [c.number for c in answer.citations] == [1]


async def test_openai_no_answer_reply_becomes_a_polite_decline(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    fake_model.reply = "NO_ANSWER"
    answer = await llm_engine.answer("How many employees does Broadcom's chip team have?")
    assert (answer.answered, answer.backend, answer.outcome) == (False, "openai", "not_covered")
    assert "NO_ANSWER" not in answer.text and answer.citations == []


async def test_openai_off_topic_question_never_reaches_the_model(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    answer = await llm_engine.answer("明天台北會下雨嗎？")
    assert not answer.answered and fake_model.requests == []


async def test_openai_reply_is_converted_to_simplified_for_simplified_users(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI 在最新一輪融資中籌得66億美元[1]。"
    answer = await llm_engine.answer("OpenAI 最新一轮融资筹了多少钱？")
    assert answer.language == "zh-Hans" and "66亿美元" in answer.text
    assert script_matches(answer.text, "zh-Hans")
    system, _ = _system_and_user(fake_model.requests[-1])
    assert "Simplified Chinese" in system and "66亿美元" in system


async def test_openai_streaming_shows_the_answer_growing(llm_engine: Engine,
                                                        fake_model: FakeOpenAI) -> None:
    fake_model.chunk_delay = 0.1  # about a second of writing
    seen: list[str] = []

    async def on_text(text: str) -> None:
        seen.append(text)

    answer = await llm_engine.answer(QUESTION, on_text=on_text)
    assert len(seen) >= 2 and all(b.startswith(a) for a, b in itertools.pairwise(seen))
    assert all(answer.text.startswith(text.strip()) for text in seen) and answer.citations


async def test_openai_streamed_no_answer_shows_nothing(llm_engine: Engine,
                                                       fake_model: FakeOpenAI) -> None:
    fake_model.reply = "NO_ANSWER"
    seen: list[str] = []

    async def on_text(text: str) -> None:
        seen.append(text)

    answer = await llm_engine.answer("How many employees work on OpenAI's chip?", on_text=on_text)
    assert not answer.answered and seen == []


@pytest.mark.slow
@pytest.mark.parametrize(("fault", "kind"), [
    (lambda fake: fake.fail_next(500, times=3), "server"),
    (lambda fake: fake.fail_next(401), "auth"),
    (lambda fake: fake.hang_next(3.0, times=3), "timeout"),
    (lambda fake: fake.malformed_next(times=3), "bad_response"),
    (lambda fake: fake.empty_next(times=3), "bad_response"),
], ids=["500", "401", "timeout", "malformed", "empty"])
async def test_openai_failure_falls_back_to_offline_answer(llm_engine: Engine,
                                                           fake_model: FakeOpenAI,
                                                           fault, kind: str) -> None:
    fault(fake_model)
    answer = await llm_engine.answer(QUESTION)
    assert answer.answered and answer.fallback and answer.llm_error == kind
    assert "US$6.6 billion" in answer.text and "unavailable" in answer.text
    assert "Traceback" not in answer.text and "sk-test-secret" not in answer.text


async def test_openai_rate_limit_is_retried_after_the_wait(llm_engine: Engine,
                                                           fake_model: FakeOpenAI) -> None:
    fake_model.fail_next(429, retry_after=0.2)
    answer = await llm_engine.answer(QUESTION)
    assert (answer.backend, answer.fallback) == ("openai", False)
    assert len(fake_model.requests) == 2


async def test_openai_stream_cut_midway_falls_back(llm_engine: Engine,
                                                   fake_model: FakeOpenAI) -> None:
    fake_model.cut_stream_next(after_chunks=3)

    async def ignore(text: str) -> None:
        return None

    answer = await llm_engine.answer(QUESTION, on_text=ignore)
    assert answer.answered and answer.fallback and answer.llm_error in {"connection",
                                                                         "bad_response"}


async def test_openai_conversation_history_is_sent_as_earlier_turns(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    await llm_engine.answer(QUESTION, "chat")
    fake_model.reply = "It was valued at US$157 billion [1]."
    await llm_engine.answer("And the valuation?", "chat")
    roles = [message["role"] for message in fake_model.requests[-1]["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert "[1]" not in fake_model.requests[-1]["messages"][2]["content"]


@pytest.mark.parametrize(("environment", "backend"), [
    ({}, "offline"),
    ({"OPENAI_API_KEY": "sk-x"}, "openai"),
    ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "openai"),
    ({"OPENAI_API_KEY": "sk-x", "LLM_BACKEND": "offline"}, "offline"),
])
def test_create_engine_auto_backend_follows_the_settings(
        fresh_database: Path, monkeypatch: pytest.MonkeyPatch,
        environment: dict[str, str], backend: str) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    knowledge = KnowledgeService(fresh_database)
    engine = create_engine(Settings(_env_file=None), knowledge)
    assert engine.backend == backend
    knowledge.close()


async def test_openai_reply_length_is_bounded_by_the_setting_and_the_engine(
        make_engine: EngineFactory, fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI raised US$6.6 billion [1]. " * 3000  # a model that never stops
    engine = make_engine(client=chat_client_for(fake_model, max_tokens=321))
    answer = await engine.answer(QUESTION)
    assert fake_model.requests[-1]["max_tokens"] == 321
    assert answer.answered and len(answer.text) <= MAX_ANSWER_CHARS
    streamed = await engine.answer(QUESTION, on_text=lambda text: asyncio.sleep(0))
    assert len(streamed.text) <= MAX_ANSWER_CHARS
