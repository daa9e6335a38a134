"""Suggested next questions: up to three, in the reader's script, about what was just
answered and never a repeat of what was asked or already shown."""

from __future__ import annotations

import re

from bot.answers import Answer
from bot.language import Script, to_script
from bot.phrases import suggestions as example_questions
from bot.search import Found
from knowledge.conversations import Turn
from knowledge.store import FactRecord
from knowledge.text import has_han, normalize

SUGGESTIONS = 3
# A passage without a curated question is offered by its opening words, cut to fit a button.
SNIPPET_CHARACTERS = {"zh": 24, "en": 56}
_CLAUSE_END = re.compile(r"[。！？!?；;]|\.\s")


def fact_question(fact: FactRecord, language: Script) -> str | None:
    """The question a fact answers, in the reader's script (None: the fact has no text in
    the reader's language, e.g. a Chinese article's passage for an English reader)."""
    if language == "en":
        if fact.question_en:
            return fact.question_en
        return snippet(fact.en, SNIPPET_CHARACTERS["en"]) if fact.en and not fact.zh else None
    if fact.question_zh:
        return to_script(fact.question_zh, language)
    if fact.zh and has_han(fact.zh) and not fact.en:
        return to_script(snippet(fact.zh, SNIPPET_CHARACTERS["zh"]), language)
    return None


def snippet(text: str, limit: int) -> str:
    """The first clause of a text, cut to ``limit`` characters."""
    first = _CLAUSE_END.split(text.strip(), maxsplit=1)[0].strip()
    return first if len(first) <= limit else first[:limit].rstrip() + "…"


def same_question(one: str, other: str) -> bool:
    """Tell whether two questions are the same but for case, spacing and punctuation."""
    strip = lambda text: re.sub(r"[\W_]+", "", normalize(text))  # noqa: E731
    return strip(one) == strip(other)


def suggest_questions(candidates: list[FactRecord], *, language: Script, asked: str,
                      shown: set[str], limit: int = SUGGESTIONS) -> list[str]:
    """Questions for the candidate facts not yet shown, best first, each once."""
    chosen: list[str] = []
    for fact in candidates:
        if fact.id in shown:
            continue
        question = fact_question(fact, language)
        if question is None or same_question(question, asked) or any(
                same_question(question, taken) for taken in chosen):
            continue
        chosen.append(question)
        if len(chosen) == limit:
            break
    return chosen


def examples_for(language: Script, *, asked: str, seed: str,
                 limit: int = SUGGESTIONS) -> list[str]:
    """Example questions (when nothing related is known), never the one just asked."""
    pool = example_questions(language, seed, count=limit + 1)
    return [question for question in pool if not same_question(question, asked)][:limit]


def next_questions(answer: Answer, found: Found | None, question: str,
                   history: list[Turn]) -> list[str]:
    """Questions to offer under an answer: related facts not yet shown, else examples."""
    language = answer.language
    if answer.outcome == "too_long":
        return []
    if found is not None and answer.outcome in ("answered", "not_covered"):
        # What was cited, what the question is chiefly about (its leading facts, which a
        # model may leave uncited), and what the conversation has already shown.
        shown = {citation.fact_id for citation in answer.citations}
        shown.update(hit.fact.id for hit in found.retrieval.hits[:found.retrieval.leading])
        shown.update(source["fact_id"] for turn in history for source in turn.sources)
        retrieved = [hit.fact for hit in found.retrieval.hits]
        related = suggest_questions([*retrieved, *found.related], language=language,
                                    asked=question, shown=shown)
        if related:
            return related
    return examples_for(language, asked=question, seed=question)
