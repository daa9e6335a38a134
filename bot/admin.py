"""Admin operations on the knowledge, shared by the command line and Telegram.

Each operation opens its own database connection, so Telegram can run it in a
worker thread while the bot keeps answering: readers see the old knowledge
until the new version commits. Failures are raised as the knowledge layer's
errors (KnowledgeFileError, ArticleError, RefreshError, StoreError) for the
interface to explain.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from bot.runtime import open_store
from bot.settings import Settings
from knowledge.articles import MAX_UPLOAD_BYTES, Article, ArticleError, decode_text, parse_article
from knowledge.feedback import VoteReport, vote_report
from knowledge.loading import KnowledgeFileError, check_knowledge_text, load_knowledge_file
from knowledge.store import KnowledgeStore
from knowledge.usage import UsageReport, record_action, usage_report
from knowledge.versions import (
    Change,
    Version,
    apply_knowledge,
    current_state,
    ingest_article,
    list_versions,
    remove_article,
    rollback,
)

KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".json")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


class UnsupportedUpload(Exception):
    """A file whose extension is not one the operation takes (``expected``)."""

    def __init__(self, name: str, *, expected: tuple[str, ...] = KNOWLEDGE_SUFFIXES
                 + ARTICLE_SUFFIXES):
        super().__init__(name)
        self.name = name
        self.expected = expected


@dataclass(frozen=True)
class SourceInfo:
    """A source the bot cites: the built-in article or an ingested one."""

    id: str
    title: str
    paragraphs: int
    builtin: bool
    added_at: str = ""
    added_by: str = ""


def check_size_declared(size: int | None) -> None:
    """Refuse an upload whose (declared or received) size is over the limit."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ArticleError("too_large", f"{size} bytes (limit {MAX_UPLOAD_BYTES})")


def check_upload(name: str, size: int | None) -> str:
    """The kind of an upload (``knowledge`` or ``article``), checked before it is fetched:
    raises UnsupportedUpload for another kind of file, ArticleError when too large."""
    kind = upload_kind(name)
    if kind is None:
        raise UnsupportedUpload(name)
    check_size_declared(size)
    return kind


def upload_kind(file_name: str) -> str | None:
    """``knowledge``, ``article`` or None, from a file's extension."""
    suffix = PurePath(file_name.lower()).suffix
    if suffix in KNOWLEDGE_SUFFIXES:
        return "knowledge"
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    return None


class KnowledgeAdmin:
    """Reload, upload, ingest, list, remove, roll back; and the usage figures."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @contextlib.contextmanager
    def _store(self) -> Iterator[KnowledgeStore]:
        store = open_store(self.settings)
        try:
            yield store
        finally:
            store.close()

    def reload(self, *, actor: str) -> Change:
        """Read the knowledge file from disk again and serve it if it changed."""
        knowledge = load_knowledge_file(self.settings.knowledge_path)
        with self._store() as store:
            return apply_knowledge(store, knowledge, actor=actor, action="reload")

    def upload_knowledge(self, data: bytes, *, name: str, actor: str) -> Change:
        """Check an uploaded knowledge file and, when valid, serve it as a new version."""
        text, _ = decode_text(data)
        knowledge, problems = check_knowledge_text(text, name=name)
        if knowledge is None:
            raise KnowledgeFileError(problems)
        with self._store() as store:
            return apply_knowledge(store, knowledge, actor=actor, action=f"upload {name}")

    def ingest(self, data: bytes, *, actor: str) -> tuple[Article, Change]:
        """Add an uploaded article (a no-op when the same content is already known)."""
        article = parse_article(data)
        with self._store() as store:
            return article, ingest_article(store, article, actor=actor)

    def upload(self, data: bytes, *, name: str, actor: str) -> tuple[str, Article | None, Change]:
        """Handle any upload by its extension: a knowledge file or an article."""
        kind = upload_kind(name)
        if kind == "knowledge":
            return kind, None, self.upload_knowledge(data, name=name, actor=actor)
        if kind == "article":
            article, change = self.ingest(data, actor=actor)
            return kind, article, change
        raise UnsupportedUpload(name)

    def versions(self, *, limit: int = 10) -> list[Version]:
        """The latest versions, newest first."""
        with self._store() as store:
            return list_versions(store, limit=limit)

    def rollback(self, reference: str | None, *, actor: str) -> Change:
        """Serve the previous (or the named) version again, as a new version."""
        with self._store() as store:
            return rollback(store, reference, actor=actor)

    def sources(self) -> list[SourceInfo]:
        """The built-in sources and the ingested articles."""
        with self._store() as store:
            state = current_state(store)
        if state is None:
            return []
        builtin = [SourceInfo(source.id, source.title.en, source.paragraphs, True)
                   for source in state.knowledge.sources]
        return builtin + [SourceInfo(a.id, a.title, len(a.paragraphs), False, a.added_at,
                                     a.added_by) for a in state.articles]

    def remove_source(self, source_id: str, *, actor: str) -> Change:
        """Stop serving an ingested article."""
        with self._store() as store:
            return remove_article(store, source_id, actor=actor)

    def usage(self) -> tuple[UsageReport, VoteReport]:
        """The figures behind /stats: questions, and votes on answers."""
        with self._store() as store:
            return usage_report(store), vote_report(store)

    def audit(self, *, actor: str, action: str, detail: str, result: str) -> None:
        """Record an admin action, allowed or refused."""
        with self._store() as store:
            record_action(store, actor=actor, action=action, detail=detail, result=result)

