"""The Telegram bot end to end: the real application over HTTP against a fake Bot API."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.engine import Engine
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.telegram import ADMIN_ID, BOT_USERNAME, RunningBot, running_bot

GROUP = -100500


@pytest.mark.parametrize(("question", "figure", "footer"), [
    ("OpenAI 最新一輪融資籌了多少錢？", "66億美元",
     "來源：[1] 中國經營報（2024 年 10 月底） 第 10 段"),
    ("OpenAI 最新一轮融资筹了多少钱？", "66亿美元",
     "来源：[1] 中国经营报（2024 年 10 月底） 第 10 段"),
    ("How much did OpenAI raise in its latest round?", "US$6.6 billion",
     "Sources: [1] China Business Journal (late October 2024) ¶10"),
])
async def test_telegram_answers_private_questions_in_each_script(
        bot: RunningBot, question: str, figure: str, footer: str) -> None:
    bot.api.user_text(chat_id=11, text=question)
    [reply] = await bot.sent(11)
    assert figure in reply["text"] and reply["parse_mode"] == "HTML"
    assert footer in reply["text"] and "<i>" in reply["text"]


async def test_telegram_registers_commands_at_start(bot: RunningBot) -> None:
    calls = bot.api.calls_to("setMyCommands")
    assert {call.params.get("language_code") for call in calls} == {None, "zh"}
    names = [command["command"] for command in calls[0].params["commands"]]
    assert names == ["start", "help", "sources", "reset", "about", "ask"]
    admin_menus = {call.params.get("language_code"): call.params["commands"] for call in calls
                   if call.params.get("scope", {}).get("chat_id") == ADMIN_ID}
    assert set(admin_menus) == {None, "zh"}
    assert "reload" in [command["command"] for command in admin_menus["zh"]]
    assert "重新讀取知識檔" in str(admin_menus["zh"])


@pytest.mark.parametrize(("language_code", "snippet"), [
    ("zh-hant", "試試看"), ("zh-hans", "试试看"), ("en", "Try:")])
async def test_telegram_start_welcomes_in_the_user_language(bot: RunningBot, language_code: str,
                                                            snippet: str) -> None:
    bot.api.user_command(12, "/start", language_code=language_code)
    [reply] = await bot.sent(12)
    assert snippet in reply["text"] and reply["text"].count("•") == 3


async def test_telegram_help_and_about(bot: RunningBot) -> None:
    bot.api.user_command(13, "/help")
    bot.api.user_command(13, "/about")
    help_text, about_text = (message["text"] for message in await bot.sent(13, count=2))
    assert f"@{BOT_USERNAME}" in help_text and "/sources" in help_text
    assert "China Business Journal" in about_text and "Knowledge version" in about_text


async def test_telegram_sources_and_reset(bot: RunningBot) -> None:
    bot.api.user_text(14, "When was Figure AI founded?")
    await bot.sent(14)
    bot.api.user_command(14, "/sources")
    sources = (await bot.sent(14, count=2))[-1]["text"]
    assert "China Business Journal" in sources and "¶16" in sources and "2022" in sources
    bot.api.user_command(14, "/reset")
    bot.api.user_command(14, "/sources")
    messages = await bot.sent(14, count=4)
    assert "forgotten" in messages[2]["text"] and "no answer with sources" in messages[3]["text"]


async def test_telegram_group_answers_only_mentions_replies_and_ask(bot: RunningBot) -> None:
    bot.api.user_text(GROUP, "OpenAI raised how much?", chat_type="supergroup")
    mention = f"@{BOT_USERNAME} When was Figure AI founded?"
    bot.api.user_text(GROUP, mention, chat_type="supergroup",
                      entities=[{"type": "mention", "offset": 0,
                                 "length": len(BOT_USERNAME) + 1}])
    [first] = await bot.sent(GROUP)
    assert "2022" in first["text"] and first.get("reply_to_message") is not None
    bot.api.reply_to_bot(GROUP, first, "Who invested in it?", chat_type="supergroup")
    bot.api.user_command(GROUP, f"/ask@{BOT_USERNAME}", "Who is Jim Keller?",
                         chat_type="supergroup")
    messages = await bot.sent(GROUP, count=3)
    # Per-chat order: an answer to the plain group message would have come first.
    assert len(messages) == 3 and "Keller" in messages[2]["text"]


async def test_telegram_inline_query_offers_up_to_three_sourced_facts(bot: RunningBot) -> None:
    bot.api.inline_query(21, "Figure AI funding")
    [call] = await bot.api.wait_for_async("answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 3
    assert all("¶" in result["input_message_content"]["message_text"] for result in results)


async def test_telegram_inline_query_with_nothing_relevant_offers_the_private_chat(
        bot: RunningBot) -> None:
    bot.api.inline_query(21, "pizza recipe")
    [call] = await bot.api.wait_for_async("answerInlineQuery")
    assert call.params["results"] == [] and call.params["is_personal"] is True
    assert "private chat" in call.params["button"]["text"]


async def test_telegram_html_rejected_is_sent_as_plain_text(bot: RunningBot) -> None:
    bot.api.reject_html_next()
    bot.api.user_text(15, "When was Figure AI founded?")
    [reply] = await bot.sent(15)
    assert "2022" in reply["text"] and reply.get("parse_mode") is None
    assert "<i>" not in reply["text"] and "Sources:" in reply["text"]


async def test_telegram_retry_after_is_honoured_and_answer_sent_once(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", retry_after=1)
    started = time.monotonic()
    bot.api.user_text(16, "When was Figure AI founded?")
    [reply] = await bot.sent(16, timeout=15)
    attempts = [c for c in bot.api.calls_to("sendMessage") if c.params.get("chat_id") == 16]
    assert "2022" in reply["text"] and len(attempts) == 2
    assert attempts[1].time - attempts[0].time >= 0.9
    assert time.monotonic() - started < 10


async def test_telegram_failing_chat_action_does_not_stop_the_answer(
        model_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    fake_model.latency = 1.0  # long enough for the typing action to be shown (and fail)
    model_bot.api.fail_next("sendChatAction", status=500, times=5)
    model_bot.api.user_command(GROUP, f"/ask@{BOT_USERNAME}", "How much did OpenAI raise?",
                             chat_type="supergroup")
    [reply] = await model_bot.sent(GROUP, timeout=20)
    assert "US$6.6 billion" in reply["text"] and model_bot.api.calls_to("sendChatAction")


async def test_telegram_refused_placeholder_falls_back_to_typing(
        model_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    fake_model.latency = 1.0
    model_bot.api.fail_next("sendMessageDraft", status=400,
                          description="Bad Request: method is not available", times=1)
    model_bot.api.user_text(17, "How much did OpenAI raise in its latest round?")
    [reply] = await model_bot.sent(17, timeout=20)
    assert "US$6.6 billion" in reply["text"] and model_bot.api.calls_to("sendChatAction")


async def test_telegram_sticker_gets_a_text_only_note(bot: RunningBot) -> None:
    bot.api.user_sticker(18)
    [reply] = await bot.sent(18)
    assert "text questions" in reply["text"]


@pytest.mark.parametrize(("text", "snippet"), [
    ("晶片" * 1200, "太長"), ("x " * 1500, "too long")])
async def test_telegram_over_long_question_gets_a_polite_request(bot: RunningBot, text: str,
                                                                 snippet: str) -> None:
    bot.api.user_text(19, text)
    [reply] = await bot.sent(19)
    assert snippet in reply["text"]


async def test_telegram_edited_messages_are_ignored(bot: RunningBot) -> None:
    update = bot.api.user_text(20, "When was Figure AI founded?")
    await bot.sent(20)
    bot.api.edited_text(20, update["message"]["message_id"], "Who founded Humane?")
    bot.api.user_command(20, "/help")  # per-chat order: after any answer to the edit
    answer, sentinel = await bot.sent(20, count=2)
    assert "2022" in answer["text"] and "/sources" in sentinel["text"]


async def test_telegram_rate_limit_answers_politely(offline_engine: Engine) -> None:
    async with running_bot(offline_engine, rate_limit_per_minute=2) as bot:
        for _ in range(3):
            bot.api.user_text(22, "When was Figure AI founded?", user_id=22)
        for _ in range(3):
            bot.api.user_text(ADMIN_ID, "When was Figure AI founded?", user_id=ADMIN_ID)
        messages = await bot.sent(22, count=3)
        admin_messages = await bot.sent(ADMIN_ID, count=3)
    assert ["2022" in message["text"] for message in messages] == [True, True, False]
    assert "too fast" in messages[2]["text"] or "a bit fast" in messages[2]["text"]
    assert all("2022" in message["text"] for message in admin_messages)


async def test_telegram_allow_list_refuses_other_users(offline_engine: Engine) -> None:
    async with running_bot(offline_engine, allowed_user_ids=frozenset({31})) as bot:
        bot.api.user_text(32, "When was Figure AI founded?", user_id=32)
        bot.api.user_text(31, "When was Figure AI founded?", user_id=31)
        refused = await bot.sent(32)
        allowed = await bot.sent(31)
    assert "only open to certain users" in refused[0]["text"]
    assert "2022" in allowed[0]["text"]


async def test_telegram_long_answer_is_split_in_two(model_bot: RunningBot,
                                                    fake_model: FakeOpenAI) -> None:
    paragraph = "OpenAI raised US$6.6 billion in its latest round [1]. " * 40
    fake_model.reply = "\n\n".join([paragraph] * 2)  # 4,400 characters: two messages
    model_bot.api.user_text(23, "How much did OpenAI raise in its latest round?")
    await model_bot.sent(23, count=2, timeout=20)
    model_bot.api.user_command(23, "/help")  # per-chat order: after any third part
    *messages, sentinel = await model_bot.sent(23, count=3, timeout=20)
    assert len(messages) == 2 and "/sources" in sentinel["text"]
    assert all(len(message["text"]) <= 4096 for message in messages)
    assert messages[0]["text"].endswith("[1].") and "Sources:" in messages[1]["text"]


async def test_telegram_never_ending_model_reply_is_at_most_two_messages(
        model_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI raised US$6.6 billion in its latest round [1]. " * 2000
    model_bot.api.user_text(26, "How much did OpenAI raise in its latest round?")
    await model_bot.sent(26, count=2, timeout=30)
    model_bot.api.user_command(26, "/help")  # per-chat order: its reply comes after the answer's
    messages = await model_bot.sent(26, count=3, timeout=30)
    assert len(messages) == 3 and "How to use me" in messages[2]["text"]
    assert "Sources:" in messages[1]["text"]


@pytest.mark.slow
async def test_telegram_private_streaming_grows_a_draft(model_bot: RunningBot,
                                                        fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI raised US$6.6 billion [1]. " * 6
    fake_model.chunk_delay = 0.12
    model_bot.api.user_text(24, "How much did OpenAI raise in its latest round?")
    [reply] = await model_bot.sent(24, timeout=20)
    drafts = [call for call in model_bot.api.calls_to("sendMessageDraft")
              if call.params.get("chat_id") == 24]
    assert len(drafts) >= 2 and len({call.params["draft_id"] for call in drafts}) == 1
    texts = [call.params["text"] for call in drafts]
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts))
    assert reply["text"].startswith("OpenAI raised US$6.6 billion [1].")


@pytest.mark.slow
async def test_telegram_group_streaming_edits_then_replaces(model_bot: RunningBot,
                                                            fake_model: FakeOpenAI) -> None:
    fake_model.reply = "OpenAI raised US$6.6 billion [1]. " * 6
    fake_model.chunk_delay = 0.12
    model_bot.api.user_command(GROUP, "/ask", "How much did OpenAI raise in its latest round?",
                             chat_type="group")
    await model_bot.api.wait_for_async(
        "editMessageText", timeout=20,
        predicate=lambda call: call.params.get("parse_mode") == "HTML")
    [message] = model_bot.api.messages(GROUP)
    assert message["parse_mode"] == "HTML" and "<i>Sources:" in message["text"]


async def test_telegram_twenty_chats_are_answered_concurrently(model_bot: RunningBot,
                                                              fake_model: FakeOpenAI) -> None:
    fake_model.latency = 1.0
    started = time.monotonic()
    for chat in range(1000, 1020):
        model_bot.api.user_text(chat, "How much did OpenAI raise in its latest round?",
                              user_id=chat)
    await model_bot.api.wait_for_async("sendMessage", count=20, timeout=30)
    elapsed = time.monotonic() - started
    print(f"\n20 chats with a 1 s model answered in {elapsed:.2f} s")
    assert elapsed < 6  # serial handling would take 20 s; the benchmark measures precisely


async def test_telegram_one_chat_is_answered_in_order(model_bot: RunningBot,
                                                      fake_model: FakeOpenAI) -> None:
    fake_model.reply = lambda request: request["messages"][-1]["content"].split("<<<\n")[1][:12]
    for index in range(3):
        model_bot.api.user_text(25, f"Question {index} about OpenAI funding round", user_id=25)
    messages = await model_bot.sent(25, count=3, timeout=20)
    assert [m["text"][:10] for m in messages] == [f"Question {i}" for i in range(3)]


