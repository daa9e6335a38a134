"""Finding the facts that answer a question.

Full-text search (FTS5, ranked by bm25) finds candidates from tokens the query
builder quotes itself, so no user text ever reaches ``MATCH`` as syntax. The
candidates are then re-ranked by *coverage*: the weighted share of the
question's content (its words, and its Chinese characters outside question
words and filler) that a fact contains. Entity names and synonyms are tags, so
a fact covers a word of the question when it uses any spelling or synonym of it.
Coverage is what tells a real answer from a weak match and from nothing relevant.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.answer_kinds import gives_kinds, wanted_kinds
from knowledge.query import Query, Unit, build_query, split_question
from knowledge.store import FactRecord, KnowledgeStore, StoreError

CANDIDATES = 40
# From this many facts on, tokens in more than SEARCH_MAX_SHARE of them are not searched.
LARGE_KNOWLEDGE = 2000
SEARCH_MAX_SHARE = 0.01
MAX_SEARCH_TOKENS = 16
# bm25 weights of the index columns: zh, en, tags, keywords, chars.
COLUMN_WEIGHTS = (1.0, 1.0, 2.0, 1.0, 0.2)
STRONG_COVERAGE = 0.5
WEAK_COVERAGE = 0.25
# A token found in more than this share of the facts says little (e.g. "openai").
COMMON_SHARE = 0.3
COMMON_WEIGHT = 0.2
# Content the knowledge never mentions is likely what the question asks about.


class Relevance(StrEnum):
    """How well the knowledge covers a question."""

    NONE = "none"
    WEAK = "weak"
    STRONG = "strong"


@dataclass(frozen=True)
class Hit:
    """A fact found for a question: bm25 score (higher is better), coverage (0-1), which
    of the question's content units (indexes into ``Retrieval.weights``) it covers, and
    whether it is on topic (about the entity the question names, with the kind of
    answer it asks for)."""

    fact: FactRecord
    score: float
    coverage: float
    covered: frozenset[int] = frozenset()
    on_topic: bool = True


@dataclass(frozen=True)
class Retrieval:
    """The ranked facts for a question and how relevant the best of them is."""

    question: str
    hits: list[Hit]
    relevance: Relevance
    entities: list[str] = field(default_factory=list)
    weights: tuple[float, ...] = ()
    # For a question in several parts: how many leading hits answer one part each.
    leading: int = 1

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def _is_common(token: str, frequencies: dict[str, int], total: int) -> bool:
    return total > 0 and frequencies.get(token, 0) / total > COMMON_SHARE


def _weigh_units(query: Query, frequencies: dict[str, int], total: int) -> None:
    """Lower the weight of units most facts cover (they say little about what is asked)."""
    for unit in query.units:
        known = [token for token in unit.tokens if token in frequencies]
        if known and all(_is_common(token, frequencies, total) for token in known):
            unit.weight *= COMMON_WEIGHT
            unit.common = True


def _coverage(units: list[Unit], fact_tokens: set[str]) -> float:
    total = sum(unit.weight for unit in units)
    if total == 0:
        return 0.0
    return sum(unit.weight for unit in units if unit.tokens & fact_tokens) / total


def _searchable(query: Query, frequencies: dict[str, int], total: int) -> Query:
    """The query with only the tokens worth a full-text search.

    Tokens no fact contains cannot match. In a large knowledge base, tokens most
    facts contain would make the search score most of the base for little: they
    still count towards coverage (which reads each candidate's own tokens), but
    candidates are found by the rarer tokens, the rarest first.
    """
    tokens = [token for token in query.tokens if frequencies.get(token)]
    if total >= LARGE_KNOWLEDGE:
        rare = [token for token in tokens if frequencies[token] / total <= SEARCH_MAX_SHARE]
        tokens = rare or sorted(tokens, key=frequencies.__getitem__)[:1]
    tokens = sorted(tokens, key=frequencies.__getitem__)[:MAX_SEARCH_TOKENS]
    return Query(tokens=tokens, units=query.units, entities=query.entities)


def _candidates(store: KnowledgeStore,
                query: Query) -> list[tuple[float, FactRecord, set[str]]]:
    """The best facts by bm25, with their scores (higher is better) and index tokens."""
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    sql = (f"SELECT rowid, -bm25(facts_fts, {weights}) FROM facts_fts WHERE facts_fts MATCH ? "
           f"ORDER BY bm25(facts_fts, {weights}) LIMIT {CANDIDATES}")
    try:
        rows = store.db.execute(sql, [query.expression()]).fetchall()
    except sqlite3.Error as error:
        raise StoreError(f"full-text search failed: {error}") from error
    facts = store.facts_by_rowid([rowid for rowid, _ in rows])
    return [(score, *facts[rowid]) for rowid, score in rows if rowid in facts]


def _relevance(best: Hit, covers_content: bool) -> Relevance:
    if not covers_content or best.coverage < WEAK_COVERAGE:
        return Relevance.NONE
    if best.coverage >= STRONG_COVERAGE and best.on_topic:
        return Relevance.STRONG
    return Relevance.WEAK


def retrieve_facts(store: KnowledgeStore, question: str, *, context: str | None = None,
                   limit: int = 5) -> Retrieval:
    """The facts that best answer ``question``, ranked, with how relevant the best one is.

    ``context`` is the previous question of the conversation; it steers the
    ranking of a follow-up question without counting as the question's own content.
    A question naming a specific entity (not one most facts mention) is only
    answered confidently by a fact about that entity. A question in several parts
    ("When was it released? What can it do?") is searched part by part, each part
    with the others as context, and the best fact of each answered part leads.
    """
    parts = split_question(question)
    with store.read_snapshot():
        if len(parts) == 1:
            return _retrieve_part(store, question, context=context, limit=limit)
        results = [
            _retrieve_part(store, part, limit=limit,
                           context=" ".join([*parts[:index], *parts[index + 1:], context or ""]))
            for index, part in enumerate(parts)
        ]
    return _combine(question, results, limit)


def _combine(question: str, results: list[Retrieval], limit: int) -> Retrieval:
    """One retrieval from the retrievals of each part of a question."""
    answered = [result for result in results if result.relevance is Relevance.STRONG]
    if not answered:
        return max(results, key=lambda r: (r.relevance is Relevance.WEAK,
                                           r.best.coverage if r.best else 0.0))
    leading: list[Hit] = []
    for result in results:
        unseen = [hit for hit in result.hits
                  if hit.fact.id not in {shown.fact.id for shown in leading}]
        # A part with no content of its own ("What can it do?") leans on the others.
        follows = not result.weights and unseen and unseen[0].on_topic
        if unseen and (result.relevance is Relevance.STRONG or follows):
            leading.append(unseen[0])
    shown = {hit.fact.id for hit in leading}
    rest = [hit for hit in answered[0].hits if hit.fact.id not in shown]
    entities = list(dict.fromkeys(e for result in results for e in result.entities))
    return Retrieval(question, [*leading, *rest][:max(limit, len(leading))], Relevance.STRONG,
                     entities, answered[0].weights, leading=len(leading))


def _retrieve_part(store: KnowledgeStore, question: str, *, context: str | None,
                   limit: int) -> Retrieval:
    """Retrieval for a question that is not split further."""
    query = build_query(question, store.term_matcher(), context=context)
    if not query.tokens:
        return Retrieval(question, [], Relevance.NONE, query.entities)
    frequencies = store.document_frequencies(
        [*query.tokens, *(token for unit in query.units for token in unit.tokens)])
    total = store.fact_count()
    _weigh_units(query, frequencies, total)
    query = _searchable(query, frequencies, total)
    if not query.tokens:
        return Retrieval(question, [], Relevance.NONE, query.entities)
    own = [unit for unit in query.units if not unit.from_context]
    ranked = _rank(store, query, question, _named_entities(query, frequencies, total))
    hits = [Hit(fact, round(score, 4), round(_coverage(own, tokens), 4),
                frozenset(i for i, unit in enumerate(own) if unit.tokens & tokens), on_topic)
            for on_topic, _, score, fact, tokens in ranked[:limit]]
    if not hits:
        return Retrieval(question, [], Relevance.NONE, query.entities)
    covers_content = any(unit.tokens & ranked[0][4] and not unit.common for unit in own)
    relevance = _relevance(hits[0], covers_content)
    if relevance is Relevance.STRONG and _asks_about_the_unknown(own, frequencies):
        relevance = Relevance.WEAK
    return Retrieval(question, hits, relevance, query.entities, tuple(unit.weight for unit in own))


def _asks_about_the_unknown(units: list[Unit], frequencies: dict[str, int]) -> bool:
    """Tell whether the thing a question asks for (量产 in 什么时候量产) is never mentioned.

    No fact can answer "when will it be mass-produced" if no fact speaks of mass
    production, however well the rest of the question matches.
    """
    return any(unit.asked and not unit.entity and not any(t in frequencies for t in unit.tokens)
               for unit in units)


def _named_entities(query: Query, frequencies: dict[str, int], total: int) -> set[str]:
    """The specific entities a fact must be about: the question's own, else its context's.

    "Who invested?" after a question about Humane is a question about Humane.
    """
    def named(units: list[Unit]) -> set[str]:
        return {unit.entity for unit in units
                if unit.entity and not _is_common(unit.entity, frequencies, total)}
    return (named([unit for unit in query.units if not unit.from_context])
            or named([unit for unit in query.units if unit.from_context]))


def _rank(store: KnowledgeStore, query: Query, question: str,
          named: set[str]) -> list[tuple[bool, float, float, FactRecord, set[str]]]:
    """Candidates as (on topic, coverage, bm25, fact, tokens), best first.

    A question with no content of its own ("What can it do?") is ranked by bm25,
    its question words against the facts' keywords, among facts on its topic.
    """
    has_content = any(not unit.from_context for unit in query.units)
    wanted = wanted_kinds(question)
    ranked = []
    for score, fact, tokens in _candidates(store, query):
        on_topic = (not named or bool(named & tokens)) and gives_kinds(fact, wanted)
        coverage = round(_coverage(query.units, tokens), 6) if has_content else 0.0
        ranked.append((on_topic, coverage, score, fact, tokens))
    ranked.sort(key=lambda item: item[:3], reverse=True)
    return ranked
