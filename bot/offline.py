"""The offline backend: an answer composed from the retrieved facts alone, no model at all.

It is what a new user sees first and what the engine falls back to when the
LLM fails, so it reads as an answer: the best fact first, the facts that add to
it after, each with its [n] citation, and a one-line note saying it quotes the
knowledge base.
"""

from __future__ import annotations

from bot.answers import Citation, number_facts
from bot.language import Language
from bot.phrases import OFFLINE_NOTE
from knowledge.retrieval import WEAK_COVERAGE, Hit, Retrieval

MAX_FACTS = 3
# A further fact is worth showing when it covers nearly as much of the question as the
# best one, or answers a part of the question the facts chosen so far leave out.
RELATIVE_COVERAGE = 0.7
MIN_GAIN = 0.15
_CLOSING = "。．.！!？?；;"


def select_facts(retrieval: Retrieval, *, limit: int = MAX_FACTS) -> list[Hit]:
    """The best hit, then on-topic hits that cover the question nearly as well or add to it."""
    if not retrieval.hits:
        return []
    best = retrieval.hits[0]
    if retrieval.leading > 1:
        # One fact per part of a many-part question: that already makes the answer.
        return retrieval.hits[:min(retrieval.leading, limit)]
    total = sum(retrieval.weights) or 1.0
    chosen, covered = [best], set(best.covered)
    for hit in retrieval.hits[1:]:
        if len(chosen) == limit:
            break
        if not hit.on_topic or hit.coverage < WEAK_COVERAGE:
            continue
        gain = sum(retrieval.weights[i] for i in hit.covered - covered) / total
        if gain >= MIN_GAIN or hit.coverage >= best.coverage * RELATIVE_COVERAGE:
            chosen.append(hit)
            covered |= hit.covered
    return chosen


def cite_sentence(text: str, number: int, language: Language) -> str:
    """Put a citation marker at the end of a statement, before its closing punctuation."""
    text = text.strip()
    body, closing = (text[:-1], text[-1]) if text and text[-1] in _CLOSING else (text, "")
    if language == "en":
        return f"{body} [{number}]{closing or '.'}"
    return f"{body}[{number}]{closing or '。'}"


def compose_offline_answer(retrieval: Retrieval,
                           language: Language) -> tuple[str, list[Citation]]:
    """Write the answer text from the selected hits; return it with its citations."""
    citations = number_facts([hit.fact for hit in select_facts(retrieval)], language)
    separator = " " if language == "en" else ""
    body = separator.join(cite_sentence(c.text, c.number, language) for c in citations)
    return f"{body}\n\n{OFFLINE_NOTE[language]}", citations
