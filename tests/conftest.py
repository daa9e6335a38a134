"""Shared fixtures: knowledge stores built from the bundled knowledge file, and engines."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.settings import BUNDLED_KNOWLEDGE
from knowledge.loading import load_knowledge_file
from knowledge.schema import KnowledgeFile
from knowledge.store import KnowledgeStore
from knowledge.versions import load_at_startup

TESTS = Path(__file__).parent
SHARED_EVAL = TESTS.parent.parent / "shared" / "eval" / "dev_qa.jsonl"
OWN_EVAL = TESTS / "data" / "qa.jsonl"
HOLDOUT_EVAL = TESTS / "data" / "qa_holdout.jsonl"
SCRIPTS = ("zh-Hant", "zh-Hans", "en")


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
def fresh_store(built_database: Path, tmp_path: Path) -> Iterator[KnowledgeStore]:
    """A private copy of the built knowledge that a test may change."""
    path = tmp_path / "bot.db"
    shutil.copyfile(built_database, path)
    store = KnowledgeStore.open(path)
    yield store
    store.close()


@pytest.fixture
def offline_engine(fresh_store: KnowledgeStore) -> Engine:
    """An engine with no model, on a private store."""
    return Engine(fresh_store, memory_turns=6, max_question_chars=2000)
