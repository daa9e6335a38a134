"""Searching the knowledge for a question of a conversation: follow-ups are searched
with the question before them, and related facts are read for suggestions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers import Answer
from bot.question import Question
from knowledge.related import related_facts
from knowledge.retrieval import Relevance, Retrieval, people_answering, retrieve_facts
from knowledge.store import FactRecord, KnowledgeStore

# Words opening a follow-up (那…, "and …?"), and words pointing at what was discussed.
_LEANING_START = re.compile(r"^(那|那么|而|还有|另外|此外)|"
                            r"^(and|also|so|then|what about|how about)\b")
_FOLLOW_UP = re.compile(
    r"(它|他|她|其|这家|该公司|这个|那个|这些|那些|上述|呢[?？]?$)|"
    r"\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|the company)\b"
)
# A question whose content the knowledge mostly does not know is not a follow-up.
FOLLOW_UP_UNKNOWN = 0.5
PROMPT_FACTS = 8


def is_follow_up(question: Question, retrieval: Retrieval) -> bool:
    """Tell whether a question leans on the previous one: it says so (pronouns, "and…"),
    or names no entity while speaking of things the knowledge knows ("pizza recipe" after
    a question about Figure AI is a new question, not a follow-up)."""
    if _FOLLOW_UP.search(question.normalized):
        return True
    if _LEANING_START.search(question.normalized):
        # 那李开复现在是什么身分: a question naming whom it asks about, and answered on its
        # own, is a new question for all its opening word.
        return not (retrieval.entities and retrieval.relevance is Relevance.STRONG)
    # A question of question words alone (为什么？, "when did it start?", 具体哪天) asks
    # about what was just discussed.
    return not retrieval.entities and (not retrieval.weights
                                       or retrieval.unknown < FOLLOW_UP_UNKNOWN)


@dataclass(frozen=True)
class Found:
    """What a search gives an answer: the facts, the text searched with (for the next
    follow-up), facts related to the best ones (for suggestions), the knowledge version."""

    retrieval: Retrieval
    search_text: str
    related: list[FactRecord]
    version: str | None


def search_with_context(store: KnowledgeStore, question: Question,
                        previous: str | None) -> tuple[Retrieval, str]:
    """The facts for a question, searched with the previous one when it is a follow-up.

    Also returns the text the question was searched with, for the next follow-up.
    """
    retrieval = retrieve_facts(store, question.text, limit=PROMPT_FACTS + 2)
    if previous and is_follow_up(question, retrieval):
        with_context = retrieve_facts(store, question.text, context=previous,
                                      limit=PROMPT_FACTS + 2)
        # A follow-up naming nothing asks about what was discussed: when the knowledge has
        # nothing on that ("and its CEO?" after 1X), OpenAI's answer is not the fallback.
        if with_context.relevance is not Relevance.NONE or not retrieval.entities:
            return with_context, f"{question.text}\n{previous}"[:600]
    return retrieval, question.text


def search(store: KnowledgeStore, question: Question, previous: str | None) -> Found:
    """Everything an answer needs from the knowledge, read in one snapshot."""
    with store.read_snapshot():
        retrieval, search_text = search_with_context(store, question, previous)
        leading = [hit.fact for hit in retrieval.hits[:retrieval.leading]]
        related = related_facts(store, leading) if leading else []
        # After "who…?" the next question may ask about whoever this answer named ("Who
        # founded Atomic Semi?" then "where did he work before?"): it is searched with them.
        if leading and (people := people_answering(store, question.text, leading)):
            search_text = f"{' '.join(people)}\n{search_text}"
        return Found(retrieval, search_text, related, store.version)


def next_search_text(question: Question, answer: Answer, found: Found | None) -> str:
    """What the next follow-up is searched with: this question and what it was searched
    with, also when declined for a fact the knowledge lacks ("and its CEO?" after Figure
    AI: the next question is still about Figure AI), not when it spoke of the unknown."""
    if found is None:
        return question.text
    if answer.answered or found.retrieval.unknown < FOLLOW_UP_UNKNOWN:
        return found.search_text
    return question.text
