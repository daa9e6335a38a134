"""Synthetic knowledge of any size, built around the real facts.

The real facts stay in (so real questions have real answers); the rest are
generated passages whose Chinese bigrams and English words are drawn, with a
Zipf-like skew, from the real corpus's vocabulary plus invented words, so that
common words are common and posting lists grow as they would in real text.
"""

from __future__ import annotations

import random
import string

from knowledge.schema import Fact, KnowledgeFile
from knowledge.text import split_terms

INVENTED_WORDS = 20_000


def _vocabulary(knowledge: KnowledgeFile, rng: random.Random) -> tuple[list[str], list[str]]:
    han = sorted({character for fact in knowledge.facts for term in split_terms(fact.zh)
                  if term.chinese for character in term.text})
    words = sorted({term.text for fact in knowledge.facts for term in split_terms(fact.en.lower())
                    if not term.chinese and term.text.isalpha()})
    chinese = ["".join(rng.choices(han, k=2)) for _ in range(INVENTED_WORDS)]
    english = words + ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9)))
                       for _ in range(INVENTED_WORDS)]
    return chinese, english


def _zipf_weights(size: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(size)]


def synthetic_knowledge(base: KnowledgeFile, size: int, *, seed: int = 7) -> KnowledgeFile:
    """``size`` facts: the real ones, then generated passages citing the same article."""
    rng = random.Random(seed)
    chinese, english = _vocabulary(base, rng)
    zh_weights, en_weights = _zipf_weights(len(chinese)), _zipf_weights(len(english))
    entity_ids = [entity.id for entity in base.entities]
    source = base.sources[0]
    facts = list(base.facts[:size])
    for number in range(len(facts), size):
        zh = "".join(rng.choices(chinese, weights=zh_weights, k=18)) + "。"
        en = " ".join(rng.choices(english, weights=en_weights, k=16)).capitalize() + "."
        facts.append(Fact(id=f"synthetic-{number}", source=source.id,
                          paragraphs=[rng.randint(3, source.paragraphs)], zh=zh, en=en,
                          entities=rng.sample(entity_ids, k=rng.randint(0, 2))))
    return base.model_copy(update={"facts": facts})
