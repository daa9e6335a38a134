"""Faults: a failing model, a failing Bot API, and storage that will not write."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge_admin import KnowledgeAdmin
from bot.settings import Settings
from knowledge.conversations import recent_turns
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore, StoreError
from knowledge.usage import usage_report
from tests.support.data import EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.models import chat_client_for
from tests.support.processes import run_bot
from tests.support.telegram import RunningBot, running_bot

QUESTION = "How much did OpenAI raise in its latest round?"


@pytest.fixture
async def llm_bot(make_engine: EngineFactory,
                  fake_model: FakeOpenAI) -> AsyncIterator[RunningBot]:
    fake_model.reply = "OpenAI raised US$6.6 billion [1]. " * 5
    fake_model.chunk_delay = 0.05
    engine = make_engine(client=chat_client_for(fake_model, timeout=1.0))
    async with running_bot(engine) as running:
        yield running


# Status errors and timeouts are retried once; a reply that was cut, garbled or empty is not
# (its text may already be on the user's screen).
@pytest.mark.parametrize(("fault", "kind", "attempts"), [
    (lambda fake: fake.cut_stream_next(after_chunks=4, times=2), "connection", 1),
    (lambda fake: fake.fail_next(500, times=2), "server", 2),
    (lambda fake: fake.fail_next(429, retry_after=0.1, times=2), "rate_limited", 2),
    (lambda fake: fake.hang_next(3.0, times=2), "timeout", 2),
    (lambda fake: fake.malformed_next(times=2), "bad_response", 1),
    (lambda fake: fake.empty_next(times=2), "bad_response", 1),
], ids=["cut-stream", "500", "429", "timeout", "malformed", "empty"])
@pytest.mark.slow
async def test_faults_model_failure_still_answers_once_and_remembers_once(
        llm_bot: RunningBot, fake_model: FakeOpenAI, fresh_store: KnowledgeStore, fault,
        kind: str, attempts: int) -> None:
    fault(fake_model)  # would fail the retry too
    llm_bot.api.user_text(41, QUESTION)
    [reply] = await llm_bot.sent(41, timeout=30)
    assert "unavailable" in reply["text"] and "US$6.6 billion" in reply["text"]
    assert len(fake_model.requests) == attempts
    await llm_bot.engine.flush()
    turns = recent_turns(fresh_store, "tg:41", limit=10)
    assert len(turns) == 1 and turns[0].answer.startswith("⚠️")
    report = usage_report(fresh_store)
    assert report.fallbacks == 1 and report.llm_errors == {kind: 1}


@pytest.mark.slow
@pytest.mark.parametrize(("method", "inject"), [
    ("sendMessage", lambda api: api.fail_next("sendMessage", status=500)),
    ("sendMessage", lambda api: api.fail_next("sendMessage", status=502, times=2)),
    ("sendMessage", lambda api: api.drop_next("sendMessage")),
    ("getUpdates", lambda api: api.fail_next("getUpdates", status=500, times=2)),
    ("getUpdates", lambda api: api.drop_next("getUpdates", times=2)),
], ids=["send-500", "send-502-twice", "send-dropped", "poll-500", "poll-dropped"])
async def test_faults_bot_api_errors_deliver_each_answer_exactly_once(
        offline_engine: Engine, method: str, inject) -> None:
    async with running_bot(offline_engine) as bot:
        inject(bot.api)
        bot.api.user_text(42, "When was Figure AI founded?")
        [reply] = await bot.sent(42, timeout=30)
        bot.api.user_text(42, "Who is Jim Keller?")
        messages = await bot.sent(42, count=2, timeout=30)
    assert "2022" in reply["text"] and len(messages) == 2 and "Keller" in messages[1]["text"]


async def test_faults_locked_database_answers_and_loses_no_write(
        make_engine: EngineFactory, fresh_database: Path, fresh_store: KnowledgeStore) -> None:
    engine = make_engine()
    other = sqlite3.connect(str(fresh_database))
    other.execute("BEGIN IMMEDIATE")  # another process (a refresh) holds the write lock
    try:
        answer = await asyncio.wait_for(
            engine.answer("When was Figure AI founded?", "c", log=True), 10)
    finally:
        other.rollback()
        other.close()
    assert answer.answered and "2022" in answer.text
    await engine.flush()  # the turn and the statistic were written once the lock was free
    assert len(recent_turns(fresh_store, "c", limit=5)) == 1
    assert usage_report(fresh_store).periods["all"].questions == 1


def fill_the_disk(store: KnowledgeStore) -> KnowledgeStore:
    """Make every write that needs a new page fail as on a full disk (SQLITE_FULL)."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    return store


class FullDisk(KnowledgeService):
    """The database on a disk with no room left."""

    def open_store(self, *, busy_timeout: float) -> KnowledgeStore:
        return fill_the_disk(super().open_store(busy_timeout=busy_timeout))


async def test_faults_full_disk_answers_and_refuses_refresh_cleanly(
        make_engine: EngineFactory, fresh_database: Path, fresh_store: KnowledgeStore) -> None:
    version = fresh_store.version
    engine = make_engine(FullDisk(fresh_database))
    answers = [await engine.answer("When was Figure AI founded?", "c", log=True)
               for _ in range(30)]
    assert all(answer.answered for answer in answers)
    admin = KnowledgeAdmin(Settings(_env_file=None, database_path=fresh_database))
    original_open = KnowledgeStore.open

    def open_full(path: Path, **options: object) -> KnowledgeStore:
        return fill_the_disk(original_open(path))

    article = ("Frost cooling module\n" + "The Frost module cools AI chips by 15 degrees. " * 400
               ).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(KnowledgeStore, "open", staticmethod(open_full))
        with pytest.raises(StoreError):
            admin.perform(lambda session: session.upload(article, name="frost.txt"), actor="t",
                          action="ingest")
    assert fresh_store.version == version
    assert (await engine.answer("When was Figure AI founded?")).answered


def immutable(path: Path, on: bool) -> bool:
    """Make a folder and its files unwritable even for root (chattr +i); tell if it worked."""
    flag = "+i" if on else "-i"
    targets = [path, *path.iterdir()]
    result = subprocess.run(["chattr", flag, *map(str, targets)], capture_output=True)
    return result.returncode == 0


@pytest.mark.slow
def test_faults_read_only_data_folder_keeps_answering(tmp_path: Path) -> None:
    assert run_bot("knowledge", "build", data_dir=tmp_path).returncode == 0
    article = tmp_path.parent / f"{tmp_path.name}-article.txt"
    article.write_text("Frost module\nThe Frost module cools AI chips.\n", encoding="utf-8")
    if shutil.which("chattr") is None or not immutable(tmp_path, True):
        pytest.skip("cannot make a folder read-only here (chattr +i needs CAP_LINUX_IMMUTABLE)")
    try:
        result = run_bot("ask", "--json", "--conversation", "c", "When was Figure AI founded?",
                         data_dir=tmp_path)
        upload = run_bot("knowledge", "ingest", str(article), data_dir=tmp_path)
    finally:
        immutable(tmp_path, False)
    assert result.returncode == 0 and '"answered": true' in result.stdout
    assert "read-only" in result.stderr
    assert upload.returncode == 1 and "readonly database" in upload.stderr


def test_faults_corrupt_database_is_an_error_not_a_read_only_fallback(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        KnowledgeStore.open(path)
    assert path.read_bytes() == b"this is not a database" * 100
