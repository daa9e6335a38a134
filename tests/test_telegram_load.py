"""Load and shutdown: a flooding chat, an update that never finishes, and docker stop while
the model is still writing."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from bot.engine import Engine
from handlers import flow
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.fakes.telegram_api import FakeBotApi
from tests.support.models import chat_client_for
from tests.support.processes import finish, start_serve
from tests.support.telegram import BOT_ID, BOT_USERNAME, TOKEN, running_bot

QUESTION = "How much did OpenAI raise in its latest round?"


@pytest.fixture
def llm_engine(make_engine: EngineFactory, fake_model: FakeOpenAI) -> Engine:
    return make_engine(client=chat_client_for(fake_model, timeout=10.0, max_retries=0))


@pytest.mark.slow
async def test_flow_flooding_chat_does_not_hold_back_another_chat(
        llm_engine: Engine, fake_model: FakeOpenAI) -> None:
    fake_model.latency = 0.5
    async with running_bot(llm_engine, max_concurrent_updates=2,
                           rate_limit_per_minute=100) as bot:
        for _ in range(6):
            bot.api.user_text(61, QUESTION, user_id=61)
        bot.api.user_text(62, QUESTION, user_id=62)
        await bot.sent(62, timeout=20)
        answered_first_chat = len(bot.api.messages(61))
        await bot.sent(61, count=6, timeout=30)
    # One at a time, chat 62 would wait for all six (3 s); it got its turn after one or two.
    assert answered_first_chat <= 2


async def test_flow_abandoned_update_gets_an_apology(
        llm_engine: Engine, fake_model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow, "UPDATE_DEADLINE", 0.5)
    fake_model.latency = 1.5
    fake_model.chunk_delay = 0.3  # slow enough that a model left running would show a draft
    async with running_bot(llm_engine) as bot:
        bot.api.user_text(63, QUESTION)
        [reply] = await bot.sent(63, timeout=20)
        # The bot stopped reading the model: nothing it writes can reach the chat.
        assert await asyncio.to_thread(fake_model.client_left.wait, 20)
        written = [c for c in bot.api.calls_to("sendMessageDraft") if c.params.get("text")]
        assert written == [] and len(bot.api.messages(63)) == 1  # only the placeholder draft
    assert "Sorry" in reply["text"] and "6.6" not in reply["text"]


@pytest.mark.slow
def test_serve_sigterm_while_the_model_writes_answers_offline_and_exits(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN, bot_id=BOT_ID, username=BOT_USERNAME) as api, \
            FakeOpenAI(reply="never sent") as model:
        model.latency = 60.0
        process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN,
                              TELEGRAM_API_BASE_URL=api.root, OPENAI_BASE_URL=model.base_url,
                              OPENAI_API_KEY="sk-test", LLM_TIMEOUT="120")
        try:
            api.wait_for("deleteWebhook", timeout=60)
            api.user_text(64, QUESTION)
            deadline = time.monotonic() + 30
            while not model.requests and time.monotonic() < deadline:
                time.sleep(0.05)  # the question has reached the model, which now takes 60 s
        finally:
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            status, _, err = finish(process, timeout=15)
        stopped_in = time.monotonic() - started
        messages = api.messages(64)
    assert status == 0, err
    assert stopped_in < 10  # docker stop's grace period
    [answer] = messages
    assert "unavailable" in answer["text"] and "US$6.6 billion" in answer["text"]
