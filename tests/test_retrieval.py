"""Retrieval: safe queries, the same facts in every script, and a quality figure."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bot.evaluation import read_question_set
from knowledge.query import build_query
from knowledge.retrieval import Relevance, retrieve_facts
from knowledge.store import KnowledgeStore
from tests.support.data import NEAR_MISSES, OWN_EVAL, SCRIPTS, SHARED_EVAL

HOSTILE = [
    "TSMC's", "C++", "100%", "3-nm", '"', "NOT", "a:b", "", "\x00", "x" * 10_000,
    "AND OR NOT", "NEAR(a b, 5)", "*", "^chip", "(", ")", "{zh en}: chip", "-", "zh:芯片",
    "'; DROP TABLE facts; --", "晶片\x00台積電", "\u202e\u200f", "😀" * 100, "台" * 10_000,
]


# Queries with nothing to search for: FTS syntax, control and invisible characters, noise.
NOISE = ["C++", '"', "NOT", "a:b", "", "\x00", "x" * 10_000, "AND OR NOT", "*", "(", ")", "-",
         "\u202e\u200f", "😀" * 100, "台" * 10_000]


@pytest.mark.parametrize("question", HOSTILE)
def test_retrieve_facts_hostile_input_never_raises(knowledge_store: KnowledgeStore,
                                                   question: str) -> None:
    def rows() -> int:
        return knowledge_store.db.execute("SELECT count(*) FROM facts").fetchone()[0]

    facts = rows()
    result = retrieve_facts(knowledge_store, question)
    assert all(hit.fact.id for hit in result.hits)
    assert rows() == facts  # the query was data, never SQL or FTS syntax
    if question in NOISE:  # near facts by meaning there may be, relevant ones there are not
        assert result.relevance == Relevance.NONE


def test_build_query_quotes_every_token(knowledge_store: KnowledgeStore) -> None:
    query = build_query('TSMC\'s "NOT" a:b 晶片', knowledge_store.term_matcher())
    parts = query.expression().split(" OR ")
    assert parts and all(part.startswith('"') and part.endswith('"') for part in parts)


@pytest.mark.parametrize("name", ["臺積電", "台積電", "台积电", "TSMC", "tsmc"])
def test_retrieve_facts_finds_tsmc_in_every_script(knowledge_store: KnowledgeStore,
                                                   name: str) -> None:
    result = retrieve_facts(knowledge_store, f"{name} 跟 OpenAI 合作做什麼？" if name[0] > "z"
                            else f"What is {name} doing with OpenAI?")
    assert result.relevance is not Relevance.NONE
    assert "tsmc" in result.hits[0].fact.entities


def test_retrieve_facts_same_top_fact_across_scripts(knowledge_store: KnowledgeStore) -> None:
    questions = ["OpenAI 的首款晶片跟誰合作？", "OpenAI 的首款芯片跟谁合作？",
                 "Who is OpenAI working with on its first chip?"]
    tops = {retrieve_facts(knowledge_store, q).hits[0].fact.id for q in questions}
    assert len(tops) == 1


def test_retrieve_facts_weak_is_told_apart_from_strong(knowledge_store: KnowledgeStore) -> None:
    strong = retrieve_facts(knowledge_store, "How much money did OpenAI raise in October 2024?")
    weak = retrieve_facts(knowledge_store, "How many employees does OpenAI have in Paris?")
    none = retrieve_facts(knowledge_store, "pizza recipe with mozzarella")
    assert (strong.relevance, none.relevance) == (Relevance.STRONG, Relevance.NONE)
    assert weak.relevance is not Relevance.STRONG


def _fact_rows(path: Path) -> list[dict]:
    return [row for row in read_question_set(path) if row["kind"] == "fact"]


def _hit_rates(store: KnowledgeStore, rows: list[dict]) -> dict[str, tuple[int, int, list[str]]]:
    outcome: dict[str, list] = defaultdict(lambda: [0, 0, []])
    for row in rows:
        hits = retrieve_facts(store, row["q"], limit=3).hits
        found = any(set(hit.fact.paragraphs) & set(row["paras"]) for hit in hits)
        counts = outcome[row["lang"]]
        counts[0] += found
        counts[1] += 1
        if not found:
            counts[2].append(row["id"])
    return {lang: tuple(counts) for lang, counts in outcome.items()}


def _assert_hit_rates(store: KnowledgeStore, path: Path, minimum: float) -> None:
    rates = _hit_rates(store, _fact_rows(path))
    report = {lang: f"{hit}/{total} missed {missed}"
              for lang, (hit, total, missed) in rates.items()}
    print(f"\nretrieval top-3 hit rate on {path.name}: {report}")
    assert set(rates) == set(SCRIPTS)
    for hit, total, _ in rates.values():
        assert hit / total >= minimum, report


def test_retrieve_facts_top3_hit_rate_on_own_question_set(knowledge_store: KnowledgeStore) -> None:
    _assert_hit_rates(knowledge_store, OWN_EVAL, 0.95)


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="../shared is not part of a user's clone")
def test_retrieve_facts_top3_hit_rate_on_shared_question_set(
        knowledge_store: KnowledgeStore) -> None:
    _assert_hit_rates(knowledge_store, SHARED_EVAL, 0.95)


def test_retrieve_facts_most_offtopic_questions_have_no_confident_hit(
        knowledge_store: KnowledgeStore) -> None:
    paths = [OWN_EVAL, NEAR_MISSES, *([SHARED_EVAL] if SHARED_EVAL.exists() else [])]
    rows = [row for path in paths for row in read_question_set(path)
            if row["kind"] == "offtopic"]
    confident = [row["id"] for row in rows
                 if retrieve_facts(knowledge_store, row["q"]).relevance is Relevance.STRONG]
    print(f"\noff-topic questions answered with confidence: {len(confident)}/{len(rows)}")
    assert len(confident) <= len(rows) * 0.25, confident
