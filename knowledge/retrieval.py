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

import re
import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.store import FactRecord, KnowledgeStore, StoreError
from knowledge.terms import Mention, TermMatcher
from knowledge.text import (
    CHINESE_STOP_CHARACTERS,
    QUESTION_WORDS,
    chinese_bigrams,
    fts_phrase,
    normalize,
    split_terms,
    word_token,
)

MAX_QUERY_CHARACTERS = 2000
MAX_QUERY_TOKENS = 96
CANDIDATES = 40
# bm25 weights of the index columns: zh, en, tags, keywords, chars.
COLUMN_WEIGHTS = (1.0, 1.0, 2.0, 1.0, 0.2)
STRONG_COVERAGE = 0.5
WEAK_COVERAGE = 0.25
# A token found in more than this share of the facts says little (e.g. "openai").
COMMON_SHARE = 0.3
COMMON_WEIGHT = 0.2
CHINESE_CHARACTER_WEIGHT = 0.5
CONTEXT_WEIGHT = 0.35
# Naming an entity says what a question is about more than what it asks.
ENTITY_WEIGHT = 0.5
# Content the knowledge never mentions is likely what the question asks about.
UNKNOWN_WEIGHT = 1.0
# Question words and filler, in normalised (Simplified) form: they say what kind of
# answer is wanted, not what about, so they are searched but not counted as content.
_QUESTION_PHRASES = re.compile(
    "什么时候|啥时候|什么人|做什么的|做什么|干什么|干嘛|为什么|为啥|为何|怎么样|怎么|怎样|咋样|咋|"
    "什么|啥|如何|多少|哪些|哪个|哪家|哪里|哪儿|哪一|哪年|哪天|哪国|哪位|是谁|是不是|有没有|"
    "会不会|能不能|可不可以|是否|请问|告诉我|一下|何时|几月|几号|几家|几个|多大|多久|吗|呢|"
    "一开始|开始的时候|后来|最后|然后|现在|目前|当时|原本|本来|原来|到底|究竟|真的|而家|几多|"
    "以前|之前|以后|之后|公司|企业|"
    "自己|想要|打算|觉得|认为|看法|据说|听说|知道|介绍|说说|聊聊|讲讲|有关|关于|按照|根据|"
    "举几个例子|举个例子|举例|例子|"
    # What a question may ask about in general terms, which any fact on the topic can answer.
    "名字|名称|影响|作用|意思|关系|区别|差别|差异|用途|情况|样子|评价|态度|结果|意义"
)
# Question words followed by the thing asked about: 什么时候「量产」, 多少「员工」, 几「纳米」.
_ASKING = re.compile("什么时候|啥时候|何时|多少|几|(?<!为)什么|(?<!为)啥|哪些|哪个|哪家|哪|"
                     r"\bhow (?:much|many)\s+(?:is\s+|are\s+|does\s+|do\s+)?")


# What kind of answer a question wants, when its wording says so.
_WANTS_QUANTITY = re.compile(
    r"\bhow (much|many)\b|\bwhat percentage\b|多少|多大|"
    r"几(家|个|张|亿|万|千|百|次|轮|位|款|种|名|倍)")
_WANTS_TIME = re.compile(
    r"^\s*when\b|\b(what|which) (year|month|date|day)\b|什么时候|啥时候|何时|哪一年|哪年|几月|"
    r"哪个月|哪天|几号")
# A figure: a number standing alone (not the digit of a name such as 1X or H100), an
# amount, or a counted noun such as "three reasons".
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_QUANTITY = re.compile(
    rf"(?<![a-z0-9-])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![a-z])(?!\s+(?:{_MONTHS}))|\b(million|billion|thousand|hundred|dozen)\b|"
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( [a-z-]+)? [a-z]+s\b",
    re.IGNORECASE)
_DATE = re.compile(rf"\b(19|20)\d{{2}}\b|\b({_MONTHS})\b", re.IGNORECASE)


def answers_wanted_kind(question: str, fact: FactRecord) -> bool:
    """Tell whether a fact can give the kind of answer the question asks for (a figure, a date)."""
    normalized = normalize(question)
    if _WANTS_QUANTITY.search(normalized) and not _QUANTITY.search(fact.en):
        return False
    # The date must be in the statement: a fact's period may only be when it was reported.
    return not (_WANTS_TIME.search(normalized) and not _DATE.search(fact.en))


_SUB_QUESTION = re.compile(
    r"[?？;；!！。]+|\s*,?\s+and\s+(?=(?:who|when|what|why|how|which|where)\b)", re.IGNORECASE)


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


@dataclass
class _Unit:
    """A piece of the question's content; any of ``tokens`` in a fact covers it."""

    tokens: set[str]
    weight: float
    start: int
    end: int
    from_context: bool = False
    entity: str | None = None
    common: bool = False
    asked: bool = False


@dataclass
class Query:
    """What a question is searched with: MATCH tokens and the units coverage is measured on."""

    tokens: list[str]
    units: list[_Unit]
    entities: list[str]

    def expression(self) -> str:
        """The FTS5 MATCH expression: every token quoted, joined with OR."""
        return " OR ".join(fts_phrase(token) for token in self.tokens)


def _mask_question_phrases(normalized: str) -> str:
    """Blank out question words (什么时候, 为什么, 多少 …): they ask, they are not content."""
    return _QUESTION_PHRASES.sub(lambda match: " " * len(match.group(0)), normalized)


def _term_tokens(text: str, chinese: bool) -> list[str]:
    if chinese:
        return [b for b in chinese_bigrams(text) if not set(b) <= CHINESE_STOP_CHARACTERS]
    token = word_token(text)
    return [token] if token else []


def _chinese_units(run: str, start: int) -> list[_Unit]:
    if len(run) == 1:
        # A lone character between question words (卖 in 卖给谁了) is matched by the
        # index's column of single characters.
        return [] if run in CHINESE_STOP_CHARACTERS else [
            _Unit({run}, CHINESE_CHARACTER_WEIGHT, start, start + 1)]
    bigrams = chinese_bigrams(run)
    return [_Unit(set(bigrams[max(0, index - 1):index + 1]), CHINESE_CHARACTER_WEIGHT,
                  start + index, start + index + 1)
            for index, character in enumerate(run) if character not in CHINESE_STOP_CHARACTERS]


def _merge_mentions(units: list[_Unit], mentions: list[Mention]) -> list[_Unit]:
    """Make each entity or synonym mention one unit, covered by its tag or its own words.

    A name weighs the same whatever its length; a synonym weighs as one word.
    Entities go first, so a synonym inside a name does not split it. A mention made
    only of question words ("why", 做什么) adds no unit: it only ranks facts.
    """
    for mention in sorted(mentions, key=lambda m: (m.entity_id is None, m.start)):
        inside = [unit for unit in units if mention.start <= unit.start and unit.end <= mention.end]
        if not inside or any(unit.entity for unit in inside):
            continue
        merged = _Unit({mention.token}.union(*(unit.tokens for unit in inside)),
                       ENTITY_WEIGHT if mention.entity_id else 1.0, mention.start, mention.end,
                       entity=mention.token if mention.entity_id else None,
                       asked=any(unit.asked for unit in inside))
        units = [unit for unit in units if unit not in inside] + [merged]
    return sorted(units, key=lambda unit: unit.start)


def _units_of(normalized: str, matcher: TermMatcher) -> tuple[list[str], list[_Unit], list[str]]:
    """MATCH tokens, content units and named entity ids of one normalised text."""
    # Tokens come from the whole text, so question words still rank facts that list
    # them as keywords; units (what coverage counts) come from the text without them.
    tokens = [token for term in split_terms(normalized)
              for token in _term_tokens(term.text, term.chinese)]
    units: list[_Unit] = []
    for term in split_terms(_mask_question_phrases(normalized)):
        if term.chinese:
            units += _chinese_units(term.text, term.start)
        elif (token := word_token(term.text)) and term.text not in QUESTION_WORDS:
            units.append(_Unit({token}, 1.0, term.start, term.end))
    asked = {match.end() for match in _ASKING.finditer(normalized)}
    for unit in units:
        unit.asked = unit.start in asked
    tokens += [next(iter(unit.tokens)) for unit in units if unit.end - unit.start == 1
               and len(unit.tokens) == 1 and len(next(iter(unit.tokens))) == 1]
    mentions = matcher.find(normalized)
    tokens += [mention.token for mention in mentions]
    entity_ids = [mention.entity_id for mention in mentions if mention.entity_id]
    return tokens, _merge_mentions(units, mentions), list(dict.fromkeys(entity_ids))


def build_query(question: str, matcher: TermMatcher, *, context: str | None = None) -> Query:
    """Turn a question (and optionally the previous question) into a safe query."""
    normalized = normalize(question[:MAX_QUERY_CHARACTERS])
    tokens, units, entities = _units_of(normalized, matcher)
    if context:
        context_tokens, context_units, context_entities = _units_of(
            normalize(context[:MAX_QUERY_CHARACTERS]), matcher)
        for unit in context_units:
            unit.weight *= CONTEXT_WEIGHT
            unit.from_context = True
        tokens += context_tokens
        units += context_units
        entities += [e for e in context_entities if e not in entities]
    unique = list(dict.fromkeys(token for token in tokens if token))[:MAX_QUERY_TOKENS]
    return Query(tokens=unique, units=units, entities=entities)


def _is_common(token: str, frequencies: dict[str, int], total: int) -> bool:
    return total > 0 and frequencies.get(token, 0) / total > COMMON_SHARE


def _weigh_units(query: Query, frequencies: dict[str, int], total: int) -> None:
    """Lower the weight of units most facts cover; raise it for units no fact covers."""
    for unit in query.units:
        known = [token for token in unit.tokens if token in frequencies]
        if known and all(_is_common(token, frequencies, total) for token in known):
            unit.weight *= COMMON_WEIGHT
            unit.common = True
        elif not known:
            # The knowledge never mentions it: likely what the question asks about.
            unit.weight *= UNKNOWN_WEIGHT


def _coverage(units: list[_Unit], fact_tokens: set[str]) -> float:
    total = sum(unit.weight for unit in units)
    if total == 0:
        return 0.0
    return sum(unit.weight for unit in units if unit.tokens & fact_tokens) / total


def _candidates(store: KnowledgeStore, query: Query) -> list[tuple[int, float, set[str]]]:
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    sql = (
        f"SELECT rowid, -bm25(facts_fts, {weights}) AS score, zh, en, tags, keywords, chars "
        "FROM facts_fts WHERE facts_fts MATCH ? ORDER BY bm25(facts_fts, " + weights + ") "
        f"LIMIT {CANDIDATES}"
    )
    try:
        rows = store.db.execute(sql, [query.expression()]).fetchall()
    except sqlite3.Error as error:
        raise StoreError(f"full-text search failed: {error}") from error
    return [(row[0], row[1], set(" ".join(row[2:]).split())) for row in rows]


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
    if len(parts) == 1:
        return _retrieve_part(store, question, context=context, limit=limit)
    results = [
        _retrieve_part(store, part, limit=limit,
                       context=" ".join([*parts[:index], *parts[index + 1:], context or ""]))
        for index, part in enumerate(parts)
    ]
    return _combine(question, results, limit)


def split_question(question: str) -> list[str]:
    """The sub-questions of a question, split at question marks and sentence ends."""
    parts = [part.strip() for part in _SUB_QUESTION.split(question[:MAX_QUERY_CHARACTERS])]
    parts = [part for part in parts if part]
    return parts if len(parts) > 1 else [question]


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
        token for unit in query.units for token in unit.tokens)
    total = store.fact_count()
    _weigh_units(query, frequencies, total)
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


def _asks_about_the_unknown(units: list[_Unit], frequencies: dict[str, int]) -> bool:
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
    def named(units: list[_Unit]) -> set[str]:
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
    candidates = _candidates(store, query)
    facts = store.facts_by_rowid([rowid for rowid, _, _ in candidates])
    has_content = any(not unit.from_context for unit in query.units)
    ranked = []
    for rowid, score, tokens in candidates:
        if rowid not in facts:
            continue
        on_topic = ((not named or bool(named & tokens))
                    and answers_wanted_kind(question, facts[rowid]))
        coverage = round(_coverage(query.units, tokens), 6) if has_content else 0.0
        ranked.append((on_topic, coverage, score, facts[rowid], tokens))
    ranked.sort(key=lambda item: item[:3], reverse=True)
    return ranked
