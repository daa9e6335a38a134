"""Putting the parts together from the settings: the database, the embedder, the engine.

The bot, its admin commands and the command line open the database here
(``open_store``, and the serving side's ``open_knowledge_base``), through the
read-write opener of ``knowledge.store``; ``python -m bot health`` reads it with
that module's read-only opener (``inspect_database``).
"""

from __future__ import annotations

import functools
import logging
import time

from bot.engine import Engine
from bot.llm import ChatClient
from bot.settings import BackendChoice, Settings
from knowledge.embeddings import Embedder, RemoteEmbedder, bundled_embedder
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore, StoreError, open_read_write
from knowledge.versions import load_at_startup

logger = logging.getLogger(__name__)


def create_embedder(settings: Settings) -> Embedder:
    """The bundled model, or the OpenAI-compatible embeddings API the settings name."""
    if settings.embeddings_base_url is None:
        return bundled_embedder()
    key = settings.embeddings_api_key.get_secret_value() if settings.embeddings_api_key else None
    return _remote_embedder(settings.embeddings_base_url, settings.embeddings_model, key)


@functools.cache
def _remote_embedder(base_url: str, model: str, api_key: str | None) -> RemoteEmbedder:
    """One client per API and model for the process (its connections are reused)."""
    return RemoteEmbedder(base_url=base_url, model=model, api_key=api_key)


def open_store(settings: Settings, *, busy_timeout: float = 5.0) -> KnowledgeStore:
    """The database the settings name, opened for reading and writing (created and
    migrated when needed), with the configured embedder."""
    return open_read_write(settings.database_file, busy_timeout=busy_timeout,
                           embedder=create_embedder(settings))


def prepare_database(settings: Settings) -> None:
    """Open the database, bring its schema up to date and make sure it serves knowledge.

    The knowledge file becomes a new version only when it is new or changed since
    it was last read, so uploads and rollbacks survive restarts. Raises
    ``KnowledgeFileError`` (no usable knowledge) or ``StoreError`` for the caller.
    """
    store = open_store(settings)
    try:
        if store.read_only:
            # Serve what the database holds: nothing can be rebuilt or remembered.
            if store.version is None:
                raise StoreError(f"the database at {settings.database_file} is read-only "
                                 "and holds no knowledge")
        else:
            started = time.perf_counter()
            change = load_at_startup(store, settings.knowledge_path)
            if change is not None and change.version is not None:
                logger.info("built the knowledge index: version #%s, %s facts, in %.1f s",
                            change.version.id, store.fact_count(), time.perf_counter() - started)
    finally:
        store.close()


def open_knowledge_base(settings: Settings) -> KnowledgeService:
    """The database, prepared (see prepare_database), as the running bot uses it."""
    prepare_database(settings)
    return KnowledgeService(settings.database_file, embedder=create_embedder(settings))


def create_chat_client(settings: Settings) -> ChatClient:
    """A client for the configured OpenAI-compatible API."""
    return ChatClient(
        model=settings.openai_model, api_key=settings.openai_api_key,
        base_url=settings.openai_base_url, timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries, temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )


def create_engine(settings: Settings, knowledge: KnowledgeService, *,
                  backend: BackendChoice | None = None) -> Engine:
    """The engine with the backend the settings (or ``backend``) ask for."""
    chosen = settings.resolve_backend(backend or settings.llm_backend)
    client = create_chat_client(settings) if chosen == "openai" else None
    return Engine(knowledge, client=client, memory_turns=settings.memory_turns,
                  max_question_chars=settings.max_question_chars)
