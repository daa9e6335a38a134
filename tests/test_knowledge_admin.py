"""The admin boundary: one upload check, one error type with closed codes, one connection
per operation with its audit row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import get_args

import pytest

from bot.knowledge_admin import (
    AdminCode,
    AdminError,
    AdminSession,
    KnowledgeAdmin,
    audit_summary,
    check_upload,
)
from bot.settings import Settings
from handlers import texts
from knowledge.articles import MAX_UPLOAD_BYTES
from knowledge.store import KnowledgeStore
from knowledge.usage import recent_actions

ARTICLE = b"Frost cooling\n\nThe Frost module cools AI chips by 15 degrees.\n"


@pytest.fixture
def admin(fresh_database: Path) -> KnowledgeAdmin:
    return KnowledgeAdmin(Settings(_env_file=None, database_path=fresh_database))


def test_admin_texts_explain_every_code_in_every_script() -> None:
    """A code without a text would reach an admin as a KeyError: every code has three."""
    codes = set(get_args(AdminCode)) - {"invalid_knowledge"}  # which lists the problems
    assert set(texts.ADMIN_REFUSED) == codes
    for code in codes:
        assert set(texts.ADMIN_REFUSED[code]) == {"zh-Hant", "zh-Hans", "en"}, code


@pytest.mark.parametrize(("name", "size", "code"), [
    ("notes.pdf", 10, "unsupported"), ("noextension", 10, "unsupported"),
    ("facts.yaml", MAX_UPLOAD_BYTES + 1, "too_large"),
    ("article.txt", MAX_UPLOAD_BYTES + 1, "too_large")])
def test_check_upload_refuses_kind_and_size(name: str, size: int, code: str) -> None:
    with pytest.raises(AdminError) as refused:
        check_upload(name, size)
    assert refused.value.code == code


@pytest.mark.parametrize(("name", "kind"), [("facts.YAML", "knowledge"), ("k.json", "knowledge"),
                                            ("a.md", "article"), ("a.txt", "article")])
def test_check_upload_tells_the_kind(name: str, kind: str) -> None:
    assert check_upload(name, None) == kind
    with pytest.raises(AdminError) as refused:
        check_upload(name, 1, expected="article" if kind == "knowledge" else "knowledge")
    assert refused.value.code == "unsupported"
    assert refused.value.expected


@pytest.mark.parametrize(("work", "code"), [
    (lambda session: session.upload(b"", name="empty.txt"), "empty"),
    (lambda session: session.upload(b"\x00\x01\x02" * 50, name="blob.txt"), "binary"),
    (lambda session: session.upload(b"facts: [", name="broken.yaml"), "invalid_knowledge"),
    (lambda session: session.rollback("9999"), "unknown_version"),
    (lambda session: session.remove_source("no-such-article"), "unknown_source"),
    (lambda session: session.remove_source("cbj-2024-openai-hardware"), "builtin_source"),
])
def test_admin_refusals_are_admin_errors_and_audited(admin: KnowledgeAdmin,
                                                     fresh_store: KnowledgeStore,
                                                     work: object, code: str) -> None:
    version = fresh_store.version
    with pytest.raises(AdminError) as refused:
        admin.perform(work, actor="t", action="test")  # type: ignore[arg-type]
    assert refused.value.code == code
    if code == "invalid_knowledge":
        assert refused.value.problems
    assert fresh_store.version == version
    [row] = recent_actions(fresh_store, limit=1)
    assert row["actor"] == "t" and str(row["result"]).startswith(f"refused: {code}")


def test_admin_rollback_without_earlier_version_is_refused(admin: KnowledgeAdmin) -> None:
    with pytest.raises(AdminError) as refused:
        admin.perform(lambda session: session.rollback(None), actor="t", action="rollback")
    assert refused.value.code == "no_earlier_version"


def test_admin_operation_and_audit_share_one_connection(
        admin: KnowledgeAdmin, fresh_store: KnowledgeStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[KnowledgeStore] = []
    original = KnowledgeStore.open

    def counting_open(path: Path | str, **options: object) -> KnowledgeStore:
        store = original(path, **options)  # type: ignore[arg-type]
        opened.append(store)
        return store

    monkeypatch.setattr(KnowledgeStore, "open", staticmethod(counting_open))
    article, change = admin.perform(lambda session: session.upload(ARTICLE, name="frost.txt"),
                                    actor="t", action="upload", detail="frost.txt")
    assert article is not None and change.version is not None
    assert len(opened) == 1
    [row] = recent_actions(fresh_store, limit=1)
    assert row["result"] == f"ok: {audit_summary((article, change))}"
    assert "flagged" in str(row["result"])


def test_admin_failure_is_audited_and_propagates(admin: KnowledgeAdmin,
                                                 fresh_store: KnowledgeStore) -> None:
    def broken(session: AdminSession) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError):
        admin.perform(broken, actor="t", action="test")
    [row] = recent_actions(fresh_store, limit=1)
    assert row["result"] == "failed: OperationalError"
