"""Normalisation: the same tokens whatever the script or spelling."""

from __future__ import annotations

import pytest

from knowledge.text import fts_phrase, index_tokens, normalize, to_simplified


@pytest.mark.parametrize("text", ["臺積電", "台積電", "台积电"])
def test_normalize_maps_every_script_of_tsmc_to_one_form(text: str) -> None:
    assert normalize(text) == "台积电"


@pytest.mark.parametrize(("taiwan", "mainland"), [
    ("晶片", "芯片"), ("軟體", "软件"), ("輝達", "英伟达"), ("記憶體", "内存"),
])
def test_to_simplified_maps_taiwan_phrases(taiwan: str, mainland: str) -> None:
    assert to_simplified(taiwan) == mainland


def test_index_tokens_cuts_chinese_into_bigrams() -> None:
    assert index_tokens("首款AI晶片") == ["首款", "ai", "芯片"]
    assert index_tokens("人形機器人") == ["人形", "形机", "机器", "器人"]


def test_index_tokens_stems_english_and_drops_stop_words() -> None:
    tokens = index_tokens("The investors were diversifying chips")
    assert tokens == ["investor", "diversifi", "chip"]


def test_index_tokens_keeps_numbers_and_joins_decimals() -> None:
    tokens = index_tokens("US$6.6 billion, 10萬張 H100")
    assert tokens == ["us", "66", "billion", "10", "万张", "h100"]


@pytest.mark.parametrize("text", ["", "\x00", "\u200f\u202e", "😀", "!!!", " " * 50])
def test_index_tokens_of_text_without_words_is_empty(text: str) -> None:
    assert index_tokens(text) == []


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("ＴＳＭＣ　ＡＩ") == "tsmc ai"


def test_fts_phrase_doubles_quotes() -> None:
    assert fts_phrase('a"b') == '"a""b"'
