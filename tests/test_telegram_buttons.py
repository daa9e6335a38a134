"""The buttons under answers, end to end: suggested questions, sources, votes, expiry."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.language import to_script
from tests.support.telegram import (
    ADMIN_ID,
    BOT_USERNAME,
    RunningBot,
    ask,
    button,
    keyboard,
    running_bot,
    suggestion_buttons,
    tap,
)

GROUP = -100777
SCRIPTS = [
    ("zh-Hant", "OpenAI 最新一輪融資籌了多少錢？", "zh-hant"),
    ("zh-Hans", "OpenAI 最新一轮融资筹了多少钱？", "zh-hans"),
    ("en", "How much did OpenAI raise in its latest round?", "en"),
]
DECLINES = [("zh-Hant", "台北今天天氣如何？"), ("zh-Hans", "北京今天天气怎么样？"),
            ("en", "What is the weather in Paris today?")]


@pytest.mark.parametrize(("script", "question", "code"), SCRIPTS)
async def test_buttons_render_under_answers_in_the_readers_script(
        bot: RunningBot, script: str, question: str, code: str) -> None:
    reply = await ask(bot, 31, question, language_code=code)
    suggestions = suggestion_buttons(reply)
    assert 1 <= len(suggestions) <= 3
    labels = [b["text"] for b in suggestions]
    assert all(to_script(text, script) == text for text in labels)  # type: ignore[arg-type]
    assert question not in labels and len(set(labels)) == len(labels)
    assert [b["text"] for b in keyboard(reply)[-1]][1:] == ["👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard(reply) for b in row)


@pytest.mark.parametrize(("script", "question"), DECLINES)
async def test_buttons_declines_offer_questions_but_no_votes(bot: RunningBot, script: str,
                                                              question: str) -> None:
    reply = await ask(bot, 32, question)
    assert 1 <= len(suggestion_buttons(reply)) <= 3
    assert len(keyboard(reply)) == len(suggestion_buttons(reply))  # no sources, no votes


async def test_buttons_tapped_suggestion_is_shown_and_answered_like_a_typed_question(
        bot: RunningBot) -> None:
    reply = await ask(bot, 33, "Who is OpenAI building its first chip with?")
    offered = suggestion_buttons(reply)[0]
    answered = await tap(bot, 33, reply, offered["callback_data"])
    assert "text" not in answered  # answered at once, with no note
    echo, answer = (await bot.sent(33, count=3))[-2:]
    assert echo["text"] == f"❓ {offered['text']}"
    assert "Sources:" in answer["text"] and suggestion_buttons(answer)
    assert offered["text"] not in [b["text"] for b in suggestion_buttons(answer)]


async def test_buttons_tap_in_a_group_asks_for_whoever_tapped(bot: RunningBot) -> None:
    mention = f"@{BOT_USERNAME} Who is OpenAI building its first chip with?"
    bot.api.user_text(GROUP, mention, chat_type="supergroup", user_id=41,
                      entities=[{"type": "mention", "offset": 0,
                                 "length": len(BOT_USERNAME) + 1}])
    [reply] = await bot.sent(GROUP)
    offered = suggestion_buttons(reply)[0]
    await tap(bot, GROUP, reply, offered["callback_data"], user_id=42, first_name="Bea")
    echo, answer = (await bot.sent(GROUP, count=3))[-2:]
    assert echo["text"] == f"❓ Bea: {offered['text']}"
    assert answer["reply_to_message"]["message_id"] == echo["message_id"]
    history = await bot.engine.last_citations(f"tg:{GROUP}:42")
    assert history[1]  # remembered in the tapper's conversation, not the first asker's


async def test_buttons_sources_show_that_answers_citations(bot: RunningBot) -> None:
    first = await ask(bot, 34, "When was Figure AI founded?")
    await ask(bot, 34, "Who is OpenAI building its first chip with?")
    note = await tap(bot, 34, first, button(first, "src:")["callback_data"])
    assert "text" not in note
    sources = (await bot.sent(34, count=3))[-1]["text"]
    assert "Sources of this answer" in sources and "¶16" in sources and "Broadcom" not in sources


async def test_buttons_votes_count_once_per_user_and_reach_stats(bot: RunningBot) -> None:
    reply = await ask(bot, ADMIN_ID, "When was Figure AI founded?", user_id=ADMIN_ID)
    up, down = button(reply, "vote:")["callback_data"], keyboard(reply)[-1][2]["callback_data"]
    assert (await tap(bot, ADMIN_ID, reply, down, user_id=ADMIN_ID))["text"].startswith("Thanks")
    assert "already" in (await tap(bot, ADMIN_ID, reply, down, user_id=ADMIN_ID))["text"]
    assert "updated" in (await tap(bot, ADMIN_ID, reply, up, user_id=ADMIN_ID))["text"]
    await tap(bot, ADMIN_ID, reply, down, user_id=ADMIN_ID)
    await tap(bot, ADMIN_ID, reply, down, user_id=77)
    votes = await bot.engine.votes()
    assert (votes.voted_down, votes.voted_up) == (1, 0)
    assert [item.down for item in votes.most_down] == [2]
    bot.api.user_command(ADMIN_ID, "/stats", user_id=ADMIN_ID)
    stats = (await bot.sent(ADMIN_ID, count=2))[-1]["text"]
    assert "Most voted-down answers" in stats and "2× 👎 When was Figure AI founded?" in stats


async def test_buttons_expired_and_unknown_buttons_say_so(bot: RunningBot) -> None:
    reply = await ask(bot, 35, "When was Figure AI founded?")
    for data in ("ask:NoSuchKey123:0", "vote:NoSuchKey123:1", "src:NoSuchKey123", "old-button",
                 suggestion_buttons(reply)[0]["callback_data"][:-1] + "9"):
        assert "expired" in (await tap(bot, 35, reply, data))["text"]
    bot.api.user_command(35, "/reset")
    await bot.sent(35, count=2)
    note = await tap(bot, 35, reply, suggestion_buttons(reply)[0]["callback_data"])
    assert "expired" in note["text"]
    assert bot.api.unanswered_callback_queries == 0


async def test_buttons_a_flood_of_taps_is_limited_like_questions(
        offline_engine: Engine) -> None:
    async with running_bot(offline_engine, rate_limit_per_minute=3) as bot:
        reply = await ask(bot, 36, "When was Figure AI founded?")
        offered = [b["callback_data"] for b in suggestion_buttons(reply)]
        assert len(offered) == 3
        notes = [await tap(bot, 36, reply, data) for data in offered]
        assert [("fast" in note.get("text", "")) for note in notes] == [False, False, True]
        bot.api.user_command(36, "/help")  # per-chat order: after every reply to the taps
        messages = await bot.sent(36, count=6)
        assert "/sources" in messages[-1]["text"] and len(messages) == 6
        assert bot.api.unanswered_callback_queries == 0


async def test_buttons_double_tap_asks_once(bot: RunningBot) -> None:
    reply = await ask(bot, 38, "When was Figure AI founded?")
    data = suggestion_buttons(reply)[0]["callback_data"]
    await tap(bot, 38, reply, data)
    await tap(bot, 38, reply, data)
    bot.api.user_command(38, "/help")  # per-chat order: after any second answer
    messages = await bot.sent(38, count=4)
    _, echo, answer, sentinel = messages
    assert echo["text"].startswith("❓") and "Sources:" in answer["text"]
    assert "/sources" in sentinel["text"]


async def test_buttons_refused_by_telegram_never_stop_the_answer(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", status=400, description="Bad Request: BUTTON_DATA_INVALID")
    reply = await ask(bot, 37, "When was Figure AI founded?")
    assert "2022" in reply["text"] and not keyboard(reply)
