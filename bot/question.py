"""A question as the engine reads it: cleaned, normalised and its script told, once."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language import Script, detect_language
from knowledge.text import clean, normalize

# What is left of a question made only of punctuation.
_PUNCTUATION = " ?？!！.。"


@dataclass(frozen=True)
class Question:
    """The text asked (cleaned, stripped), its normalised form for matching, its script."""

    text: str
    normalized: str
    language: Script

    @classmethod
    def read(cls, raw: str, *, language: Script | None = None,
             hint: Script | None = None, max_chars: int | None = None) -> Question:
        """A question from what a user sent; ``language`` overrides the detected script,
        ``hint`` decides a text that reads the same in both scripts."""
        if max_chars is not None:
            # Cleaning drops few characters: a bounded slice holds the first max_chars.
            raw = raw.lstrip()[:max_chars * 4]
        text = clean(raw).strip()
        if max_chars is not None:
            text = text[:max_chars]
        return cls(text=text, normalized=normalize(text).strip(),
                   language=language or detect_language(text, hint=hint))

    @property
    def empty(self) -> bool:
        """True for a question with no words (only spaces or punctuation)."""
        return not self.normalized.strip(_PUNCTUATION)
