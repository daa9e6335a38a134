"""The SQLite store of the knowledge: sources, entities, facts and their full-text index.

One :class:`KnowledgeStore` wraps one connection. The index is replaced in a
single transaction, and the database runs in WAL mode, so a reader sees either
the old knowledge or the new one, never a half-built index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from knowledge.embeddings import Embedder, EmbeddingError, bundled_embedder
from knowledge.index import INDEX_FORMAT, Item, insert_state, prepare_vectors
from knowledge.migrations import migrations
from knowledge.records import FACT_COLUMNS, FactRecord, KnowledgeStats, fact_record, utc_now
from knowledge.schema import Entity, KnowledgeFile, Source, SynonymGroup
from knowledge.spelling import Vocabulary, knowledge_vocabulary
from knowledge.state import KnowledgeState
from knowledge.terms import TermMatcher, entity_token
from knowledge.vectors import VectorError

logger = logging.getLogger(__name__)
# FactRecord, KnowledgeStats and utc_now (knowledge.records) are read from here too.
__all__ = ["FactRecord", "KnowledgeStats", "KnowledgeStore", "StoreError", "inspect_database",
           "open_read_only", "open_read_write", "utc_now"]
FREQUENCY_CACHE_SIZE = 50_000
FACT_CACHE_SIZE = 20_000


class StoreError(Exception):
    """The database could not be opened or written."""


def open_read_write(path: Path | str, *, busy_timeout: float = 5.0,
                    embedder: Embedder | None = None) -> KnowledgeStore:
    """The database the bot and the admin commands use: created and migrated when needed
    (read-only when its folder cannot be written; see KnowledgeStore.open)."""
    return KnowledgeStore.open(path, busy_timeout=busy_timeout, embedder=embedder)


def open_read_only(path: Path | str) -> KnowledgeStore:
    """The database as ``health`` reads it: never created, migrated or written."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no database at {path}")
    return KnowledgeStore.open_read_only(path)


def inspect_database(path: Path) -> tuple[int, str | None]:
    """How many facts a database serves, and their version, read without writing anything."""
    store = open_read_only(path)
    try:
        return store.fact_count(), store.version
    except sqlite3.Error as error:
        raise StoreError(f"cannot read the database at {path}: {error}") from error
    finally:
        store.close()


# Databases this process has migrated, by file, with their schema version afterwards:
# opening one again (a connection per admin step, per reader thread) skips the migrations.
_migrated: dict[tuple[str, int], int] = {}


def _apply_migrations(db: Database, path: Path) -> None:
    key = (str(path.resolve()), path.stat().st_ino)
    if _migrated.get(key) == db.execute("PRAGMA schema_version").fetchone()[0]:
        return
    migrations.apply(db)
    _migrated[key] = db.execute("PRAGMA schema_version").fetchone()[0]


_READ_ONLY_ERRORS = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def _cannot_write(error: OSError | sqlite3.Error) -> bool:
    """Tell a folder or file we may not write (serve read-only) from other failures (a lock,
    a corrupt file), which must not be hidden behind a read-only fallback."""
    if isinstance(error, OSError):
        return isinstance(error, PermissionError) or error.errno == 30  # EROFS
    return str(getattr(error, "sqlite_errorname", "")).startswith(_READ_ONLY_ERRORS)


class KnowledgeStore:
    """Reads and replaces the knowledge held in one SQLite database."""

    def __init__(self, db: Database, path: Path | None = None, *, read_only: bool = False,
                 embedder: Embedder | None = None):
        self.db = db
        self.path = path
        self.read_only = read_only
        self.embedder = embedder or bundled_embedder()
        # Set (by whoever runs a long change on this connection) to stop embedding.
        self.abandon: threading.Event | None = None
        # What was read of one knowledge version, by name: (version, value).
        self._read: dict[str, tuple[str | None, Any]] = {}

    @classmethod
    def open(cls, path: Path | str, *, busy_timeout: float = 5.0,
             embedder: Embedder | None = None) -> KnowledgeStore:
        """Open (creating when missing) the database at ``path`` and bring its schema up to date.

        A database that exists but cannot be written (a read-only data folder) is
        opened read-only: it keeps serving, and writes fail with StoreError.
        ``busy_timeout`` is how long to wait for another connection's lock.
        """
        path = Path(path)
        connection: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # One thread uses a connection at a time, but it may be closed from another.
            connection = sqlite3.connect(str(path), timeout=busy_timeout,
                                         check_same_thread=False)
            db = Database(connection)
            db.enable_wal()
            # In WAL mode NORMAL never corrupts the database; a crash of the machine (not
            # of the bot) may lose the last turns remembered. It saves an fsync per answer.
            db.execute("PRAGMA synchronous = NORMAL")
            _apply_migrations(db, path)
            store = cls(db, path, embedder=embedder)
            store.wait_for_locks(busy_timeout)
            return store
        except (OSError, sqlite3.Error) as error:
            if connection is not None:
                connection.close()
            if not path.is_file() or not _cannot_write(error):
                raise StoreError(f"cannot open the database at {path}: {error}") from error
            logger.warning("the database at %s cannot be written (%s); opening it read-only",
                           path, error)
            return cls.open_read_only(path, busy_timeout=busy_timeout, embedder=embedder)

    @classmethod
    def open_read_only(cls, path: Path, *, busy_timeout: float = 5.0,
                       embedder: Embedder | None = None) -> KnowledgeStore:
        """The database at ``path``, opened for reading only (StoreError when it cannot be
        read or holds no knowledge table)."""
        # In a read-only folder SQLite cannot create the WAL index: read the file as it
        # stands ("immutable"), which a clean shutdown left complete.
        error: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                # as_uri() escapes what a path may hold (#, ?, %) that a URI would read.
                connection = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True,
                                             timeout=busy_timeout, check_same_thread=False)
                connection.execute("SELECT count(*) FROM facts").fetchone()
                return cls(Database(connection), path, read_only=True, embedder=embedder)
            except sqlite3.Error as failure:
                error = failure
        raise StoreError(f"cannot open the database at {path}: {error}") from error

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[None]:
        """Hold the write lock from the first read to the commit.

        A change made from two places at once (two admins, the command line and
        Telegram) is then made one after the other, never one over the other.
        Inside a transaction already, it joins it.
        """
        if self.db.conn.in_transaction:
            yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(f"cannot start a change: {error}") from error
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException as error:
            if self.db.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # keep the original error
                    self.db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StoreError(f"cannot write the change: {error}") from error
            raise

    @contextlib.contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Read one committed version throughout, even while another connection commits a
        refresh between two of the reads (inside a transaction already, it joins it)."""
        if self.db.conn.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.conn.in_transaction:
                self.db.execute("COMMIT")

    def wait_for_locks(self, seconds: float) -> None:
        """How long a write waits for another connection's lock before it fails."""
        self.db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def meta(self, key: str) -> str | None:
        """One value of the meta table, or None."""
        for row in self.db.query("SELECT value FROM meta WHERE key = ?", [key]):
            return str(row["value"])
        return None

    @property
    def version(self) -> str | None:
        """The content hash of the knowledge being served, or None when nothing is built."""
        return self.meta("version")

    @property
    def index_current(self) -> bool:
        """Whether the index was built by this code with this embedder (else: rebuild it)."""
        return (self.meta("embedder") == self.embedder.name
                and self.meta("index_format") == INDEX_FORMAT)

    def replace_knowledge(self, knowledge: KnowledgeFile) -> str:
        """Serve the curated ``knowledge`` alone (no articles); return its version."""
        return self.replace_state(KnowledgeState(knowledge))

    def prepare(self, items: Iterable[Item]) -> int:
        """Compute the vectors the facts or passages lack, before a change's transaction (no
        lock is held while embedding); return how many were computed. Inside a transaction,
        or on a read-only store, nothing is done here (the change computes what it needs)."""
        if self.read_only or self.db.conn.in_transaction:
            return 0
        try:
            return prepare_vectors(self.db.conn, items, self.embedder, abandon=self.abandon)
        except VectorError as error:
            raise StoreError(str(error)) from error

    def replace_state(self, state: KnowledgeState, *, meta: dict[str, str] | None = None) -> str:
        """Make ``state`` the served knowledge in one transaction; return its version.

        Readers on other connections keep seeing the previous knowledge until the
        transaction commits; if anything fails, nothing of the new one remains.
        """
        try:
            with self.db.atomic():
                self._clear()
                self._insert(state)
                count = self.db.execute("SELECT count(*) FROM facts").fetchone()[0]
                self.set_meta({"version": state.version, "built_at": utc_now(),
                               "facts": str(count), "embedder": self.embedder.name,
                               "index_format": INDEX_FORMAT,
                               **(meta or {})})
        except (sqlite3.Error, EmbeddingError) as error:
            raise StoreError(f"cannot write the knowledge: {error}") from error
        return state.version

    def _clear(self) -> None:
        self.db.execute("INSERT INTO facts_fts (facts_fts) VALUES ('delete-all')")
        for table in ("facts", "entities", "synonyms", "sources", "fact_vectors"):
            self.db.execute(f"DELETE FROM {table}")

    def _insert(self, state: KnowledgeState) -> None:
        insert_state(self.db, state, self.embedder)

    def _per_version(self, name: str, read: Callable[[], Any]) -> Any:
        """What ``read`` returns, read once per knowledge version and kept under ``name``."""
        version = self.version
        kept = self._read.get(name)
        if kept is None or kept[0] != version:
            kept = self._read[name] = (version, read())
        return kept[1]

    def set_meta(self, values: dict[str, str]) -> None:
        """Set values of the meta table."""
        rows = ({"key": key, "value": value} for key, value in values.items())
        self.db.table("meta").upsert_all(rows, pk="key")

    def facts_by_rowid(self, rowids: Sequence[int]) -> dict[int, tuple[FactRecord, set[str]]]:
        """The facts with these index row ids and the tokens they are indexed by.

        Facts read once are kept until the knowledge version changes: the same facts
        answer many questions.
        """
        cache: dict[int, tuple[FactRecord, set[str]]] = self._per_version("facts", dict)
        if len(cache) > FACT_CACHE_SIZE:
            cache.clear()
        missing = [rowid for rowid in rowids if rowid not in cache]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self.db.query(
                f"SELECT {FACT_COLUMNS}, tokens FROM facts WHERE pk IN ({marks})", missing)
            cache.update({row["pk"]: (fact_record(row), set(row["tokens"].split()))
                          for row in rows})
        return {rowid: cache[rowid] for rowid in rowids if rowid in cache}

    def served_sources(self) -> list[Source]:
        """Every source, curated ones first, in file order (read again when the version changes)."""
        return list(self._per_version("sources", lambda: [
            Source.model_validate_json(row["data"])
            for row in self.db.query("SELECT data FROM sources ORDER BY position, id")]))

    def source(self, source_id: str) -> Source | None:
        """One source by id, or None."""
        for row in self.db.query("SELECT data FROM sources WHERE id = ?", [source_id]):
            return Source.model_validate_json(row["data"])
        return None

    def entities(self) -> list[Entity]:
        """Every entity, read once per knowledge version (questions ask for their names)."""
        return list(self._per_version("entities", lambda: [
            Entity.model_validate_json(row["data"])
            for row in self.db.query("SELECT data FROM entities ORDER BY id")]))

    def synonyms(self) -> list[SynonymGroup]:
        """Every synonym group."""
        rows = self.db.query("SELECT data FROM synonyms ORDER BY id")
        return [SynonymGroup.model_validate_json(row["data"]) for row in rows]

    def vocabulary(self) -> Vocabulary:
        """The words and character pairs the knowledge uses (for typo tolerance), per version:
        its English text, its entity names and synonyms, and its indexed Chinese pairs."""
        return self._per_version("vocabulary", self._read_vocabulary)

    def _read_vocabulary(self) -> Vocabulary:
        rows = self.db.query("SELECT en, keywords FROM facts")
        pairs = [row["term"] for row in self.db.query(
            "SELECT term FROM facts_vocab WHERE length(term) = 2 AND term >= '一'")]
        texts = [*(f"{row['en']} {row['keywords']}" for row in rows),
                 *(" ".join(group.terms) for group in self.synonyms())]
        names = [name for e in self.entities() for name in (*e.names.values(), *e.aliases)]
        return knowledge_vocabulary(texts, names, pairs)

    def tokens_about(self, entity: str) -> frozenset[str]:
        """Every index token of the facts that mention an entity (by its index token):
        what the knowledge says of it at all, per version."""
        cache: dict[str, frozenset[str]] = self._per_version("about", dict)
        if entity not in cache:
            rows = self.db.query("SELECT facts.tokens FROM facts_fts JOIN facts ON "
                                 "facts.pk = facts_fts.rowid WHERE facts_fts MATCH ?",
                                 [f'tags:"{entity}"'])
            cache[entity] = frozenset(token for row in rows for token in row["tokens"].split())
        return cache[entity]

    def entity_kinds(self) -> dict[str, str]:
        """The kind of each entity (company, person …), by its index token."""
        return self._per_version("kinds", lambda: {
            entity_token(entity.id): entity.kind for entity in self.entities()})

    def term_matcher(self) -> TermMatcher:
        """A matcher for the current entities and synonyms, rebuilt when the version changes."""
        return self._per_version("matcher",
                                 lambda: TermMatcher(self.entities(), self.synonyms()))

    def fact_count(self) -> int:
        """How many facts the index holds (counted when it was built)."""
        counted = self.meta("facts")
        if counted is None:
            return self.db.execute("SELECT count(*) FROM facts").fetchone()[0]
        return int(counted)

    def document_frequencies(self, tokens: Iterable[str]) -> dict[str, int]:
        """In how many facts each token occurs (tokens absent from the index are left out).

        Answers are cached until the knowledge version changes: questions reuse words.
        """
        cache: dict[str, int] = self._per_version("frequencies", dict)
        asked = list(dict.fromkeys(tokens))
        wanted = [token for token in asked if token not in cache]
        if wanted:
            marks = ",".join("?" * len(wanted))
            found = {row["term"]: row["doc"] for row in self.db.query(
                f"SELECT term, doc FROM facts_vocab WHERE term IN ({marks})", wanted)}
            if len(cache) > FREQUENCY_CACHE_SIZE:
                cache.clear()
            cache.update({token: found.get(token, 0) for token in wanted})
        return {token: cache[token] for token in asked if cache.get(token)}

    def stats(self) -> KnowledgeStats:
        """Counts of facts, entities and sources, the cited paragraphs of the built-in article."""
        count = lambda table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        cited: set[int] = set()
        for builtin in self.db.query(
                "SELECT id FROM sources WHERE kind = 'curated' ORDER BY position LIMIT 1"):
            for row in self.db.query("SELECT paragraphs FROM facts WHERE source = ?",
                                     [builtin["id"]]):
                cited.update(json.loads(row["paragraphs"]))
        return KnowledgeStats(
            facts=count("facts"), entities=count("entities"), sources=count("sources"),
            cited_paragraphs=sorted(cited), version=self.version,
        )
