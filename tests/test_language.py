"""Chinese the way each reader writes it: mainland wording, and the script of a question."""

from __future__ import annotations

import pytest

from bot.language import detect_language, mainland_wording, to_script
from knowledge.schema import KnowledgeFile

# Taiwan usage a mainland reader should never meet in a Simplified answer (as OpenCC's
# Simplified output spells it), and the Ultraman reading of Altman's name.
TAIWAN_ONLY = ("新创", "建构", "营运", "型态", "穿戴式", "奥特曼", "贾伯斯", "透过", "高阶主管",
               "程式", "网路", "数位", "软体", "硬体", "晶片", "辉达", "部落格", "影片", "资讯",
               "延展实境", "本地端", "愈来愈", "「", "」", "着有")


def test_mainland_wording_holds_for_the_simplified_text_of_every_fact(
        bundled_knowledge: KnowledgeFile) -> None:
    found = {word: fact.id for fact in bundled_knowledge.facts for word in TAIWAN_ONLY
             if word in to_script(fact.zh, "zh-Hans")}
    assert found == {}


@pytest.mark.parametrize(("taiwan", "mainland"), [
    ("新創公司", "初创公司"), ("山姆·奧特曼", "山姆·奥尔特曼"), ("穿戴式裝置", "可穿戴设备"),
    ("「卡位」", "“卡位”"), ("建構生態", "构建生态"), ("研發與營運", "研发与运营"),
])
def test_to_script_simplified_uses_mainland_words(taiwan: str, mainland: str) -> None:
    assert to_script(taiwan, "zh-Hans") == mainland


def test_mainland_wording_leaves_mainland_text_alone() -> None:
    text = "OpenAI 的首款自研芯片由博通和台积电合作打造，英伟达仍是主要供应商。"
    assert mainland_wording(text) == text


@pytest.mark.parametrize(("question", "hint", "script"), [
    ("OpenAI 的芯片找谁做", None, "zh-Hans"),  # no character tells; 芯片 is mainland
    ("OpenAI 的晶片找誰做", None, "zh-Hant"),
    ("OpenAI 的估值多少", "zh-Hans", "zh-Hans"),  # nothing tells: the hint decides
    ("OpenAI 的估值多少", "zh-Hant", "zh-Hant"),
    ("OpenAI 搞芯片是咋想的", "zh-Hant", "zh-Hans"),  # the vocabulary beats the hint
    ("How much did OpenAI raise?", "zh-Hant", "en"),
    ("你好呀", None, "zh-Hans"),  # nothing tells and no hint: the larger readership
    ("那估值咧", None, "zh-Hant"),  # 咧 is Taiwanese chat
    ("好喔 了解", None, "zh-Hant"),
    ("杜雨拿哪两家公司举例来着", None, "zh-Hans"),  # 来着 is mainland chat
    ("欸，那估值多少", "zh-Hans", "zh-Hans"),  # 欸 is mainland chat too: the hint decides
    ("Humane 嘅 AI Pin 好唔好", None, "zh-Hant"),  # written Cantonese: Hong Kong reads Traditional
    ("OpenAI 融咗多少", None, "zh-Hant"),
    ("謝謝你ㄛ", None, "zh-Hant"),  # bopomofo is typed only in Taiwan
    ("多謝晒！", None, "zh-Hant"),  # Cantonese 謝晒, whose 晒 is also a Simplified character
    ("安安", None, "zh-Hant"),
    ("3Q", "zh-Hant", "zh-Hant"),  # Chinese net slang without Han: the hint, not English
    ("666", None, "zh-Hans"),
    ("👍", "en", "en"),
])
def test_detect_language_reads_vocabulary_then_the_hint(question: str, hint: str | None,
                                                        script: str) -> None:
    assert detect_language(question, hint=hint) == script  # type: ignore[arg-type]
