"""Admin operations on the knowledge, shared by the command line and Telegram.

This is the one admin boundary: the handlers and the command line import only
this module for admin work. Each operation opens its own database connection
(audit included), so Telegram can run it in a worker thread while the bot keeps
answering: readers see the old knowledge until the new version commits. Every
refusal leaves as an :class:`AdminError` with a closed set of codes for the
interface to explain; other failures (a broken database) propagate.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal, TypeVar

from bot.runtime import open_store
from bot.settings import Settings
from knowledge.articles import MAX_UPLOAD_BYTES, Article, ArticleError, decode_text, parse_article
from knowledge.errors import CodedError
from knowledge.feedback import VoteReport, vote_report
from knowledge.loading import KnowledgeFileError, Problem, check_knowledge_text, load_knowledge_file
from knowledge.store import KnowledgeStore
from knowledge.usage import UsageReport, record_action, usage_report
from knowledge.versions import (
    Change,
    RefreshError,
    Version,
    apply_knowledge,
    current_state,
    ensure_first_version,
    ingest_article,
    list_versions,
    remove_article,
    rollback,
)

# What the interfaces read of the knowledge layer's results, named here so they need not
# import it.
__all__ = [
    "AdminCode",
    "AdminError",
    "AdminSession",
    "Article",
    "Change",
    "KnowledgeAdmin",
    "Problem",
    "SourceInfo",
    "UploadKind",
    "UsageReport",
    "Version",
    "VoteReport",
    "check_upload",
    "upload_kind",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")
KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".json")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
UploadKind = Literal["knowledge", "article"]
AdminCode = Literal[
    # the upload itself
    "unsupported", "too_large", "empty", "binary", "undecodable", "no_paragraphs",
    "too_many_paragraphs", "invalid_knowledge",
    # the change asked for
    "builtin_source", "unknown_source", "unknown_version", "no_earlier_version", "not_serving",
    # the process is stopping: the upload was abandoned before anything was applied
    "stopped"]


class AdminError(CodedError):
    """An admin operation refused; nothing changed. ``problems`` for an invalid knowledge
    file, ``expected`` (file endings) for an unsupported upload."""

    code: AdminCode

    def __init__(self, code: AdminCode, detail: str = "", *, problems: tuple[Problem, ...] = (),
                 expected: tuple[str, ...] = ()):
        super().__init__(code, detail)
        self.problems = problems
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


def upload_kind(file_name: str) -> UploadKind | None:
    """``knowledge``, ``article`` or None, from a file's extension."""
    suffix = PurePath(file_name.lower()).suffix
    if suffix in KNOWLEDGE_SUFFIXES:
        return "knowledge"
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    return None


def check_upload(name: str, size: int | None, *, expected: UploadKind | None = None
                 ) -> UploadKind:
    """The kind of an upload, checked before (and, with the received size, while) it is
    fetched: AdminError ``unsupported`` for another kind of file (or not the ``expected``
    kind), ``too_large`` over the size limit."""
    kind = upload_kind(name)
    if kind is None or (expected is not None and kind != expected):
        suffixes = {"knowledge": KNOWLEDGE_SUFFIXES, "article": ARTICLE_SUFFIXES}
        raise AdminError("unsupported", name, expected=suffixes[expected] if expected
                         else KNOWLEDGE_SUFFIXES + ARTICLE_SUFFIXES)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise AdminError("too_large", f"{size} bytes (limit {MAX_UPLOAD_BYTES})")
    return kind


@contextlib.contextmanager
def refusals_as_admin_errors() -> Iterator[None]:
    """Raise the knowledge layer's refusals as AdminError, so callers handle one type."""
    try:
        yield
    except KnowledgeFileError as error:
        raise AdminError("invalid_knowledge", str(error), problems=tuple(error.problems)
                         ) from error
    except ArticleError as error:
        raise AdminError(error.code, error.detail) from error
    except RefreshError as error:
        code: AdminCode = ("not_serving" if error.code == "no_version"
                           else "no_earlier_version" if error.code == "unknown_version"
                           and not error.detail else error.code)
        raise AdminError(code, error.detail) from error


class AdminSession:
    """The admin operations, on one connection and for one actor (see KnowledgeAdmin.perform)."""

    def __init__(self, store: KnowledgeStore, settings: Settings, *, actor: str):
        self.store = store
        self.settings = settings
        self.actor = actor

    def ensure_serving(self) -> None:
        """Serve the knowledge file as the first version when the database has none."""
        ensure_first_version(self.store, self.settings.knowledge_path)

    def reload(self) -> Change:
        """Read the knowledge file from disk again and serve it if it changed."""
        knowledge = load_knowledge_file(self.settings.knowledge_path)
        return apply_knowledge(self.store, knowledge, actor=self.actor, action="reload")

    def upload(self, data: bytes, *, name: str, expected: UploadKind | None = None
               ) -> tuple[Article | None, Change]:
        """Serve an uploaded knowledge file (checked first) or add an uploaded article (a
        no-op when the same content is already known), by the file's extension."""
        if check_upload(name, len(data), expected=expected) == "article":
            article = parse_article(data)
            return article, ingest_article(self.store, article, actor=self.actor)
        text, _ = decode_text(data)
        knowledge, problems = check_knowledge_text(text, name=name)
        if knowledge is None:
            raise KnowledgeFileError(problems)
        return None, apply_knowledge(self.store, knowledge, actor=self.actor,
                                     action=f"upload {name}")

    def versions(self, *, limit: int = 10) -> list[Version]:
        """The latest versions, newest first."""
        return list_versions(self.store, limit=limit)

    def rollback(self, reference: str | None) -> Change:
        """Serve the previous (or the named) version again, as a new version."""
        return rollback(self.store, reference, actor=self.actor)

    def list_sources(self) -> list[SourceInfo]:
        """The built-in sources and the ingested articles."""
        state = current_state(self.store)
        if state is None:
            return []
        builtin = [SourceInfo(source.id, source.title.en, source.paragraphs, True)
                   for source in state.knowledge.sources]
        return builtin + [SourceInfo(a.id, a.title, len(a.paragraphs), False, a.added_at,
                                     a.added_by) for a in state.articles]

    def remove_source(self, source_id: str) -> Change:
        """Stop serving an ingested article."""
        return remove_article(self.store, source_id, actor=self.actor)

    def usage(self) -> tuple[UsageReport, VoteReport]:
        """The figures behind /stats: questions, and votes on answers."""
        return usage_report(self.store), vote_report(self.store)


def audit_summary(outcome: object) -> str:
    """What the audit log records of an operation that succeeded."""
    match outcome:
        case Change(version=None):
            return "no change"
        case Change():
            return outcome.diff.summary()
        case (Article() as article, Change() as change):
            return f"{audit_summary(change)}, {len(article.flagged)} flagged"
        case (None, Change() as change):
            return audit_summary(change)
        case list():
            return f"{len(outcome)} listed"
    return "done"


class KnowledgeAdmin:
    """Runs admin operations, each on one connection with its audit row."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._abandon = threading.Event()

    def abandon_pending(self) -> None:
        """Stop every operation still embedding (between two batches) and refuse new ones
        with AdminError ``stopped``: the process is stopping, and nothing of them is applied."""
        self._abandon.set()

    @contextlib.contextmanager
    def _store(self) -> Iterator[KnowledgeStore]:
        if self._abandon.is_set():
            raise AdminError("stopped")
        store = open_store(self.settings)
        store.abandon = self._abandon
        try:
            yield store
        finally:
            store.close()

    def perform(self, work: Callable[[AdminSession], T], *, actor: str, action: str,
                detail: str = "") -> T:
        """Run ``work`` and record it in the audit log, on one connection: the outcome, or
        AdminError for a refusal (nothing changed); other failures propagate, also audited."""
        with self._store() as store:
            try:
                with refusals_as_admin_errors():
                    outcome = work(AdminSession(store, self.settings, actor=actor))
            except AdminError as error:
                self._record(store, actor, action, detail, f"refused: {error}")
                raise
            except Exception as error:
                if self._abandon.is_set():
                    self._record(store, actor, action, detail, "failed: stopped")
                    raise AdminError("stopped", str(error)) from error
                self._record(store, actor, action, detail, f"failed: {type(error).__name__}")
                raise
            self._record(store, actor, action, detail, f"ok: {audit_summary(outcome)}")
            return outcome

    @staticmethod
    def _record(store: KnowledgeStore, actor: str, action: str, detail: str,
                result: str) -> None:
        try:
            record_action(store, actor=actor, action=action, detail=detail, result=result)
        except Exception as error:  # the audit trail must never hide the operation's outcome
            logger.warning("could not write the audit log: %s", error)

    def audit(self, *, actor: str, action: str, detail: str, result: str) -> None:
        """Record an admin action that did not run (refused before it started); also while
        the process stops."""
        store = open_store(self.settings)
        try:
            record_action(store, actor=actor, action=action, detail=detail, result=result)
        finally:
            store.close()
