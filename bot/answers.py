"""What the engine returns: an answer with its numbered citations."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.language import Script, to_script
from knowledge.feedback import AnswerRecord as AnswerRecord
from knowledge.store import FactRecord
from knowledge.store import StoreError as StoreError
from knowledge.text import clean as clean

# AnswerRecord (an answer kept for its buttons), StoreError (the database failed) and clean
# (the text normalisation answers get) are named here for the handlers, which import no
# knowledge module (the import contract in pyproject.toml).

Backend = Literal["offline", "openai"]
Outcome = Literal["answered", "not_covered", "refused", "empty", "too_long", "busy",
                  "smalltalk"]


@dataclass(frozen=True)
class Citation:
    """A fact an answer relies on, with the number it is cited by in the text ([1], [2] …)."""

    number: int
    fact_id: str
    source: str
    paragraphs: tuple[int, ...]
    text: str
    period: str | None = None

    def as_source(self) -> dict[str, object]:
        """The citation as the ``sources`` item of the JSON output."""
        return {"id": self.fact_id, "source": self.source, "paragraphs": list(self.paragraphs),
                "number": self.number}


@dataclass
class Answer:
    """A reply to one question, and everything an interface needs to present it."""

    text: str
    answered: bool
    language: Script
    backend: Backend
    outcome: Outcome
    citations: list[Citation] = field(default_factory=list)
    fallback: bool = False
    llm_error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    # Questions to offer next, and the key the answer is kept under for its buttons.
    suggestions: list[str] = field(default_factory=list)
    key: str | None = None

    def as_json(self) -> dict[str, object]:
        """The answer as one JSON object (the ``ask --json`` format)."""
        return {
            "answer": self.text, "answered": self.answered,
            "sources": [citation.as_source() for citation in self.citations],
            "language": self.language, "backend": self.backend, "outcome": self.outcome,
            "fallback": self.fallback, "llm_error": self.llm_error,
            "timings_ms": {name: round(value * 1000, 2) for name, value in self.timings.items()},
            "usage": {"prompt_tokens": self.prompt_tokens,
                      "completion_tokens": self.completion_tokens},
            "suggestions": self.suggestions,
        }


def fact_text(fact: FactRecord, language: Script) -> str:
    """A fact's statement in the language and script of the answer."""
    if language == "en":
        return fact.en or fact.zh
    return to_script(fact.zh or fact.en, language)


def number_facts(facts: list[FactRecord], language: Script) -> list[Citation]:
    """Number facts 1, 2, … with their statements in the answer's language."""
    return [
        Citation(number=index, fact_id=fact.id, source=fact.source, paragraphs=fact.paragraphs,
                 text=fact_text(fact, language), period=fact.period)
        for index, fact in enumerate(facts, start=1)
    ]


_CITATION = re.compile(r"\[(\d{1,2})\]")


def drop_unbacked_citations(text: str, numbers: set[int]) -> str:
    """The text without the [n] markers whose number is not among ``numbers``."""
    return _CITATION.sub(lambda m: m.group(0) if int(m.group(1)) in numbers else "", text)


def cited_numbers(text: str) -> list[int]:
    """The citation numbers a text uses, in order of first use."""
    return list(dict.fromkeys(int(number) for number in _CITATION.findall(text)))


def citation_dicts(citations: list[Citation]) -> list[dict]:
    """Citations as plain dictionaries (for storing with a conversation turn)."""
    return [asdict(citation) for citation in citations]


def citations_from_dicts(rows: list[dict]) -> list[Citation]:
    """Citations back from plain dictionaries."""
    return [Citation(**{**row, "paragraphs": tuple(row["paragraphs"])}) for row in rows]
