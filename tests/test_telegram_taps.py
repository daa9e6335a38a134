"""Taps under hostile or unlucky conditions: a busy chat, slow decorations, other
members, /reset, removed sources. Found by attacking the buttons as a user would."""

from __future__ import annotations

import time

import pytest

from bot.engine import Engine
from bot.language import to_script
from handlers import delivery
from knowledge.articles import parse_article
from knowledge.store import KnowledgeStore
from knowledge.versions import ingest_article, remove_article
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.fakes.telegram_api import Json
from tests.support.models import chat_client_for
from tests.support.telegram import (
    BOT_USERNAME,
    RunningBot,
    ask,
    button,
    keyboard,
    running_bot,
    suggestion_buttons,
    tap,
)

GROUP = -100888
MENTION = [{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]


async def in_group(bot: RunningBot, text: str, *, user_id: int, language_code: str = "en"
                   ) -> Json:
    """A member asks the bot in the group; the bot's reply."""
    before = len(bot.api.messages(GROUP))
    bot.api.user_text(GROUP, f"@{BOT_USERNAME} {text}", chat_type="supergroup",
                      user_id=user_id, entities=MENTION, language_code=language_code)
    return (await bot.sent(GROUP, count=before + 1, timeout=20))[-1]


async def busy_after_an_answer(bot: RunningBot, model: FakeOpenAI, chat: int, *,
                               latency: float) -> Json:
    """A first answer (its buttons to tap), then a second question the model is slow on,
    already being answered."""
    first = await ask(bot, chat, "How much did OpenAI raise in its latest round?")
    model.latency = latency
    bot.api.user_text(chat, "Who is OpenAI building its first chip with?")
    await bot.api.wait_for_async("sendMessageDraft")  # the second answer has begun
    return first


@pytest.mark.slow
async def test_taps_are_answered_while_their_chat_waits_for_a_slow_answer(
        model_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    first = await busy_after_an_answer(model_bot, fake_model, 51, latency=3.0)
    note = await tap(model_bot, 51, first, keyboard(first)[-1][1]["callback_data"])
    assert "Thanks" in note["text"]
    [thanked] = model_bot.api.calls_to("answerCallbackQuery")
    second = (await model_bot.sent(51, count=2, timeout=20))[-1]
    answered = [c for c in model_bot.api.calls_to("sendMessage") if c.ok][-1]
    assert thanked.time < answered.time and second["text"]  # not queued behind the answer


@pytest.mark.slow
async def test_taps_a_suggestion_waits_for_its_chats_turn(
        model_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    first = await busy_after_an_answer(model_bot, fake_model, 52, latency=1.5)
    await tap(model_bot, 52, first, suggestion_buttons(first)[0]["callback_data"])
    _, second, echo, _ = await model_bot.sent(52, count=4, timeout=30)
    assert echo["text"].startswith("❓") and not second["text"].startswith("❓")


async def test_taps_slow_drafts_never_hold_the_answer_back(model_bot: RunningBot,
                                                           fake_model: FakeOpenAI) -> None:
    fake_model.latency = 0.3
    model_bot.api.delay("sendMessageDraft", 4.0)
    asked = time.monotonic()
    model_bot.api.user_text(53, "How much did OpenAI raise in its latest round?")
    [answer] = await model_bot.api.wait_for_async("sendMessage", timeout=20)
    assert answer.time - asked < 2.5  # model 0.3 s, placeholder wait 0.3 s, finish wait 0.5 s
    assert model_bot.api.calls_to("sendChatAction")  # the draft did not show: typing did


@pytest.mark.slow
async def test_taps_a_slow_group_progress_message_never_stays_under_the_answer(
        make_engine: EngineFactory, fake_model: FakeOpenAI,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "GROUP_PROGRESS_INTERVAL", 0.3)
    fake_model.reply, fake_model.chunk_delay = "OpenAI raised US$6.6 billion. " * 4 + "[1]", 0.1
    async with running_bot(make_engine(client=chat_client_for(fake_model, timeout=20))) as bot:
        bot.api.delay("sendMessage", 3.0)  # the progress message lands after the answer began
        bot.api.user_text(GROUP, f"@{BOT_USERNAME} How much did OpenAI raise?",
                          chat_type="supergroup", entities=MENTION)
        await bot.api.wait_for_async("deleteMessage", timeout=30)
        await bot.api.wait_for_async("sendMessage", count=2, timeout=30)
        [answer] = bot.api.messages(GROUP)
        assert "6.6 billion" in answer["text"] and keyboard(answer)


async def test_taps_in_a_group_answer_in_the_tappers_script(bot: RunningBot) -> None:
    asked = await in_group(bot, "OpenAI 最新一輪融資籌了多少錢？", user_id=61,
                           language_code="zh-hant")
    offered = suggestion_buttons(asked)[0]
    await tap(bot, GROUP, asked, offered["callback_data"], user_id=62,
              language_code="zh-hans")
    echo, answer = (await bot.sent(GROUP, count=3))[-2:]
    assert echo["text"].startswith("❓") and "来源" in answer["text"]
    assert all(b["text"] == to_script(b["text"], "zh-Hans") for b in suggestion_buttons(answer))


async def test_taps_reset_expires_even_voted_answers_but_keeps_their_votes(
        bot: RunningBot) -> None:
    reply = await ask(bot, 54, "When was Figure AI founded?")
    assert "Thanks" in (await tap(bot, 54, reply, keyboard(reply)[-1][2]["callback_data"]))["text"]
    bot.api.user_command(54, "/reset")
    await bot.sent(54, count=2)
    for data in (suggestion_buttons(reply)[0]["callback_data"], button(reply, "src:")[
            "callback_data"], keyboard(reply)[-1][1]["callback_data"]):
        assert "expired" in (await tap(bot, 54, reply, data))["text"]
    assert (await bot.engine.votes()).voted_down == 1


async def test_taps_votes_do_not_spend_a_members_question_budget(bot: RunningBot) -> None:
    reply = await in_group(bot, "When was Figure AI founded?", user_id=63)
    up, down = keyboard(reply)[-1][1]["callback_data"], keyboard(reply)[-1][2]["callback_data"]
    for index in range(12):
        await tap(bot, GROUP, reply, up if index % 2 else down, user_id=63)
    answer = await in_group(bot, "Which chipmaker will manufacture OpenAI's chip?",
                            user_id=63)
    assert "a bit fast" not in answer["text"] and "TSMC" in answer["text"]


async def test_taps_a_button_from_another_chat_has_expired(bot: RunningBot) -> None:
    reply = await ask(bot, 55, "When was Figure AI founded?")
    elsewhere = await ask(bot, 56, "Who is OpenAI building its first chip with?")
    stolen = button(reply, "src:")["callback_data"]
    assert "expired" in (await tap(bot, 56, elsewhere, stolen))["text"]


async def test_taps_sources_of_a_removed_article_have_expired(offline_engine: Engine,
                                                              fresh_store: KnowledgeStore
                                                              ) -> None:
    article = parse_article(b"Frost module\nThe Frost module cools AI chips by 15 degrees.\n"
)
    ingest_article(fresh_store, article, actor="test")
    async with running_bot(offline_engine) as bot:
        reply = await ask(bot, 57, "How much does the Frost module cool AI chips?")
        assert "15" in reply["text"]
        remove_article(fresh_store, article.id, actor="test")
        note = await tap(bot, 57, reply, button(reply, "src:")["callback_data"])
        assert "expired" in note["text"]
        assert not [c for c in bot.api.calls_to("sendMessage") if "Frost" in str(
            c.params.get("text")) and c.time > 0][1:]  # the passage was not shown again
