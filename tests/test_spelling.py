"""Typo tolerance: wrong characters of the right sound are read right, and right text is
left alone (a correction never breaks a word the knowledge knows, nor leaves the
normalised, Simplified form the index uses)."""

from __future__ import annotations

import pytest

from knowledge.store import KnowledgeStore
from knowledge.text import converter, normalize


@pytest.mark.parametrize(("typed", "meant"), [
    ("openai估直多少", "openai估值多少"),
    ("杜禹怎么看", "杜雨怎么看"),
    # 勒 has two readings (lè in 凯勒, lēi in 勒紧): the typist heard the name's.
    ("吉姆凯乐以前在哪干过", "吉姆凯勒以前在哪干过"),
])
def test_vocabulary_correct_text_reads_homophone_typos(knowledge_store: KnowledgeStore,
                                                       typed: str, meant: str) -> None:
    assert knowledge_store.vocabulary().correct_text(typed) == meant


@pytest.mark.parametrize("text", [
    "华为弄海思跟苹果开始自研芯片",  # 果开 sounds like a known pair: 苹果 must stay
    "苹果开始自己做芯片那年",
    "爆料humane想卖身的是哪家媒体",
    "创新工场的老板",  # 场的 is no mistyped 场地, though 的 may be read dì
    "为什么不自己建个芯片厂",  # 不自 is no mistyped 步自 (逐步自研)
])
def test_vocabulary_correct_text_leaves_known_words_alone(knowledge_store: KnowledgeStore,
                                                          text: str) -> None:
    assert knowledge_store.vocabulary().correct_text(text) == text


def test_vocabulary_corrections_stay_normalised(knowledge_store: KnowledgeStore) -> None:
    """Every synonym and alias, typed in Simplified, stays Simplified (卖身 never 賣身)."""
    vocabulary = knowledge_store.vocabulary()
    terms = [term for group in knowledge_store.synonyms() for term in group.terms]
    terms += [alias for entity in knowledge_store.entities() for alias in entity.aliases]
    simplified = converter("t2s").convert
    changed = [term for term in map(normalize, terms)
               if simplified(corrected := vocabulary.correct_text(term)) != corrected]
    assert changed == []


@pytest.mark.parametrize(("typed", "spelled"), [
    ("护国神山是什么角色", "台积电是什么角色"),  # a nickname sharing nothing with the name
    ("台积的角色", "台积的角色"),  # an alias sharing the name's characters stays
    ("what did taiwan semiconductor do", "what did tsmc do"),  # Latin by the English name
])
def test_term_matcher_spell_out_names_nicknames(knowledge_store: KnowledgeStore, typed: str,
                                                spelled: str) -> None:
    assert knowledge_store.term_matcher().spell_out(typed) == spelled
