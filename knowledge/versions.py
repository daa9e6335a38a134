"""Versions of the knowledge: every refresh, upload, ingest, removal and rollback.

Each change is committed in one transaction with the rebuilt index and its
version record, so a failure or a kill at any step leaves the previous version
serving. A version stores the curated knowledge it served and the ids of its
articles, which are kept once each; rolling back rebuilds that state as a new
version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from knowledge.articles import Article, article_passages
from knowledge.errors import CodedError
from knowledge.index import state_items
from knowledge.loading import KnowledgeFileError, content_hash, load_knowledge_file
from knowledge.schema import KnowledgeFile
from knowledge.state import KnowledgeState
from knowledge.store import KnowledgeStore, StoreError, utc_now

logger = logging.getLogger(__name__)


RefreshCode = Literal["builtin_source", "unknown_source", "no_version", "unknown_version"]


class RefreshError(CodedError):
    """A change that cannot be made; ``code`` says why, ``detail`` what it concerned."""

    code: RefreshCode

    def __init__(self, code: RefreshCode, detail: str = ""):
        super().__init__(code, detail)


@dataclass(frozen=True)
class Version:
    """One state the knowledge has been in, and who put it there."""

    id: int
    created_at: str
    actor: str
    action: str
    summary: str
    content_hash: str
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeDiff:
    """What changed between two states: fact ids added, changed, removed; articles."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    articles_added: list[str] = field(default_factory=list)
    articles_removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A one-line account, e.g. "+2 facts, ~1 changed, -0 removed, +1 article"."""
        parts = [f"+{len(self.added)} facts", f"~{len(self.changed)} changed",
                 f"-{len(self.removed)} removed"]
        if self.articles_added:
            parts.append(f"+{len(self.articles_added)} article(s)")
        if self.articles_removed:
            parts.append(f"-{len(self.articles_removed)} article(s)")
        return ", ".join(parts)


@dataclass(frozen=True)
class Change:
    """The outcome of a change: the new version (None when nothing changed) and the diff."""

    version: Version | None
    diff: KnowledgeDiff


def diff_states(old: KnowledgeState | None, new: KnowledgeState) -> KnowledgeDiff:
    """Compare two states fact by fact (by id) and article by article."""
    before = {fact.id: fact for fact in old.knowledge.facts} if old else {}
    after = {fact.id: fact for fact in new.knowledge.facts}
    old_articles = {article.id for article in old.articles} if old else set()
    new_articles = {article.id for article in new.articles}
    return KnowledgeDiff(
        added=[fact_id for fact_id in after if fact_id not in before],
        changed=[fact_id for fact_id in after if fact_id in before
                 and before[fact_id] != after[fact_id]],
        removed=[fact_id for fact_id in before if fact_id not in after],
        articles_added=sorted(new_articles - old_articles),
        articles_removed=sorted(old_articles - new_articles),
    )


_VERSION_COLUMNS = "id, created_at, actor, action, summary, content_hash, articles"


def _first(store: KnowledgeStore, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """The first row a query gives, as a dict, or None."""
    return next(iter(store.db.query(sql, params)), None)


def _version(row: dict[str, Any]) -> Version:
    return Version(id=row["id"], created_at=row["created_at"], actor=row["actor"],
                   action=row["action"], summary=row["summary"],
                   content_hash=row["content_hash"],
                   article_ids=tuple(json.loads(row["articles"])))


def list_versions(store: KnowledgeStore, *, limit: int = 10) -> list[Version]:
    """The latest versions, newest first."""
    rows = store.db.query(
        f"SELECT {_VERSION_COLUMNS} FROM versions ORDER BY id DESC LIMIT ?", [limit])
    return [_version(row) for row in rows]


def current_version(store: KnowledgeStore) -> Version | None:
    """The version being served, or None before the first one."""
    current = store.meta("current_version")
    return find_version(store, current) if current else None


def find_version(store: KnowledgeStore, reference: str) -> Version | None:
    """A version by number (``3``, ``#3``) or by the start of its content hash (4+ hex digits)."""
    reference = reference.strip().lstrip("#").lower()
    if re.fullmatch(r"[0-9]{1,18}", reference):  # not ² or ①, nor past SQLite's integers
        row = _first(store, f"SELECT {_VERSION_COLUMNS} FROM versions WHERE id = ?",
                     [int(reference)])
    elif re.fullmatch(r"[0-9a-f]{4,64}", reference):
        row = _first(store, f"SELECT {_VERSION_COLUMNS} FROM versions "
                     "WHERE substr(content_hash, 1, ?) = ? ORDER BY id DESC LIMIT 1",
                     [len(reference), reference])
    else:
        row = None
    return _version(row) if row else None


def load_state(store: KnowledgeStore, version: Version) -> KnowledgeState:
    """The knowledge and articles a version served."""
    raw = _first(store, "SELECT knowledge FROM versions WHERE id = ?", [version.id])
    if raw is None:
        raise StoreError(f"version #{version.id} is missing from the database")
    articles = [_article(store, article_id) for article_id in version.article_ids]
    return KnowledgeState(KnowledgeFile.model_validate_json(raw["knowledge"]),
                          tuple(article for article in articles if article is not None))


def current_state(store: KnowledgeStore) -> KnowledgeState | None:
    """The state being served, or None before the first version."""
    version = current_version(store)
    return load_state(store, version) if version else None


def _article(store: KnowledgeStore, article_id: str) -> Article | None:
    row = _first(store, "SELECT id, content_hash, title, text, chinese, encoding, added_at, "
                        "added_by FROM articles WHERE id = ?", [article_id])
    if row is None:
        return None
    return Article(id=row["id"], content_hash=row["content_hash"], title=row["title"],
                   paragraphs=tuple(row["text"].split("\n")), chinese=bool(row["chinese"]),
                   encoding=row["encoding"], added_at=row["added_at"], added_by=row["added_by"])


def _store_articles(store: KnowledgeStore, articles: tuple[Article, ...]) -> None:
    store.db.table("articles").upsert_all(
        ({"id": a.id, "content_hash": a.content_hash, "title": a.title, "text": a.text,
          "paragraphs": len(a.paragraphs), "chinese": int(a.chinese), "encoding": a.encoding,
          "added_at": a.added_at, "added_by": a.added_by} for a in articles), pk="id")


def commit_state(store: KnowledgeStore, state: KnowledgeState, *,
                 previous: KnowledgeState | None, actor: str, action: str,
                 file_hash: str | None = None) -> Change:
    """Serve ``state`` as a new version in place of ``previous`` (the state being served, read
    once by the caller), in one transaction; nothing happens if it is current."""
    diff = diff_states(previous, state)
    if previous is not None and previous.version == state.version:
        if file_hash:
            store.set_meta({"file_hash": file_hash})
        return Change(None, diff)
    meta = {"file_hash": file_hash} if file_hash else {}
    try:
        with store.db.atomic():
            _store_articles(store, state.articles)
            cursor = store.db.execute(
                "INSERT INTO versions (created_at, actor, action, summary, content_hash, "
                "knowledge, articles, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [utc_now(), actor, action, diff.summary(), state.version,
                 state.knowledge.model_dump_json(),
                 json.dumps([article.id for article in state.articles]), file_hash])
            store.replace_state(state, meta={"current_version": str(cursor.lastrowid), **meta})
    except sqlite3.Error as error:
        raise StoreError(f"cannot record the new version: {error}") from error
    return Change(current_version(store), diff)


def apply_knowledge(store: KnowledgeStore, knowledge: KnowledgeFile, *, actor: str,
                    action: str, file_hash: str | None = None) -> Change:
    """Serve new curated knowledge, keeping the ingested articles."""
    store.prepare(knowledge.facts)
    with store.write_transaction():
        previous = current_state(store)
        articles = previous.articles if previous else ()
        return commit_state(store, KnowledgeState(knowledge, articles), previous=previous,
                            actor=actor, action=action, file_hash=file_hash)


def ingest_article(store: KnowledgeStore, article: Article, *, actor: str) -> Change:
    """Add an article to what the bot knows; the same content twice changes nothing."""
    store.prepare(article_passages([article]))
    with store.write_transaction():
        previous = _require_state(store)
        if any(existing.content_hash == article.content_hash for existing in previous.articles):
            return Change(None, KnowledgeDiff())
        added = replace(article, added_at=utc_now(), added_by=actor)
        state = KnowledgeState(previous.knowledge, (*previous.articles, added))
        return commit_state(store, state, previous=previous, actor=actor,
                            action=f"ingest {article.id}")


def remove_article(store: KnowledgeStore, source_id: str, *, actor: str) -> Change:
    """Stop serving an ingested article (curated sources go only with a new knowledge file)."""
    loaded: dict[int, KnowledgeState] = {}
    if (before := current_version(store)) is not None:
        _prepare_state(store, _state_of(store, before, loaded))
    with store.write_transaction():
        current = current_version(store)
        if current is None:
            raise RefreshError("no_version")
        previous = _state_of(store, current, loaded)
        if any(source.id == source_id for source in previous.knowledge.sources):
            raise RefreshError("builtin_source", source_id)
        if previous.article(source_id) is None:
            raise RefreshError("unknown_source", source_id)
        kept = tuple(article for article in previous.articles if article.id != source_id)
        return commit_state(store, KnowledgeState(previous.knowledge, kept), previous=previous,
                            actor=actor, action=f"remove {source_id}")


def rollback(store: KnowledgeStore, reference: str | None = None, *, actor: str) -> Change:
    """Serve an earlier version again (the one before the current one by default)."""
    loaded: dict[int, KnowledgeState] = {}
    if (found := _rollback_target(store, reference)) is not None:
        _prepare_state(store, _state_of(store, found[1], loaded))
    with store.write_transaction():
        found = _rollback_target(store, reference)  # again: it may have changed meanwhile
        if found is None:
            raise RefreshError("unknown_version", reference or "")
        current, target = found
        return commit_state(store, _state_of(store, target, loaded),
                            previous=_state_of(store, current, loaded), actor=actor,
                            action=f"rollback to #{target.id}")


def _rollback_target(store: KnowledgeStore, reference: str | None
                     ) -> tuple[Version, Version] | None:
    """The version served and the one a rollback would serve (None: no such version)."""
    current = current_version(store)
    if current is None:
        raise RefreshError("no_version")
    if reference:
        target = find_version(store, reference)
    else:
        earlier = _first(
            store, f"SELECT {_VERSION_COLUMNS} FROM versions "
            "WHERE id < ? AND content_hash != ? ORDER BY id DESC LIMIT 1",
            [current.id, current.content_hash])
        target = _version(earlier) if earlier else None
    return (current, target) if target is not None else None


def _state_of(store: KnowledgeStore, version: Version,
              loaded: dict[int, KnowledgeState]) -> KnowledgeState:
    """A version's state, read once per change (a version never changes once recorded)."""
    if version.id not in loaded:
        loaded[version.id] = load_state(store, version)
    return loaded[version.id]


def _prepare_state(store: KnowledgeStore, state: KnowledgeState) -> None:
    """Embed what a state's index lacks before the change takes the write lock."""
    store.prepare(state_items(state))


def _require_state(store: KnowledgeStore) -> KnowledgeState:
    state = current_state(store)
    if state is None:
        raise RefreshError("no_version")
    return state


def ensure_first_version(store: KnowledgeStore, path: Path) -> None:
    """Serve the knowledge file if nothing is served yet; leave any current version be."""
    if current_version(store) is None:
        load_at_startup(store, path)


def load_at_startup(store: KnowledgeStore, path: Path) -> Change | None:
    """Make the database serve the knowledge file when it is new or changed since last read.

    An upload or a rollback made since stays served as long as the file on disk is
    the one last read. A broken file never replaces working knowledge: it is
    logged and the current version keeps serving (with no version yet, it raises).
    """
    current = current_version(store)
    digest = _file_digest(path)
    if (current is not None and digest is not None and store.meta("file_digest") == digest
            and store.version == current.content_hash and store.index_current):
        return None  # the very file last read, and its index is in step: nothing to parse
    try:
        knowledge = load_knowledge_file(path)
    except KnowledgeFileError:
        if current is None:
            raise
        logger.warning("the knowledge file %s is invalid; serving version #%s", path,
                       current.id)
        return None
    file_hash = content_hash(knowledge)
    change = None
    if current is None or store.meta("file_hash") != file_hash:
        change = apply_knowledge(store, knowledge, actor="startup", action="knowledge file",
                                 file_hash=file_hash)
    elif store.version != current.content_hash or not store.index_current:
        # The index is out of step with the version (an interrupted older build), its
        # vectors come from another embedder (never mixed), or it was built by older code:
        # rebuild it.
        state = load_state(store, current)
        store.prepare(state_items(state))
        store.replace_state(state)
    if digest is not None:
        store.set_meta({"file_digest": digest})
    return change


def _file_digest(path: Path) -> str | None:
    """A hash of the file's bytes, to tell cheaply that it has not changed."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
