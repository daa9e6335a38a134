"""Admins refresh the knowledge from Telegram; nobody else can, and nothing is ever lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import BUNDLED_KNOWLEDGE
from knowledge.embeddings import RemoteEmbedder
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore
from knowledge.usage import recent_actions
from knowledge.versions import list_versions, load_at_startup
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.telegram import ADMIN_ID, RunningBot, running_bot

USER = 501
FROST = ("星辰科技的寒霜散熱模組\n"
         "星辰科技在2025年推出名為「寒霜」的晶片散熱模組，由台北團隊研發。\n"
         "寒霜散熱模組能讓 AI 晶片的溫度降低攝氏十五度。\n").encode("big5")
QUESTION = "寒霜散熱模組能讓晶片降溫多少？"


async def upload(bot: RunningBot, user_id: int, name: str, content: bytes) -> str:
    """Send a document in a private chat and return the bot's reply to it."""
    before = len(bot.api.messages(user_id))
    bot.api.user_document(user_id, file_name=name, content=content, user_id=user_id,
                          mime_type="application/octet-stream")
    messages = await bot.sent(user_id, count=before + 1, timeout=20)
    return messages[-1]["text"]


async def ask(bot: RunningBot, user_id: int, text: str) -> str:
    before = len(bot.api.messages(user_id))
    bot.api.user_text(user_id, text, user_id=user_id)
    return (await bot.sent(user_id, count=before + 1, timeout=20))[-1]["text"]


async def command(bot: RunningBot, user_id: int, name: str, args: str = "") -> str:
    before = len(bot.api.messages(user_id))
    bot.api.user_command(user_id, name, args, user_id=user_id)
    return (await bot.sent(user_id, count=before + 1, timeout=20))[-1]["text"]


@pytest.mark.parametrize(("name", "args"), [
    ("/reload", ""), ("/versions", ""), ("/rollback", "1"), ("/sources_list", ""),
    ("/remove_source", "cbj-2024-openai-hardware"), ("/stats", "")])
async def test_admin_commands_refuse_non_admins_and_audit(bot: RunningBot, name: str,
                                                          args: str) -> None:
    reply = await command(bot, USER, name, args)
    assert "for admins" in reply
    assert len(list_versions(bot.store)) == 1
    [entry] = recent_actions(bot.store, limit=1)
    assert entry["actor"] == f"telegram:{USER}" and entry["result"].startswith("refused")


async def test_admin_upload_from_non_admin_is_refused(bot: RunningBot) -> None:
    version = bot.store.version
    assert "for admins" in await upload(bot, USER, "frost.txt", FROST)
    # Refused again within the minute: no second notice. Per-chat order makes the next
    # reply that of the message after it.
    bot.api.user_document(USER, file_name="knowledge.yaml", content=b"facts: []", user_id=USER,
                          mime_type="application/octet-stream")
    assert "text questions" in await upload(bot, USER, "report.pdf", b"%PDF-1.4")
    assert bot.store.version == version and bot.api.calls_to("getFile") == []
    assert "知識庫沒有" in await ask(bot, USER, QUESTION)
    [entry] = recent_actions(bot.store, limit=1)  # the two refusals are one row, counted
    assert entry["count"] == 2 and entry["result"] == "refused: not an admin"


async def test_admin_article_upload_is_answered_then_rolled_back(bot: RunningBot) -> None:
    reply = await upload(bot, ADMIN_ID, "frost.txt", FROST)
    assert "寒霜" in reply and "big5" in reply
    answer = await ask(bot, USER, QUESTION)
    assert "十五度" in answer
    assert "already known" in await upload(bot, ADMIN_ID, "frost-again.md", FROST)
    rolled = await command(bot, ADMIN_ID, "/rollback")
    assert "#3" in rolled and "-1" in rolled
    assert "十五度" not in await ask(bot, USER, QUESTION)


async def test_admin_broken_knowledge_upload_changes_nothing(bot: RunningBot) -> None:
    version = bot.store.version
    broken = "schema_version: 1\nsources: []\nfacts:\n  - id: x\n    zh: 晶片\n".encode()
    reply = await upload(bot, ADMIN_ID, "knowledge.yaml", broken)
    assert "problem" in reply and "line 2" in reply and "fact x" in reply
    assert bot.store.version == version
    assert "2022" in await ask(bot, USER, "When was Figure AI founded?")


async def test_admin_uploads_too_large_empty_or_binary_are_refused(bot: RunningBot) -> None:
    assert "over 1 MB" in await upload(bot, ADMIN_ID, "big.txt", b"a" * 1_000_001)
    assert "empty" in await upload(bot, ADMIN_ID, "empty.txt", b"   ")
    assert "not a text file" in await upload(bot, ADMIN_ID, "x.md", b"\x00\x01\x02" * 50)
    assert "Send a knowledge file" in await upload(bot, ADMIN_ID, "x.docx", b"PK\x03\x04")
    assert len(list_versions(bot.store)) == 1
    assert len(bot.api.calls_to("getFile")) == 2  # the 1 MB and .docx files were not fetched


async def test_admin_upload_that_cannot_be_downloaded_changes_nothing(bot: RunningBot) -> None:
    bot.api.fail_next("getFile", status=400, description="Bad Request: file is too big")
    reply = await upload(bot, ADMIN_ID, "frost.txt", FROST)
    assert "Could not download" in reply and len(list_versions(bot.store)) == 1
    [entry] = recent_actions(bot.store, limit=1)
    assert entry["action"] == "upload" and entry["result"] == "failed: download"


async def test_admin_versions_sources_and_remove(bot: RunningBot) -> None:
    await upload(bot, ADMIN_ID, "frost.txt", FROST)
    versions = await command(bot, ADMIN_ID, "/versions")
    assert "#2" in versions and "#1" in versions and f"telegram:{ADMIN_ID}" in versions
    listing = await command(bot, ADMIN_ID, "/sources_list")
    article_id = next(word for word in listing.replace("<code>", " ").replace("</code>", " ")
                      .split() if word.startswith("article-"))
    assert "built-in" in listing and "星辰科技" in listing
    assert "only be removed" in await command(bot, ADMIN_ID, "/remove_source",
                                              "cbj-2024-openai-hardware")
    assert "#3" in await command(bot, ADMIN_ID, "/remove_source", article_id)
    assert "No such source" in await command(bot, ADMIN_ID, "/remove_source", article_id)


async def test_admin_reload_with_unchanged_file_changes_nothing(bot: RunningBot) -> None:
    assert "Nothing changed" in await command(bot, ADMIN_ID, "/reload")
    assert len(list_versions(bot.store)) == 1


async def test_admin_stats_count_what_happened(bot: RunningBot) -> None:
    await ask(bot, USER, "When was Figure AI founded?")
    await ask(bot, USER, "Can you recommend a pizza recipe?")
    await ask(bot, USER, "Can you recommend a pizza recipe?")
    stats = await command(bot, ADMIN_ID, "/stats")
    assert "last day 3 (1/2)" in stats and "en 3" in stats
    assert "2× can you recommend a pizza recipe?" in stats


@pytest.fixture
async def slow_upload_bot(make_engine: EngineFactory, fresh_database: Path,
                          fake_model: FakeOpenAI) -> AsyncIterator[RunningBot]:
    """A bot whose embeddings come from the fake model server, so that an article's
    passages can take seconds (``fake_model.batch_latency``) while questions stay quick."""
    embeddings = {"base_url": fake_model.base_url, "model": "fake-embedding"}
    remote = RemoteEmbedder(**embeddings)
    store = KnowledgeStore.open(fresh_database, embedder=remote)
    load_at_startup(store, BUNDLED_KNOWLEDGE)
    store.close()
    engine = make_engine(KnowledgeService(fresh_database, embedder=remote))
    async with running_bot(engine, embeddings_base_url=embeddings["base_url"],
                           embeddings_model=embeddings["model"]) as bot:
        yield bot
    remote.close()


def send_frost(bot: RunningBot) -> None:
    bot.api.user_document(ADMIN_ID, file_name="frost.txt", content=FROST, user_id=ADMIN_ID,
                          mime_type="text/plain")


@pytest.mark.slow
async def test_admin_slow_upload_leaves_the_chat_answering(slow_upload_bot: RunningBot,
                                                          fake_model: FakeOpenAI) -> None:
    """Embedding a large article takes minutes: the admin hears that it is being applied, and
    a question asked meanwhile is answered before the upload's outcome arrives."""
    bot = slow_upload_bot
    fake_model.batch_latency = 5.0  # the article's passages; a question is one text
    send_frost(bot)
    [working] = await bot.sent(ADMIN_ID, count=1, timeout=20)
    assert "Applying the file" in working["text"]
    answer = await ask(bot, ADMIN_ID, "When was Figure AI founded?")
    assert "Figure AI" in answer and "寒霜" not in answer
    outcome = (await bot.sent(ADMIN_ID, count=3, timeout=30))[-1]["text"]
    assert "寒霜" in outcome and len(list_versions(bot.store)) == 2


@pytest.mark.slow
@pytest.mark.parametrize("name", ["/rollback", "/reload", "/remove_source"])
async def test_admin_changes_wait_for_an_upload_being_applied(slow_upload_bot: RunningBot,
                                                              fake_model: FakeOpenAI,
                                                              name: str) -> None:
    """A /rollback sent while an upload is applied would undo the change before it; it is
    refused until the upload is done, and the upload lands."""
    bot = slow_upload_bot
    fake_model.batch_latency = 4.0
    send_frost(bot)
    await bot.sent(ADMIN_ID, count=1, timeout=20)  # "Applying the file…"
    refused = await command(bot, ADMIN_ID, name, "article-x" if name == "/remove_source" else "")
    assert "still being applied" in refused
    outcome = (await bot.sent(ADMIN_ID, count=3, timeout=30))[-1]["text"]
    assert "寒霜" in outcome and len(list_versions(bot.store)) == 2
    assert recent_actions(bot.store, limit=2)[1]["result"] == "refused: an upload is being applied"


@pytest.mark.slow
async def test_admin_upload_outcome_arrives_when_the_notice_cannot_be_sent(
        slow_upload_bot: RunningBot, fake_model: FakeOpenAI) -> None:
    bot = slow_upload_bot
    fake_model.batch_latency = 3.0
    bot.api.fail_next("sendMessage", status=502, times=3)  # the notice and its retries
    send_frost(bot)
    outcome = (await bot.sent(ADMIN_ID, count=1, timeout=30))[-1]["text"]
    assert "寒霜" in outcome and len(list_versions(bot.store)) == 2
