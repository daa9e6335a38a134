"""Shared fixtures: knowledge databases built from the bundled knowledge file, and engines."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.settings import BUNDLED_KNOWLEDGE, DEFAULT_DATA_DIR
from knowledge.loading import load_knowledge_file
from knowledge.schema import KnowledgeFile
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore
from knowledge.versions import load_at_startup
from tests.support.cli import CommandLine
from tests.support.data import TESTS, EngineFactory
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.models import chat_client_for
from tests.support.telegram import RunningBot, running_bot

MODEL_REPLY = "OpenAI raised US$6.6 billion on 2 October 2024 [1]."
# What Python and the tools write beside the code; not the tests' doing.
TOOL_CACHES = ("__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache",
               ".venv", ".egg-info", ".bench-quick")


def checkout_changes() -> set[str]:
    """What git sees changed, added or ignored in the checkout, and the files of its data
    folder with their times (the data folder is ignored by git as a whole)."""
    try:
        listed = subprocess.run(["git", "status", "--porcelain", "--ignored=matching"],
                                cwd=TESTS.parent, capture_output=True, text=True, timeout=30)
        changes = {line for line in listed.stdout.splitlines()
                   if not any(cache in line for cache in TOOL_CACHES)} if listed.returncode == 0 \
            else set()
    except (OSError, subprocess.SubprocessError):
        changes = set()
    if DEFAULT_DATA_DIR.is_dir():
        changes |= {f"{path} {path.stat().st_mtime_ns}" for path in DEFAULT_DATA_DIR.iterdir()}
    return changes


@pytest.fixture(scope="session", autouse=True)
def checkout_stays_clean() -> Iterator[None]:
    """Tests never write into the checkout (a stray data/heartbeat would mislead `health`)."""
    before = checkout_changes()
    yield
    written = checkout_changes() - before
    assert not written, f"tests wrote into the checkout: {sorted(written)}"


@pytest.fixture(scope="session")
def bundled_knowledge() -> KnowledgeFile:
    return load_knowledge_file(BUNDLED_KNOWLEDGE)


@pytest.fixture(scope="session")
def built_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file built once from the bundled knowledge, to be copied by tests."""
    path = tmp_path_factory.mktemp("kb") / "template.db"
    store = KnowledgeStore.open(path)
    load_at_startup(store, BUNDLED_KNOWLEDGE)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture(scope="session")
def knowledge_store(built_database: Path) -> Iterator[KnowledgeStore]:
    """A read-only use of the built knowledge shared by the session; tests must not write."""
    store = KnowledgeStore.open(built_database)
    yield store
    store.close()


@pytest.fixture
def fresh_database(built_database: Path, tmp_path: Path) -> Path:
    """A private copy of the built knowledge that a test may change."""
    path = tmp_path / "bot.db"
    shutil.copyfile(built_database, path)
    return path


@pytest.fixture
def fresh_store(fresh_database: Path) -> Iterator[KnowledgeStore]:
    """A connection to the test's private database (the engines' database too)."""
    store = KnowledgeStore.open(fresh_database)
    yield store
    store.close()


@pytest.fixture
async def make_engine(fresh_database: Path) -> AsyncIterator[EngineFactory]:
    """Engines on the test's private database, closed (their writes finished) afterwards."""
    made: list[tuple[Engine, KnowledgeService]] = []

    def make(service: KnowledgeService | None = None, **options: Any) -> Engine:
        service = service or KnowledgeService(fresh_database)
        engine = Engine(service, **options)
        made.append((engine, service))
        return engine

    yield make
    for engine, service in made:
        await engine.aclose()
        service.close()


@pytest.fixture
def offline_engine(make_engine: EngineFactory) -> Engine:
    """An engine with no model, on the test's private database."""
    return make_engine(memory_turns=6, max_question_chars=2000)


@pytest.fixture
def fake_model() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible server (tests change its reply, latency and faults)."""
    with FakeOpenAI(reply=MODEL_REPLY) as server:
        yield server


@pytest.fixture
def model_engine(make_engine: EngineFactory, fake_model: FakeOpenAI) -> Engine:
    """An engine answering with the fake model through the real openai client."""
    return make_engine(client=chat_client_for(fake_model))


@pytest.fixture
async def bot(offline_engine: Engine) -> AsyncIterator[RunningBot]:
    """The Telegram bot on the fake Bot API, answering offline."""
    async with running_bot(offline_engine) as running:
        yield running


@pytest.fixture
async def model_bot(model_engine: Engine) -> AsyncIterator[RunningBot]:
    """The Telegram bot on the fake Bot API, answering with the fake model."""
    async with running_bot(model_engine) as running:
        yield running


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CommandLine:
    """Run ``python -m bot`` commands in this process (``cli("ask", "…", data_dir=…)``)."""
    return CommandLine(monkeypatch, capsys)
