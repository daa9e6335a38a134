"""Ranking one question's candidate facts: fused by meaning and by words, then weighed.

Reciprocal rank fusion merges the semantic ranking (``knowledge.semantic``) with the
lexical one (``knowledge.lexical``); facts off the question's subject, or without the
figure, date or someone it asks for, sink below the rest. ``signals`` describes the
best fact for the decision model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from knowledge.answer_kinds import (
    gives_examples,
    gives_identity,
    gives_outcome,
    gives_reason,
    names_several,
)
from knowledge.decision import Signals
from knowledge.lexical import IMPLIED_SUBJECT, Candidate, LexicalSearch
from knowledge.semantic import VectorIndex
from knowledge.store import FactRecord, KnowledgeStore
from knowledge.terms import entity_token, synonym_token

DENSE_CANDIDATES = 20
# Reciprocal rank fusion: each ranking adds weight / (RRF_K + rank).
RRF_K = 20
# The semantic ranking's say in the fusion, beside the lexical one's 1.
DENSE_WEIGHT = 1.5
# What a fact giving the kind of answer asked (a reason, an outcome, examples) gains.
KIND_BONUS = 0.02
SUBJECT_BONUS = 0.01
OTHER_TOKEN = synonym_token("other")


@dataclass(frozen=True)
class Hit:
    """A fact found for a question: its fused score, semantic similarity, coverage (0-1),
    which of the question's content units (indexes into ``Retrieval.weights``) it covers,
    and whether it is on topic (about the question's subject, with the kind of answer
    it asks for)."""

    fact: FactRecord
    score: float
    coverage: float
    covered: frozenset[int] = frozenset()
    on_subject: bool = True
    gives_wanted: bool = True
    similarity: float = 0.0
    tokens: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def on_topic(self) -> bool:
        return self.on_subject and self.gives_wanted


def candidates(store: KnowledgeStore, lexical: LexicalSearch, index: VectorIndex,
               vector: np.ndarray | None) -> list[Candidate]:
    """The lexical candidates and the facts semantically nearest, each once."""
    found = {candidate.rowid: candidate for candidate in lexical.candidates}
    if vector is not None and (lexical.own or lexical.query.entities):
        nearest = index.nearest(vector, limit=DENSE_CANDIDATES)
        facts = store.facts_by_rowid([rowid for rowid, _ in nearest])
        for rowid, _ in nearest:
            if rowid in facts and rowid not in found:
                fact, tokens = facts[rowid]
                found[rowid] = Candidate(rowid, fact, frozenset(tokens))
    return list(found.values())


def ranked(store: KnowledgeStore, lexical: LexicalSearch, found: list[Candidate],
           similarities: dict[int, float]) -> list[Hit]:
    """Candidates as hits, best first: on topic first, then by fused rank."""
    kinds = store.entity_kinds()
    hits = [Hit(c.fact, 0.0, round(lexical.coverage(c.tokens), 4), lexical.covered(c.tokens),
                lexical.on_subject(c.fact, c.tokens, kinds), lexical.gives_wanted(c.fact, kinds),
                round(similarities.get(c.rowid, 0.0), 4), c.tokens) for c in found]
    by_words = sorted(range(len(hits)), key=lambda i: (hits[i].coverage, found[i].bm25),
                      reverse=True)
    by_meaning = sorted(range(len(hits)), key=lambda i: hits[i].similarity, reverse=True)
    fused = [0.0] * len(hits)
    # A question with no words of its own ("what happened to it later?" after the part
    # naming Humane) is ranked by meaning: its context's words say what it is about, not
    # what it asks.
    for rank, i in enumerate(by_words if lexical.own else ()):
        fused[i] += 1.0 / (RRF_K + rank)
    for rank, i in enumerate(by_meaning):
        fused[i] += DENSE_WEIGHT / (RRF_K + rank)
    _favour_kinds(lexical, found, fused, kinds)
    if (not lexical.mentioned and lexical.subject != {IMPLIED_SUBJECT}
            and OTHER_TOKEN not in lexical.query.tokens):
        # A question naming nothing, about the conversation's subject ("都谁投了?" after
        # Humane): a fact about that subject before one that only mentions it; unless it
        # asks about the others ("其他机器人公司呢?").
        for i, candidate in enumerate(found):
            if (candidate.fact.entities
                    and entity_token(candidate.fact.entities[0]) in lexical.subject):
                fused[i] += SUBJECT_BONUS
    order = sorted(range(len(hits)), key=lambda i: (hits[i].on_topic, fused[i]), reverse=True)
    return [replace(hits[i], score=round(fused[i], 5)) for i in order]


def _favour_kinds(lexical: LexicalSearch, found: list[Candidate], fused: list[float],
                  kinds: dict[str, str]) -> None:
    """Raise the facts that give what the question asks as if one place higher: a reason
    ("why"), what came later ("what happened later?"), examples ("举几个例子", only for a
    part asking nothing else: "name a few of its investors" is answered by the investors)
    or several names (哪些公司: the fact naming three, not the one naming one), or who
    someone is (杜雨是谁: the statement of their title, not of their views)."""
    examples = lexical.examples and not lexical.own

    def names_them(fact: FactRecord) -> bool:
        return names_several(fact, lexical.wanted.name, kinds=kinds, besides=lexical.subject)

    for asked, gives in ((lexical.wanted.reason, gives_reason), (lexical.outcome, gives_outcome),
                         (examples, gives_examples), (lexical.several, names_them),
                         (lexical.identity, gives_identity)):
        if asked:
            for i, candidate in enumerate(found):
                if gives(candidate.fact):
                    fused[i] += KIND_BONUS


def signals(store: KnowledgeStore, lexical: LexicalSearch, hits: list[Hit],
            similarities: dict[int, float]) -> Signals:
    """What the decision weighs, for the question and its best hit."""
    best = hits[0]
    about = frozenset().union(*(store.tokens_about(entity) for entity in lexical.subject))
    values = np.array(list(similarities.values()) or [0.0])
    spread = float(values.std()) or 1.0
    by_meaning = max(hits, key=lambda hit: hit.similarity)
    by_words = max(hits, key=lambda hit: hit.coverage)
    return Signals(
        dense_z=(best.similarity - float(values.mean())) / spread,
        coverage=best.coverage, unknown=lexical.unknown_share(),
        asks_unknown=float(lexical.asks_about_the_unknown()),
        kind_missing=float(not best.gives_wanted or _date_of_the_unknown(lexical)
                           or _date_of_another_thing(lexical, best)),
        off_subject=float(not best.on_subject),
        agree=float(by_meaning.fact.id == by_words.fact.id),
        asked_missing=float(lexical.asked_but_not_in(best.tokens)),
        subject_lacks=float(lexical.asks_what_the_subject_lacks(about)))


# The words by which a question asks for a date ("what day"): not the thing it is asked of.
TIME_WORDS = frozenset({"day", "date", "year", "month", "week", "time", "日期", "日子", "时间",
                        "年份", "月份"})


def _date_of_the_unknown(lexical: LexicalSearch) -> bool:
    """Whether a question asks the date of something no fact mentions (啥时候量产): no
    fact gives it, whatever dates the facts hold (when a report came out, for one)."""
    return lexical.wanted.time and lexical.asks_about_the_unknown(besides=TIME_WORDS)


def _date_of_another_thing(lexical: LexicalSearch, best: Hit) -> bool:
    """Whether a question asks when a thing comes to market (or, leaning on the other
    parts, when theirs did) and its best fact does not speak of that thing (the chip's
    launch, answered by GPT-5's): the date is another thing's."""
    if not lexical.wanted.time:
        return False
    things = [unit for unit in lexical.own if unit.weight >= 1.0 and not unit.entity
              and not unit.asked and not unit.tokens & TIME_WORDS]
    if things and "expected" not in lexical.wanted.attributes:
        return False
    if things:
        return any(not unit.tokens & best.tokens for unit in things)
    # A part leaning on the others ("which year?", 哪年能用上 beside 芯片啥时候量产): the date
    # of their thing, which a fact sharing none of their words does not give.
    theirs = [unit for unit in lexical.query.units if unit.from_context and not unit.entity
              and not unit.asked and not unit.common]
    return bool(theirs) and not any(unit.tokens & best.tokens for unit in theirs)


def reason_missing(lexical: LexicalSearch, best: Hit) -> bool:
    """Whether a bare "why?" (为什么？, "what for?": question words alone, leaning on what
    was said before) is met by a fact giving no reason or purpose."""
    bare = all(unit.from_context for unit in lexical.own)
    return lexical.wanted.reason and bare and not gives_reason(best.fact)
