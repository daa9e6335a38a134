"""Lexical matching: which facts share the question's words, names, numbers and dates.

Full-text search (FTS5, ranked by bm25) finds candidates from tokens the query
builder quotes itself, so no user text ever reaches ``MATCH`` as syntax. Each
candidate's *coverage* is the weighted share of the question's content (its words,
and its Chinese characters outside question words and filler) that the fact holds;
entity names and synonyms are tags, so a fact covers a word of the question when it
uses any spelling or synonym of it. Lexical matching is precise on names, aliases,
numbers and dates; semantic search (see ``knowledge.semantic``) carries the meaning.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from knowledge.answer_kinds import (
    BODY_KINDS,
    BODY_NOUN,
    SOMEONE_KINDS,
    WantedKinds,
    asks_examples,
    asks_identity,
    asks_outcome,
    asks_several,
    gives_kinds,
    names_other,
    wanted_kinds,
)
from knowledge.colloquial import standard_form
from knowledge.query import ENTITY_WEIGHT, Query, Unit, build_query
from knowledge.roles import PERSON_KINDS, leading_another, role_asked, view_asked
from knowledge.store import FactRecord, KnowledgeStore, StoreError
from knowledge.terms import entity_token
from knowledge.text import index_tokens, normalize

# A description of a company, a thing or someone, rather than a name: 那家…公司, the …
# startup, 那位院长, the guy who wrote.
_DESCRIBING = re.compile(rf"{BODY_NOUN}|[那这][家间个款台位]|[有某][个位]|玩意|大神|\b(?:gadget|"
                         r"device|thing|maker|one|guys?|man|woman|person|expert|makes?|made|"
                         r"built|wrote)\b")
# Speaking of a company, or asking for one (哪家出的, "who makes it"): of a product and its
# maker described alike (the pin), the maker is meant.
_BODY = re.compile(rf"{BODY_NOUN}|哪家|哪一?间|谁家|谁(?:出|做|造|推出|开发|研发)的|"
                   r"\bwho (?:makes?|made|built|sells?)\b")
CANDIDATES = 40
# From this many facts on, tokens in more than SEARCH_MAX_SHARE of them are not searched.
LARGE_KNOWLEDGE = 2000
SEARCH_MAX_SHARE = 0.01
MAX_SEARCH_TOKENS = 16
# bm25 weights of the index columns: zh, en, tags, keywords, chars.
COLUMN_WEIGHTS = (1.0, 1.0, 2.0, 1.0, 0.2)
# A token found in more than this share of the facts says little (e.g. "openai").
COMMON_SHARE = 0.3
COMMON_WEIGHT = 0.2
# The company a question is about when it names none (and no conversation says otherwise).
IMPLIED_SUBJECT = entity_token("openai")
# A fact naming entities of these kinds but not the question's subject is about them.
SUBJECT_KINDS = frozenset({"company", "product"})


@dataclass(frozen=True)
class Candidate:
    """A fact (by index row id) with its index tokens and bm25 score (higher is better;
    0 for a fact found by meaning alone)."""

    rowid: int
    fact: FactRecord
    tokens: frozenset[str]
    bm25: float = 0.0


@dataclass
class LexicalSearch:
    """A question's content units, what the knowledge knows of them, and its candidates."""

    query: Query
    own: list[Unit]
    frequencies: dict[str, int]
    total: int
    wanted: WantedKinds
    named: set[str] = field(default_factory=set)
    mentioned: set[str] = field(default_factory=set)
    described: set[str] = field(default_factory=set)  # named only by a description
    role_of: re.Pattern[str] | None = None  # a title or founder asked of the subject
    view_of: re.Pattern[str] | None = None  # a view asked of someone named: their view
    leading_other: re.Pattern[str] | None = None  # the subject leading another's round
    outcome: bool = False  # "what happened to it later?": how things turned out
    examples: bool = False  # 举几个例子: examples
    several: bool = False  # 哪些公司, "which companies": several names of a kind
    identity: bool = False  # 杜雨是谁: who a person named is
    subject: set[str] = field(default_factory=set)
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(unit.weight for unit in self.own)

    def coverage(self, tokens: frozenset[str]) -> float:
        """The weighted share of the question's own content a fact's tokens cover."""
        total = sum(unit.weight for unit in self.own)
        if total == 0:
            return 0.0
        return sum(unit.weight for unit in self.own if unit.tokens & tokens) / total

    def covered(self, tokens: frozenset[str]) -> frozenset[int]:
        """Which of the question's own units a fact covers (indexes into ``own``)."""
        return frozenset(i for i, unit in enumerate(self.own) if unit.tokens & tokens)

    def covers_content(self, tokens: frozenset[str]) -> bool:
        """Whether a fact holds at least one unit that is not a word most facts have."""
        return any(unit.tokens & tokens and not unit.common for unit in self.own)

    def unknown_share(self) -> float:
        """The weighted share of the question's content that no fact mentions at all."""
        total = sum(unit.weight for unit in self.own)
        unknown = sum(unit.weight for unit in self.own if not self._known(unit))
        return unknown / total if total else 0.0

    def asks_about_the_unknown(self, *, besides: AbstractSet[str] = frozenset()) -> bool:
        """Whether the thing asked for (量产 in 什么时候量产, employees in "how many
        employees") is something no fact mentions (words in ``besides`` aside)."""
        return any(unit.asked and not unit.entity and not self._known(unit)
                   and not unit.tokens & besides for unit in self.own)

    def names_the_unknown(self) -> bool:
        """Whether the question has a Latin-script word no fact mentions (Sora, GPT-6):
        a name, in a question of chat Chinese as much as of English."""
        return any(not unit.entity and not self._known(unit)
                   and all(token.isascii() and token.isalnum() for token in unit.tokens)
                   for unit in self.own)

    def asked_but_not_in(self, tokens: frozenset[str]) -> bool:
        """Whether the thing asked for is known to the knowledge but not held by this fact
        ("Figure AI's CEO": the knowledge speaks of CEOs, this fact of Figure's founding)."""
        return any(unit.asked and not unit.entity and self._known(unit)
                   and not unit.tokens & tokens for unit in self.own)

    def asks_what_the_subject_lacks(self, about: frozenset[str]) -> bool:
        """Whether the thing asked for is never said of the question's subject (``about``:
        every token of the facts about it): "Figure AI's CEO" when no fact about Figure AI
        speaks of a CEO, though some fact about another company does."""
        return any(unit.asked and not unit.entity and not unit.tokens & about
                   for unit in self.own)

    def _known(self, unit: Unit) -> bool:
        return any(token in self.frequencies for token in unit.tokens)

    def gives_wanted(self, fact: FactRecord, kinds: dict[str, str]) -> bool:
        """Whether a fact holds the kind of answer asked for (a figure, a date, someone)."""
        wanted = self.wanted
        someone = PERSON_KINDS if wanted.person else SOMEONE_KINDS
        # A company only described ("who makes the NEO robot?") may be the answer itself.
        named = self.named - self.described
        if wanted.someone and not names_other(fact, someone, kinds=kinds, besides=named):
            return False
        if wanted.name and not names_other(fact, wanted.name, kinds=kinds, besides=named):
            return False
        if not self._holds_the_roles(fact):
            return False
        return gives_kinds(fact, wanted)

    def _holds_the_roles(self, fact: FactRecord) -> bool:
        """Whether a fact gives the role or view asked of the subject, and not the subject
        leading another's round ("who led OpenAI's round?" is no round OpenAI led)."""
        if self.role_of is None and self.view_of is None and self.leading_other is None:
            return True  # most questions: no statement to normalise on the per-message path
        statements = (normalize(fact.zh), (fact.en or "").lower())
        for role in (self.role_of, self.view_of):
            if role is not None and not any(map(role.search, statements)):
                return False
        return self.leading_other is None or not any(map(self.leading_other.search,
                                                         statements))

    def on_subject(self, fact: FactRecord, tokens: frozenset[str],
                   kinds: dict[str, str]) -> bool:
        """Whether a fact is about the question's subject. A question naming an entity
        needs a fact about it; one naming none is about the conversation's subject or
        OpenAI, so facts about another company (or its product) are off it."""
        if self.named:
            # A question naming several entities ("OpenAI's valuation vs Figure's") is about
            # each of them, the common ones too.
            named = self.named | (self.mentioned if len(self.mentioned) > 1 else set())
            return bool(named & tokens)
        mentioned = [entity_token(entity) for entity in fact.entities]
        return bool(self.subject & set(mentioned)) or not any(
            kinds.get(token) in SUBJECT_KINDS for token in mentioned)


def _is_common(token: str, frequencies: dict[str, int], total: int) -> bool:
    return total > 0 and frequencies.get(token, 0) / total > COMMON_SHARE


def _weigh_units(units: list[Unit], frequencies: dict[str, int], total: int) -> None:
    """Lower the weight of units most facts cover (they say little about what is asked)."""
    for unit in units:
        known = [token for token in unit.tokens if token in frequencies]
        if known and all(_is_common(token, frequencies, total) for token in known):
            unit.weight *= COMMON_WEIGHT
            unit.common = True


def _cut_at_known_words(store: KnowledgeStore, units: list[Unit],
                        frequencies: dict[str, int]) -> None:
    """Match alone a character whose every bigram is unknown only because its neighbour
    belongs to a known word on the other side: 前 in 前苹果高管 (前苹 is no word, 苹果 is),
    开 in 凯勒开的. A word segmenter would cut there; unknown words (员工) and the thing
    asked for stay whole."""
    at = {(unit.from_context, position): unit for unit in units
          for position in range(unit.start, unit.end)}
    cut: dict[int, str] = {}
    for unit in units:
        in_context, start = unit.from_context, unit.start
        # The thing asked for stays whole: 技术官 is a title the knowledge lacks, though
        # 技术 and 官 are each known.
        if (unit.end - start != 1 or unit.entity or unit.asked or not unit.tokens
                or any(token in frequencies for token in unit.tokens)):
            continue
        characters = set()
        for token in unit.tokens:
            for offset, own in ((-1, 1), (1, 0)):
                other = at.get((in_context, start + offset))
                if other is not None and token in other.tokens and len(token) == 2 and any(
                        known in frequencies for known in other.tokens - {token}):
                    characters.add(token[own])
                    break
            else:
                characters.add("")
        if len(characters) == 1 and "" not in characters:
            cut[id(unit)] = characters.pop()
    if not cut:
        return
    frequencies.update(store.document_frequencies(cut.values()))
    for unit in units:
        if id(unit) in cut:
            unit.tokens = {cut[id(unit)]}


def _searchable(query: Query, frequencies: dict[str, int], total: int) -> list[str]:
    """The tokens worth a full-text search.

    Tokens no fact contains cannot match. In a large knowledge base, tokens most
    facts contain would make the search score most of the base for little: they
    still count towards coverage (which reads each candidate's own tokens), but
    candidates are found by the rarer tokens, the rarest first.
    """
    tokens = [token for token in query.tokens if frequencies.get(token)]
    if total >= LARGE_KNOWLEDGE:
        rare = [token for token in tokens if frequencies[token] / total <= SEARCH_MAX_SHARE]
        tokens = rare or sorted(tokens, key=frequencies.__getitem__)[:1]
    return sorted(tokens, key=frequencies.__getitem__)[:MAX_SEARCH_TOKENS]


def _candidates(store: KnowledgeStore, tokens: list[str]) -> list[Candidate]:
    """The best facts by bm25, with their index tokens."""
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    sql = (f"SELECT rowid, -bm25(facts_fts, {weights}) FROM facts_fts WHERE facts_fts MATCH ? "
           f"ORDER BY bm25(facts_fts, {weights}) LIMIT {CANDIDATES}")
    expression = Query(tokens=tokens, units=[], entities=[]).expression()
    try:
        rows = store.db.execute(sql, [expression]).fetchall()
    except sqlite3.Error as error:
        raise StoreError(f"full-text search failed: {error}") from error
    facts = store.facts_by_rowid([rowid for rowid, _ in rows])
    return [Candidate(rowid, facts[rowid][0], frozenset(facts[rowid][1]), score)
            for rowid, score in rows if rowid in facts]


def _named(units: list[Unit], frequencies: dict[str, int], total: int) -> set[str]:
    return {unit.entity for unit in units
            if unit.entity and not _is_common(unit.entity, frequencies, total)}


def described_entity(store: KnowledgeStore, text: str, *,
                     besides: AbstractSet[str] = frozenset()) -> tuple[str, list[str]] | None:
    """The token of the one entity a text describes without naming it ("the Norwegian
    robot startup", 做 AI Pin 的那家公司) and the phrases that describe it; None when it
    describes none or several equally. Only a text that speaks of some company or thing
    (公司, 那家, startup) counts."""
    return _described(store, standard_text(store, text), besides)


def _described(store: KnowledgeStore, normalized: str,
               besides: AbstractSet[str]) -> tuple[str, list[str]] | None:
    """``described_entity`` of a text already in standard words (see ``standard_text``)."""
    top, found = _best_described(store, normalized, besides)
    return (top[0], found[top[0]]) if len(top) == 1 else None


def _best_described(store: KnowledgeStore, normalized: str, besides: AbstractSet[str]
                    ) -> tuple[list[str], dict[str, list[str]]]:
    """The tokens of the entities a text describes best (several when it fits them alike:
    "the humanoid robot startup" is Figure AI or 1X), and every description found."""
    if not _DESCRIBING.search(normalized):
        return [], {}
    found = {entity_token(entity_id): phrases for entity_id, phrases
             in store.term_matcher().described(normalized).items()}
    found = {token: phrases for token, phrases in found.items() if token not in besides}
    if not found:
        return [], found
    best = max(map(len, found.values()))
    top = [token for token, phrases in found.items() if len(phrases) == best]
    if len(top) > 1 and _BODY.search(normalized):
        # "The company that made the pin": the company, not the pin.
        kinds = store.entity_kinds()
        top = [token for token in top if kinds.get(token) in BODY_KINDS] or top
    return top, found


def _stand_for(units: list[Unit], token: str, phrases: list[str]) -> None:
    """Make the words describing an entity one unit standing for it, weighing as a name:
    a fact about it covers them, and they say what the question is about, not what it
    asks ("the company that makes the wearable pin: who founded it?" asks who founded)."""
    described = {t for phrase in phrases for t in index_tokens(phrase)}
    describing = [unit for unit in units if unit.tokens & described]
    for index, unit in enumerate(describing):
        unit.tokens = unit.tokens | {token}
        unit.weight = ENTITY_WEIGHT if index == 0 else 0.0


def _subject(store: KnowledgeStore, search: LexicalSearch, standard: str,
             context: str | None) -> set[str]:
    """What the question (``standard``: in standard words) is about: what it names or
    describes, else what its context names or describes, else OpenAI. A described entity
    joins what the question names."""
    top, found = _best_described(store, standard, search.mentioned)
    if len(top) == 1:
        token, phrases = top[0], found[top[0]]
        search.named.add(token)
        search.mentioned.add(token)
        search.described.add(token)
        _stand_for(search.own, token, phrases)
        search.frequencies.update(store.document_frequencies([token]))
    in_context = _named([unit for unit in search.query.units if unit.from_context],
                        search.frequencies, search.total)
    if context and (described := described_entity(
            store, context, besides=search.mentioned | in_context)):
        in_context.add(described[0])
    # Described alike, several entities ("the humanoid robot startup"): one of them is
    # meant, not OpenAI.
    alike = set() if search.mentioned else set(top)
    # OpenAI is in most facts, so naming it does not make it "named"; it is still the
    # subject of "OpenAI估值多少?" beside a part about Microsoft.
    own = search.mentioned & {IMPLIED_SUBJECT}
    return search.named or own or in_context or alike or {IMPLIED_SUBJECT}


def _read_what_is_asked(store: KnowledgeStore, search: LexicalSearch, standard: str) -> None:
    """Note the roles, views, outcomes and examples a question (in standard words) asks."""
    search.role_of = role_asked(store, search.subject, standard,
                                for_someone=bool(search.wanted.someone or search.wanted.name))
    search.view_of = view_asked(store, standard)
    search.leading_other = leading_another(store, search.subject, standard)
    search.outcome = asks_outcome(standard)
    search.examples = asks_examples(standard)
    search.several = bool(search.wanted.name) and asks_several(standard)
    kinds = store.entity_kinds()
    search.identity = (search.role_of is None and bool(search.subject) and asks_identity(standard)
                       and all(kinds.get(token) == "person" for token in search.subject))


# Words pointing back at someone or something of the conversation.
_POINTING = re.compile(r"[它他她其]|\b(?:it|its|they|them|their|he|him|his|she|her)\b")


def _switch_to_the_named(store: KnowledgeStore, search: LexicalSearch) -> None:
    """A follow-up naming another company than the one before, pointing at neither ("那1X
    呢?" after Figure AI's round), is about the one it names; "what did he say about Apple?"
    keeps him, as a company asked of keeps the person named before."""
    asked = [unit for unit in search.own if not unit.from_context]
    named = _named(asked, search.frequencies, search.total)
    kinds = store.entity_kinds()
    if {kinds.get(token) for token in named} & {kinds.get(token)
                                                for token in search.named - named}:
        search.named = named
        search.mentioned = {unit.entity for unit in asked if unit.entity}


def standard_text(store: KnowledgeStore, text: str) -> str:
    """A question in the knowledge's own words: normalised, colloquial forms made standard,
    typos corrected (what both searches read)."""
    return store.vocabulary().correct_text(standard_form(normalize(text)))


def lexical_search(store: KnowledgeStore, question: str, *, context: str | None = None,
                   own_context: bool = False) -> LexicalSearch:
    """The question's content and the facts sharing its words.

    ``context`` (the previous question of a follow-up, or the other parts of a question
    in several) steers the ranking and names the subject when the question names none:
    "Who invested?" after a question about Humane is about Humane. With ``own_context``
    (a follow-up), its content counts as the question's own, at its lower weight:
    "and its founder?" asks for the founder of what the previous question was about.
    """
    vocabulary = store.vocabulary()
    query = build_query(question, store.term_matcher(), context=context,
                        rewrite=lambda text: vocabulary.correct_text(standard_form(text)))
    frequencies = store.document_frequencies(
        [*query.tokens, *(token for unit in query.units for token in unit.tokens)])
    total = store.fact_count()
    _cut_at_known_words(store, query.units, frequencies)
    _weigh_units(query.units, frequencies, total)
    own = [unit for unit in query.units if own_context or not unit.from_context]
    normalized = normalize(question)
    search = LexicalSearch(query=query, own=own, frequencies=frequencies, total=total,
                           wanted=wanted_kinds(standard_form(normalized)))
    search.named = _named(own, frequencies, total)
    search.mentioned = {unit.entity for unit in own if unit.entity}
    if own_context and not _POINTING.search(normalized):
        _switch_to_the_named(store, search)
    standard = standard_text(store, question)
    search.subject = _subject(store, search, standard, context)
    _read_what_is_asked(store, search, standard)
    if not search.named and search.subject != {IMPLIED_SUBJECT}:
        # "When did o1 come out? And the funding?": a product named by another part of the
        # question does not make this part about the product alone; OpenAI stays in.
        kinds = store.entity_kinds()
        if not own_context and all(kinds.get(token) == "product" for token in search.subject):
            search.subject = search.subject | {IMPLIED_SUBJECT}
        search.named = search.subject  # the conversation's subject, for a follow-up
    tokens = _searchable(query, frequencies, total)
    if tokens:
        search.candidates = _candidates(store, tokens)
    return search
