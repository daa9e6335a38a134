"""Text normalisation shared by the index and the queries.

Both sides go through the same steps, so a question matches a fact whatever
script it is written in:

* Unicode NFKC, lower case, control characters dropped;
* Chinese converted with OpenCC ``tw2sp`` (Traditional to Simplified, with
  Taiwan phrases such as 晶片 → 芯片 mapped to mainland ones);
* Chinese runs split into character bigrams (a lone character stays a unigram),
  which FTS5's ``unicode61`` tokenizer matches as whole tokens;
* Latin words and numbers split out, English stop words dropped, words stemmed
  with the Snowball English stemmer; decimal points inside numbers are removed
  so ``6.6`` and ``66`` meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import opencc
import snowballstemmer

# Han ideographs (BMP blocks and extension A), the only characters treated as Chinese.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHARACTER = re.compile(f"[{_HAN}]")
_RUN = re.compile(rf"([{_HAN}]+)|([a-z0-9]+(?:\.[0-9]+)*)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Invisible inside a word (zero-width spaces and joiners, soft hyphens, direction marks):
# dropped, so that "ig\u00adnore" reads as the word it shows.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")

ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can could did didn do does doesn doing don down during each few
for from further get got had has have having he her here hers herself him himself his how i if in
into is isn it its itself just let me more most my myself no nor not now of off on once only or
other our ours ourselves out over own please same she should so some such tell than that the their
theirs them themselves then there these they this those through to too under until up very was
wasn we were weren while will with would you your yours
yourself yourselves ok okay hi hello hey thanks thank know known say said says like many much
really anything something kind sort mean means actually according article articl report
mention mentioned talk talking discuss discussed think thinks thought believe believes explain
describe regarding exactly basically anyway else ever try trying tried going company companies
firm firms reach reached happen happened become became take took give gave make made come came
keep kept seem seems use used need needs want wants get gets getting vs versus compare
compared comparison than gap difference bigger larger smaller higher lower earlier later
even abt per
""".split())

# Characters that carry grammar or question form rather than content in a
# question; they are left out when judging how much of a question a fact covers.
CHINESE_STOP_CHARACTERS = frozenset(
    "的了是在和与及跟同或而也都就还又吗呢吧啊呀嘛么什哪谁怎样如何为几多少请问告诉我你您他她它们"
    "这那个些有没无对把被给让向从到于以之其该此想做搞弄说讲用会去找要叫拿"
)

# Question words are not stop words: facts may list them as keywords ("who", "when") so
# they can rank facts, although retrieval does not count them as a question's content.
QUESTION_WORDS = frozenset({"who", "whom", "whose", "when", "why", "where", "how", "which", "what"})

_stemmer = snowballstemmer.stemmer("english")


def has_han(text: str) -> bool:
    """Tell whether a text holds at least one Chinese (Han) character."""
    return HAN_CHARACTER.search(text) is not None


@functools.cache
def converter(config: str) -> opencc.OpenCC:
    """The OpenCC converter for a configuration (``t2s``, ``tw2sp``, …), loaded once."""
    return opencc.OpenCC(config)


# Characters OpenCC counts as Simplified that Taiwan writing uses too (台積電, 占有).
_SHARED_VARIANTS = frozenset("台占")


def changed_characters(han: str, config: str) -> int:
    """How many characters a one-way conversion changes, each judged alone.

    Characters are converted one per line so phrase rules (宣布 → 宣佈) do not
    count a character that both scripts share.
    """
    converted = converter(config).convert("\n".join(han)).split("\n")
    return sum(1 for a, b in zip(han, converted, strict=False)
               if a != b and a not in _SHARED_VARIANTS)


def script_of_characters(text: str) -> Literal["zh-Hant", "zh-Hans", "en"] | None:
    """The script a text's characters show: ``en`` without Han characters, ``zh-Hant`` or
    ``zh-Hans`` when more of them belong to one script, None when they read the same in
    both (the one detection of script; ``bot.language`` adds vocabulary and hints)."""
    han = "".join(HAN_CHARACTER.findall(text))
    if not han:
        return "en"
    traditional = changed_characters(han, "t2s")
    simplified = changed_characters(han, "s2tw")
    if traditional == simplified:
        return None
    return "zh-Hant" if traditional > simplified else "zh-Hans"


# Words OpenCC's tw2sp leaves in a form mainland readers seldom use.
_MAINLAND_PREFERRED = {"报导": "报道"}
_PREFERRED = re.compile("|".join(_MAINLAND_PREFERRED))


def to_simplified(text: str) -> str:
    """Convert Chinese text to Simplified script with mainland phrasing (OpenCC tw2sp)."""
    converted = converter("tw2sp").convert(text)
    return _PREFERRED.sub(lambda match: _MAINLAND_PREFERRED[match.group(0)], converted)


# What OpenCC's Taiwan-to-mainland conversion leaves in Taiwan (or odd) wording, and the
# words mainland readers use. Applied to Simplified text shown to readers, after OpenCC.
MAINLAND_PHRASES = {
    "新创": "初创", "建构": "构建", "营运": "运营", "型态": "形态", "穿戴式": "可穿戴",
    "奥特曼": "奥尔特曼", "贾伯斯": "乔布斯", "透过": "通过", "延展实境": "扩展现实",
    "本地端": "本地", "助理": "助手", "创建": "建立", "着有": "著有", "愈来愈": "越来越",
    "业者": "企业", "主轴": "主线", "高阶主管": "高管", "高级主管": "高管",
    "智能型手机": "智能手机", "品质": "质量", "网路": "网络", "程式": "程序", "数位": "数字",
    "记忆体": "内存", "伺服器": "服务器", "即时通讯": "即时通信", "频宽": "带宽",
    "「": "“", "」": "”", "『": "‘", "』": "’",
}
_MAINLAND = re.compile("|".join(sorted(map(re.escape, MAINLAND_PHRASES), key=len, reverse=True)))


def mainland_wording(simplified: str) -> str:
    """Simplified text in the words and quotation marks mainland readers expect."""
    return _MAINLAND.sub(lambda match: MAINLAND_PHRASES[match.group(0)], simplified)


def mainland_variants(text: str) -> list[str]:
    """The mainland words for the Taiwan wording a Chinese text uses (新創 → 初创), so a
    question in mainland words finds the text too."""
    return [MAINLAND_PHRASES[found] for found in dict.fromkeys(
        _MAINLAND.findall(to_simplified(text))) if has_han(found)]


# Direction overrides and isolates too: they can turn the rest of a line around.
_UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u061c]")


def clean(text: str) -> str:
    """Text safe to store and send: control characters, direction overrides and lone
    surrogates (which no UTF-8 text can hold, but a JSON escape can) are removed."""
    return _UNPRINTABLE.sub("", text)


def normalize(text: str) -> str:
    """Return the text in the one form both index and queries use before tokenizing."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", clean(text)))
    text = _CONTROL.sub(" ", text).lower()
    return to_simplified(text)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one lower-case English word (numbers are returned unchanged)."""
    if word.isdigit():
        return word
    return _stemmer.stemWord(word)


@dataclass(frozen=True)
class Term:
    """A piece of a normalised text: a Chinese run or a Latin word, with its span."""

    text: str
    start: int
    end: int
    chinese: bool


def split_terms(normalized: str) -> Iterator[Term]:
    """Split normalised text into Chinese runs and Latin words or numbers."""
    for match in _RUN.finditer(normalized):
        chinese = match.group(1) is not None
        word = match.group(0) if chinese else match.group(0).replace(".", "")
        yield Term(word, match.start(), match.end(), chinese)


def chinese_bigrams(run: str) -> list[str]:
    """Cut a run of Chinese characters into overlapping bigrams (a lone character stays)."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def word_token(word: str) -> str | None:
    """The index token of one Latin word or number, or None for a stop word."""
    if word in ENGLISH_STOP_WORDS or (len(word) == 1 and not word.isdigit()):
        return None
    return stem(word)


def index_tokens(text: str) -> list[str]:
    """Tokens of a text as stored in the full-text index (order kept, repeats kept)."""
    tokens: list[str] = []
    for term in split_terms(normalize(text)):
        if term.chinese:
            tokens.extend(chinese_bigrams(term.text))
        else:
            token = word_token(term.text)
            if token:
                tokens.append(token)
    return tokens


def index_text(parts: Iterable[str]) -> str:
    """Join the tokens of several texts into one space-separated FTS column value."""
    return " ".join(token for part in parts for token in index_tokens(part))


def index_characters(parts: Iterable[str]) -> str:
    """The distinct Chinese characters of several texts, space-separated, for the index."""
    characters = (term.text for part in parts for term in split_terms(normalize(part))
                  if term.chinese)
    return " ".join(dict.fromkeys(character for run in characters for character in run))


def fts_phrase(token: str) -> str:
    """Quote one token for an FTS5 MATCH expression, so no user text is read as syntax."""
    return '"' + token.replace('"', '""') + '"'
