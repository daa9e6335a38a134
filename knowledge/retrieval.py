"""Finding the facts that answer a question, and deciding whether they do.

Two rankings are fused (see ``knowledge.ranking``): semantic similarity of the
question to each fact's statements, which carries meaning through typos, slang and
paraphrase, and lexical matching, precise on names, numbers and dates. A calibrated
model (``knowledge.decision``) weighs the signals of the best fact into a relevance:
answer, hand to a model that may still decline, or say the knowledge does not cover
it. A question in several parts is decided as a whole, and each part brings its own
best fact; a question naming several companies brings the best fact of each.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from knowledge import decision
from knowledge.answer_kinds import has_amount, has_figure, wanted_kinds
from knowledge.colloquial import standard_form
from knowledge.decision import Signals
from knowledge.lexical import IMPLIED_SUBJECT, LexicalSearch, lexical_search, standard_text
from knowledge.query import asks_something, asks_yes_or_no, split_question
from knowledge.ranking import Hit, candidates, ranked, reason_missing, signals
from knowledge.semantic import VectorIndex, load_index
from knowledge.store import FactRecord, KnowledgeStore
from knowledge.terms import entity_token
from knowledge.text import normalize

__all__ = ["Hit", "Relevance", "Retrieval", "people_answering", "question_signals",
           "retrieve_facts"]
SUBSTANTIVE_UNITS = 3
# Another named company's best fact joins the answer when it stands this close in meaning.
ENTITY_MARGIN = 0.08
MAX_LEADING = 3
# A part of a question the whole answers is said not to be covered only when its own
# probability is below this share of the weak threshold.
PART_SHARE = 0.3


# "The founder of Atomic Semi": the answer names someone, as "who founded it" does.
_NAMES_FOUNDER = re.compile(r"\bfounders?\b|创始人|创办人|创立者|创办者")
# "it", 它, 其 (not 其他, 其中, 其实, 尤其): a part speaking of something another part names.
_POINTS_AT = re.compile(r"\b(it|they|them|this|that)\b|它|他们|她们|这个|那个|"
                        r"(?<!尤)其(?![他中实余次它])", re.IGNORECASE)


class Relevance(StrEnum):
    """How well the knowledge covers a question."""

    NONE = "none"
    WEAK = "weak"
    STRONG = "strong"

# Embedding costs about a millisecond per character of Chinese, and more than linearly
# beyond a few hundred: 600 characters took 1.1 s. Real questions are far shorter; a long
# one is still searched in full by words, and each of its parts is embedded on its own.
EMBEDDED_QUESTION = 120
EMBEDDED_CONTEXT = 80

@dataclass(frozen=True)
class Retrieval:
    """The ranked facts for a question and how relevant the best of them is."""

    question: str
    hits: list[Hit]
    relevance: Relevance
    entities: list[str] = field(default_factory=list)
    weights: tuple[float, ...] = ()
    # How many leading hits answer one part, or one named company, each.
    leading: int = 1
    probability: float = 0.0
    # For a question in several parts: the parts no fact answers.
    unanswered: tuple[str, ...] = ()
    # Which of the question's content units (indexes into ``weights``) name an entity.
    entity_units: frozenset[int] = frozenset()
    # The share of the question's content no fact mentions.
    unknown: float = 0.0
    # Whether it names something (a Latin-script word: Sora, GPT-6) no fact mentions.
    unknown_name: bool = False
    # Whether what it asks for (量产 in 什么时候量产) is something no fact mentions.
    asks_unknown: bool = False
    # What it is about (index tokens of entities named, described or carried over).
    subject: frozenset[str] = frozenset()

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


@functools.cache
def decision_model() -> decision.DecisionModel:
    """The calibrated decision model shipped with the package."""
    return decision.load()


def retrieve_facts(store: KnowledgeStore, question: str, *, context: str | None = None,
                   limit: int = 5) -> Retrieval:
    """The facts that best answer ``question``, ranked, with how relevant the best one is.

    ``context`` is the previous question of the conversation: it steers a follow-up's
    ranking and names its subject. A question in several parts ("When was it founded?
    Who invested?") is decided as a whole; each part, searched with the others as
    context, brings its best fact, and a substantive part none answers is named.
    """
    # (On the compatibility form: a fullwidth ＠durov is a handle too.)
    question = _NOT_ASKED.sub(" ", unicodedata.normalize("NFKC", question)).strip() or question
    parts = split_question(question)
    searched = [question, *parts] if len(parts) > 1 else [question]
    with store.read_snapshot():
        index = _vector_index(store)
        vectors = (store.embedder.queries([_semantic_text(store, t, context) for t in searched])
                   if len(index.facts) else None)
        whole = _search(store, index, _row(vectors, 0), question, context=context,
                        follow_up=context is not None, limit=limit)
        if len(parts) == 1:
            return _through_the_founder(store, index, whole, context=context, limit=limit)
        # "Who founded Atomic Semi, and where did he work before?": "he" is the founder the
        # best fact names, so the other parts' context names them too.
        # (Only when the best fact is worth anything: GPT-5's remark names no chip partner.)
        named = " ".join(people_answering(store, question, [hit.fact for hit in whole.hits[:1]])
                         if whole.relevance is not Relevance.NONE else [])
        results = [_search(store, index, _row(vectors, i + 1), part, limit=limit,
                           context=" ".join([*parts[:i], *parts[i + 1:], named, context or ""]))
                   for i, part in enumerate(parts)]
    return _combine(whole, results, limit)


def _through_the_founder(store: KnowledgeStore, index: VectorIndex, whole: Retrieval, *,
                         context: str | None, limit: int) -> Retrieval:
    """A question asking something of a company's founder ("那创办人之前在哪待过" after
    Atomic Semi): the fact naming the founder, then what it asks of them, searched with
    their name; unchanged when the best fact holds all the question asks."""
    best = whole.best
    if best is None or whole.relevance is Relevance.NONE or not any(
            weight >= 1.0 and i not in best.covered and i not in whole.entity_units
            for i, weight in enumerate(whole.weights)):
        return whole
    people = people_answering(store, whole.question, [best.fact])
    if not people or not _NAMES_FOUNDER.search(normalize(whole.question)):
        return whole
    named = " ".join([*people, context or ""])
    vector = store.embedder.queries([_semantic_text(store, whole.question, named)])[0]
    of_them = _search(store, index, vector, whole.question, context=named, follow_up=True,
                      limit=limit)
    found = next((hit for hit in of_them.hits if hit.fact.id != best.fact.id), None)
    if of_them.relevance is Relevance.NONE or found is None:
        return whole
    rest = [hit for hit in whole.hits if hit.fact.id not in (best.fact.id, found.fact.id)]
    return replace(whole, hits=[best, found, *rest][:max(limit, 2)], leading=2)


def people_answering(store: KnowledgeStore, question: str,
                     facts: list[FactRecord]) -> list[str]:
    """When a question asks who (or for a founder), the English names of the people the
    facts answering it mention, each once: what "he" in the next question (or part) means."""
    if not (wanted_kinds(standard_form(normalize(question))).someone
            or _NAMES_FOUNDER.search(normalize(question))):
        return []
    people = {entity.id: entity.names.get("en") or next(iter(entity.names.values()))
              for entity in store.entities() if entity.kind == "person"}
    return list(dict.fromkeys(people[entity] for fact in facts for entity in fact.entities
                              if entity in people))


def question_signals(store: KnowledgeStore, question: str, *,
                     context: str | None = None) -> Signals | None:
    """The decision's signals for a whole question (what calibration fits on)."""
    with store.read_snapshot():
        index = _vector_index(store)
        vector = store.embedder.queries([_semantic_text(store, question, context)])[0]
        lexical = lexical_search(store, question, context=context,
                                 own_context=context is not None)
        similarities = index.scores(vector)
        found = candidates(store, lexical, index, vector)
        return signals(store, lexical, ranked(store, lexical, found, similarities),
                       similarities) if found else None


def _row(vectors: np.ndarray | None, index: int) -> np.ndarray | None:
    return vectors[index] if vectors is not None else None


def _semantic_text(store: KnowledgeStore, part: str, context: str | None) -> str:
    """What the semantic search embeds: the question in standard words, and a follow-up
    with the question it follows, each cut to a length whose embedding stays cheap."""
    matcher = store.term_matcher()
    text = matcher.spell_out(standard_text(store, part[:2 * EMBEDDED_QUESTION]))
    text = text[:EMBEDDED_QUESTION]
    if not context:
        return text
    return f"{standard_text(store, context[:2 * EMBEDDED_CONTEXT])[:EMBEDDED_CONTEXT]}\n{text}"


def _vector_index(store: KnowledgeStore) -> VectorIndex:
    key = (str(store.path), f"{store.version}:{store.meta('embedder')}")
    return load_index(store.db.conn, key=key)


def _search(store: KnowledgeStore, index: VectorIndex, vector: np.ndarray | None,
            question: str, *, context: str | None, limit: int,
            follow_up: bool = False) -> Retrieval:
    """Retrieval for one question (or one part of one)."""
    lexical = lexical_search(store, question, context=context, own_context=follow_up)
    unknown = lexical.unknown_share() if lexical.own else 1.0
    if not lexical.own and not lexical.query.entities and context is None:
        return Retrieval(question, [], Relevance.NONE, lexical.query.entities, unknown=unknown,
                         unknown_name=lexical.names_the_unknown())
    similarities = index.scores(vector) if vector is not None else {}
    found = candidates(store, lexical, index, vector)
    if not found:
        return Retrieval(question, [], Relevance.NONE, lexical.query.entities, unknown=unknown,
                         unknown_name=lexical.names_the_unknown())
    hits = ranked(store, lexical, found, similarities)
    probability = decision_model().probability(signals(store, lexical, hits, similarities))
    leading = _one_per_entity(lexical, hits, store.entity_kinds())
    hits = [*leading, *(hit for hit in hits if hit not in leading)]
    return Retrieval(question, hits[:max(limit, len(leading))],
                     _relevance(probability, lexical, hits[0]), lexical.query.entities,
                     lexical.weights, leading=max(1, len(leading)), probability=probability,
                     entity_units=frozenset(i for i, u in enumerate(lexical.own) if u.entity),
                     unknown=unknown, unknown_name=lexical.names_the_unknown(),
                     subject=frozenset(lexical.subject),
                     asks_unknown=lexical.asks_about_the_unknown())


def _one_per_entity(lexical: LexicalSearch, hits: list[Hit],
                    kinds: dict[str, str]) -> list[Hit]:
    """For a question naming several companies or people ("Figure AI vs 1X"): the best
    hit about each, when it stands close to the best hit in meaning; else none."""
    # A follow-up naming a company of its own ("那1X的估值呢?" after Figure AI's) switches
    # to it: it compares nothing with the company before.
    follow_up = any(unit.from_context for unit in lexical.own)
    own = [unit.entity for unit in lexical.own
           if follow_up and unit.entity and not unit.from_context]
    named = own or list(dict.fromkeys(entity_token(e) for e in lexical.query.entities))
    if len(named) < 2 or not hits:
        return []
    # Someone speaking of something (李开复 on why OpenAI put out o1) is answered by the
    # best fact when it names them all, not by a fact about each.
    if (any(kinds.get(token) == "person" for token in named)
            and all(token in hits[0].tokens for token in named)):
        return []
    asked = [i for i, unit in enumerate(lexical.own) if not unit.entity]
    # The figure to compare by: an amount when the question compares amounts (who raised
    # more), else an amount or a date.
    figure = has_amount if lexical.wanted.amounts_compared else has_figure
    chosen: list[Hit] = []
    for token in named:
        about = [hit for hit in hits if token in hit.tokens and hit.gives_wanted
                 and hit.similarity >= hits[0].similarity - ENTITY_MARGIN]
        # The one holding most of what is asked of each ("valuation" in "X's vs Y's valuation"),
        # with a figure to compare by.
        best = max(about, key=lambda hit: (sum(lexical.own[i].weight for i in asked
                                                if i in hit.covered), figure(hit.fact),
                                            hit.score), default=None)
        if best is not None and best not in chosen:
            chosen.append(best)
    return chosen[:MAX_LEADING] if len(chosen) > 1 else []


def _combine(whole: Retrieval, results: list[Retrieval], limit: int) -> Retrieval:
    """One retrieval for a question in several parts: decided as a whole (or by its best
    part), led by the best fact of each part that is answered."""
    answered = _answered_parts(results)
    leading = _leading_facts(answered)
    # A part leaning on the others (多少钱 beside "NEO机器人啥时候开卖") is searched about
    # OpenAI by default: its fact decides only when it is about what the question names.
    deciders = [r for r in results if _substantive(r) or _about(r, whole.subject)] or results
    best_part = max(deciders, key=lambda r: r.probability)
    deciding = whole if whole.probability >= best_part.probability else best_part
    # "What is Sora? When did it come out?": a part leaning on the others ("when did it come
    # out") answers nothing when every part asking something of its own is unanswered.
    # A part asking what no fact gives of something named ("芯片几纳米？谁代工") leaves the
    # lean part about that thing to be answered.
    if any(_substantive(r) and not r.entity_units for r in results) and not any(
            _substantive(r) and r.relevance is not Relevance.NONE for r in answered):
        return Retrieval(whole.question, whole.hits, Relevance.NONE, whole.entities,
                         whole.weights, probability=deciding.probability,
                         entity_units=whole.entity_units, unknown=whole.unknown)
    if not leading or deciding.relevance is Relevance.NONE:
        return deciding
    # The whole asks for every part's kind of answer at once (a date, a partner and a count),
    # which no single fact gives: a part answered outright answers the question.
    relevance = (Relevance.STRONG if any(r.relevance is Relevance.STRONG and r in deciders
                                         for r in answered) else deciding.relevance)
    shown = {hit.fact.id for hit in leading}
    rest = [hit for hit in whole.hits if hit.fact.id not in shown]
    # A part leaning on the others that no fact answers ("谁领投的?" beside a round) is
    # named too, so that the answer says the knowledge does not give it.
    unanswered = tuple(r.question for r in results if r not in answered
                       and asks_something(r.question) and (_substantive(r) or r.hits))
    return Retrieval(whole.question, [*leading, *rest][:max(limit, len(leading))],
                     relevance, whole.entities, whole.weights,
                     leading=min(len(leading), MAX_LEADING), probability=deciding.probability,
                     unanswered=unanswered, entity_units=whole.entity_units,
                     unknown=whole.unknown)


# Not part of what is asked: citation marks pasted from an answer ([2]) and the @handles a
# group message starts with (a reply that mentions someone); "who is @durov?" keeps its.
_HANDLE = re.compile(r"(?<![\w@])@[a-z0-9_]{3,32}\b", re.IGNORECASE)
_ADDRESS = re.compile(r"[a-z0-9-]\.[a-z]{2,}\b|@[a-z0-9-]+\.|(?<![\w/])/[a-z_]{2,}\b",
                      re.IGNORECASE)
_NOT_ASKED = re.compile(rf"\[\d{{1,3}}\]|^\s*(?:{_HANDLE.pattern}[\s,:，：]*)+", re.IGNORECASE)


def _leading_facts(answered: list[Retrieval]) -> list[Hit]:
    """The facts that lead the answer to a question in parts: each answered part's own."""
    leading: list[Hit] = []
    firsts = [[hit.fact.id for hit in _part_leading(result, set())[:1]] for result in answered]
    for index, result in enumerate(answered):
        shown = {hit.fact.id for hit in leading}
        # A fact best for a later part too ("When did o1 come out, and what did Altman say
        # about GPT-5?": Altman's remark) is left to it when this part has another as good.
        later = {fact for first in firsts[index + 1:] for fact in first}
        leading += _part_leading(result, shown | later) or _part_leading(result, shown)
    return leading


def _part_leading(part: Retrieval, shown: set[str]) -> list[Hit]:
    """The best facts of one part not shown for an earlier part; when the earlier parts
    showed them all, its next fact holding as much of it ("where's 1X from and what robot
    do they make?": the robot, not Norway twice)."""
    best = [hit for hit in part.hits[:part.leading] if hit.on_topic]
    # "Who founded Humane? Was it ex-Apple people?": the fact shown answers the yes or no,
    # not a fact about Apple beside it.
    if asks_yes_or_no(part.question):
        return [hit for hit in best[:1] if hit.fact.id not in shown]
    new = [hit for hit in best if hit.fact.id not in shown]
    if new or not best:
        return new
    return [hit for hit in part.hits[part.leading:] if hit.on_topic
            and hit.fact.id not in shown and hit.coverage >= best[0].coverage][:1]


def _answered_parts(results: list[Retrieval]) -> list[Retrieval]:
    """The parts some fact answers (a part leaning on the others counts as answered, if it
    asks anything: "Hello!", "哈哈" and "Please answer." bring no fact, nor does a part
    asking only about words no fact knows, 你吃饭了吗; 为啥要这么干 leans on the others).

    Beside a part naming something no fact mentions, a part pointing at it ("What is Sora,
    and when did OpenAI release it?") is not answered either.
    """
    weak = decision_model().weak_at * PART_SHARE
    unknown = {id(r) for r in results if r.unknown_name and r.relevance is Relevance.NONE}
    return [r for r in results if r.hits and id(r) not in unknown
            # A Telegram account, a web address or a bot command: no fact is about one.
            and not _HANDLE.search(r.question) and not _ADDRESS.search(r.question)
            and not (unknown and _POINTS_AT.search(normalize(r.question)))
            and (r.probability >= weak and not (r.asks_unknown and r.relevance is Relevance.NONE)
                 if _substantive(r) else _leans_on_the_others(r) and r.hits[0].on_topic)]


def _about(part: Retrieval, subject: frozenset[str]) -> bool:
    """Whether a part's best fact is about the question's subject (any fact is, when the
    question is about OpenAI for naming nothing)."""
    if not part.hits:
        return False
    return subject <= {IMPLIED_SUBJECT} or bool(
        subject & {entity_token(entity) for entity in part.hits[0].fact.entities})


def _leans_on_the_others(part: Retrieval) -> bool:
    """Whether a part with little content of its own asks something the other parts give
    the subject of (为啥要这么干), rather than nothing (哈哈) or about words no fact knows."""
    return asks_something(part.question) and not (len(part.weights) > 1 and part.unknown >= 1.0)


def _substantive(result: Retrieval) -> bool:
    """Whether a part of a question asks something of its own: it names an entity, has
    several content units (not "which is bigger?", which leans on the other parts), or
    names something no fact mentions ("What is Sora?")."""
    return (bool(result.entity_units) or len(result.weights) >= SUBSTANTIVE_UNITS
            or result.unknown_name)


def _relevance(probability: float, lexical: LexicalSearch, best: Hit) -> Relevance:
    model = decision_model()
    if reason_missing(lexical, best):
        return Relevance.NONE  # a bare "why?" is never answered by a fact giving no reason
    if probability >= model.answer_at and (best.on_topic or not lexical.own):
        return Relevance.STRONG
    if probability >= model.weak_at:
        return Relevance.WEAK
    return Relevance.NONE
