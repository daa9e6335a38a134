"""Knowledge versions: start-up, uploads, articles, diffs, rollbacks, and failed refreshes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from knowledge.articles import parse_article
from knowledge.loading import KnowledgeFileError
from knowledge.retrieval import retrieve_facts
from knowledge.schema import KnowledgeFile
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore
from knowledge.versions import (
    RefreshError,
    apply_knowledge,
    current_state,
    current_version,
    diff_states,
    find_version,
    ingest_article,
    list_versions,
    load_at_startup,
    remove_article,
    rollback,
)
from tests.support.data import EngineFactory

ROOT = Path(__file__).resolve().parent.parent
FROST = ("星辰科技的寒霜散熱模組\n"
         "星辰科技在2025年推出名為「寒霜」的晶片散熱模組，由台北團隊研發。\n"
         "寒霜散熱模組能讓 AI 晶片的溫度降低攝氏十五度。\n").encode()


@pytest.fixture
def store(tmp_path: Path) -> KnowledgeStore:
    opened = KnowledgeStore.open(tmp_path / "bot.db")
    yield opened
    opened.close()


@pytest.fixture
def knowledge_file(tmp_path: Path, bundled_knowledge: KnowledgeFile) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_text(yaml.safe_dump(bundled_knowledge.model_dump(mode="json"), allow_unicode=True),
                    encoding="utf-8")
    return path


def edited(knowledge: KnowledgeFile) -> KnowledgeFile:
    """The knowledge with one fact changed, one removed and one added."""
    facts = [fact.model_copy(update={"en": fact.en + " (edited)"}) if index == 0 else fact
             for index, fact in enumerate(knowledge.facts[:-1])]
    added = knowledge.facts[1].model_copy(update={"id": "a-new-fact"})
    return knowledge.model_copy(update={"facts": [*facts, added]})


def test_load_at_startup_creates_the_first_version_once(store: KnowledgeStore,
                                                        knowledge_file: Path) -> None:
    first = load_at_startup(store, knowledge_file)
    again = load_at_startup(store, knowledge_file)
    assert first is not None and first.version is not None and first.version.id == 1
    assert again is None and len(list_versions(store)) == 1
    assert store.stats().facts >= 60


def test_load_at_startup_serves_a_changed_file_as_a_new_version(
        store: KnowledgeStore, knowledge_file: Path, bundled_knowledge: KnowledgeFile) -> None:
    load_at_startup(store, knowledge_file)
    knowledge_file.write_text(edited(bundled_knowledge).model_dump_json(), encoding="utf-8")
    change = load_at_startup(store, knowledge_file)
    assert change is not None and change.version is not None and change.version.id == 2
    assert (len(change.diff.added), len(change.diff.changed), len(change.diff.removed)) == (1, 1, 1)


def test_load_at_startup_keeps_an_upload_served_across_restarts(
        store: KnowledgeStore, knowledge_file: Path, bundled_knowledge: KnowledgeFile) -> None:
    load_at_startup(store, knowledge_file)
    uploaded = apply_knowledge(store, edited(bundled_knowledge), actor="t", action="upload")
    assert load_at_startup(store, knowledge_file) is None
    version = current_version(store)
    assert uploaded.version is not None and version is not None
    assert version.id == uploaded.version.id and store.version == version.content_hash


def test_load_at_startup_with_a_broken_file_keeps_serving(store: KnowledgeStore,
                                                          knowledge_file: Path) -> None:
    load_at_startup(store, knowledge_file)
    served = store.version
    knowledge_file.write_text("facts: [oops", encoding="utf-8")
    assert load_at_startup(store, knowledge_file) is None
    assert store.version == served


@pytest.mark.parametrize("broken", ['date: 2024-13-45\nfacts: []',
                                    "facts: [{paragraphs: [" + "9" * 5000 + "]}]"])
def test_load_at_startup_with_an_impossible_value_keeps_serving(
        store: KnowledgeStore, knowledge_file: Path, broken: str) -> None:
    """A date or a number YAML cannot build is a bad file, not a crash at start-up."""
    load_at_startup(store, knowledge_file)
    served = store.version
    knowledge_file.write_text(broken, encoding="utf-8")
    assert load_at_startup(store, knowledge_file) is None
    assert store.version == served


@pytest.mark.parametrize("reference", ["²", "①", "9" * 30, "9" * 5000, "#-1"])
def test_find_version_odd_reference_is_no_version(store: KnowledgeStore, knowledge_file: Path,
                                                  reference: str) -> None:
    load_at_startup(store, knowledge_file)
    assert find_version(store, reference) is None


def test_load_at_startup_with_a_broken_file_and_nothing_served_raises(
        store: KnowledgeStore, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("facts: [oops", encoding="utf-8")
    with pytest.raises(KnowledgeFileError):
        load_at_startup(store, broken)


def test_diff_states_reports_added_changed_removed(bundled_knowledge: KnowledgeFile) -> None:
    from knowledge.state import KnowledgeState

    diff = diff_states(KnowledgeState(bundled_knowledge), KnowledgeState(edited(bundled_knowledge)))
    assert diff.added == ["a-new-fact"]
    assert diff.changed == [bundled_knowledge.facts[0].id]
    assert diff.removed == [bundled_knowledge.facts[-1].id]
    assert diff.summary() == "+1 facts, ~1 changed, -1 removed"


async def test_ingested_article_is_answered_at_once_and_rollback_removes_it(
        store: KnowledgeStore, knowledge_file: Path, make_engine: EngineFactory) -> None:
    load_at_startup(store, knowledge_file)
    assert store.path is not None
    engine = make_engine(KnowledgeService(store.path))
    before = await engine.answer("寒霜散熱模組能讓晶片降溫多少？")
    change = ingest_article(store, parse_article(FROST), actor="t")
    after = await engine.answer("寒霜散熱模組能讓晶片降溫多少？")
    assert not before.answered and change.diff.articles_added
    assert after.answered and "十五度" in after.text
    assert after.citations[0].source.startswith("article-") and after.citations[0].paragraphs
    rollback(store, actor="t")
    assert not (await engine.answer("寒霜散熱模組能讓晶片降溫多少？")).answered


def test_ingest_the_same_article_twice_changes_nothing(store: KnowledgeStore,
                                                       knowledge_file: Path) -> None:
    load_at_startup(store, knowledge_file)
    ingest_article(store, parse_article(FROST), actor="t")
    again = ingest_article(store, parse_article(FROST.decode().encode("big5")), actor="t")
    assert again.version is None and len(list_versions(store)) == 2


def test_remove_article_and_the_builtin_source_is_refused(store: KnowledgeStore,
                                                          knowledge_file: Path) -> None:
    load_at_startup(store, knowledge_file)
    article = parse_article(FROST)
    ingest_article(store, article, actor="t")
    removed = remove_article(store, article.id, actor="t")
    assert removed.diff.articles_removed == [article.id]
    with pytest.raises(RefreshError) as builtin:
        remove_article(store, "cbj-2024-openai-hardware", actor="t")
    with pytest.raises(RefreshError) as unknown:
        remove_article(store, "article-nope", actor="t")
    assert (builtin.value.code, unknown.value.code) == ("builtin_source", "unknown_source")


def test_rollback_to_a_named_version_is_itself_a_version(
        store: KnowledgeStore, knowledge_file: Path, bundled_knowledge: KnowledgeFile) -> None:
    load_at_startup(store, knowledge_file)
    apply_knowledge(store, edited(bundled_knowledge), actor="t", action="upload")
    change = rollback(store, "1", actor="t")
    assert change.version is not None and change.version.id == 3
    assert change.version.action == "rollback to #1"
    assert current_state(store).knowledge == bundled_knowledge  # type: ignore[union-attr]
    with pytest.raises(RefreshError):
        rollback(store, "#99", actor="t")


def test_refresh_failing_half_way_leaves_the_previous_version(
        store: KnowledgeStore, knowledge_file: Path, bundled_knowledge: KnowledgeFile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    load_at_startup(store, knowledge_file)
    served, stats = store.version, store.stats()
    original = KnowledgeStore._insert

    def insert_then_fail(self: KnowledgeStore, state: object) -> None:
        original(self, state)
        raise OSError("disk full, simulated between the index and the version record")

    monkeypatch.setattr(KnowledgeStore, "_insert", insert_then_fail)
    with pytest.raises(OSError):
        apply_knowledge(store, edited(bundled_knowledge), actor="t", action="upload")
    monkeypatch.undo()
    assert store.version == served and store.stats() == stats
    assert len(list_versions(store)) == 1


@pytest.mark.slow
def test_refresh_killed_half_way_leaves_a_consistent_database(tmp_path: Path,
                                                              knowledge_file: Path) -> None:
    database = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from knowledge.articles import parse_article
        from knowledge.store import KnowledgeStore
        from knowledge.versions import ingest_article, load_at_startup
        store = KnowledgeStore.open({str(database)!r})
        load_at_startup(store, Path({str(knowledge_file)!r}))
        original = KnowledgeStore._insert
        def insert_then_die(self, state):
            original(self, state)
            os._exit(9)  # the process dies in the middle of the transaction
        KnowledgeStore._insert = insert_then_die
        ingest_article(store, parse_article({FROST!r}), actor="t")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120)
    assert result.returncode == 9
    reopened = KnowledgeStore.open(database)
    try:
        assert len(list_versions(reopened)) == 1
        state = current_state(reopened)
        assert state is not None and state.articles == ()
        assert reopened.stats().facts == len(state.knowledge.facts)
        assert reopened.version == state.version
    finally:
        reopened.close()


def found_text(store: KnowledgeStore, question: str) -> str:
    return " ".join(hit.fact.zh for hit in retrieve_facts(store, question).hits)


def test_read_snapshot_sees_one_version_while_another_connection_refreshes(
        store: KnowledgeStore, knowledge_file: Path) -> None:
    load_at_startup(store, knowledge_file)
    before = store.version
    admin = KnowledgeStore.open(store.path)
    try:
        with store.read_snapshot():
            assert store.fact_count() > 0
            ingest_article(admin, parse_article(FROST), actor="t")  # commits meanwhile
            assert store.version == before
            assert "十五度" not in found_text(store, "寒霜散熱模組能讓晶片降溫多少？")
        assert store.version != before
        assert "十五度" in found_text(store, "寒霜散熱模組能讓晶片降溫多少？")
    finally:
        admin.close()
