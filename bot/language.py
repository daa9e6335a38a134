"""Which language and script a text is in, and converting text to a script.

Detection is cheap: a text with no Han characters is English; otherwise the
characters OpenCC would change in each direction tell Traditional from
Simplified. A text that reads the same in both (e.g. 「OpenAI 的估值」) takes the
hint, typically the script of the conversation so far.
"""

from __future__ import annotations

import re

from knowledge.schema import SCRIPTS
from knowledge.schema import Script as Script  # the one name for zh-Hant, zh-Hans, en
from knowledge.text import (
    ENGLISH_STOP_WORDS,
    HAN_CHARACTER,
    QUESTION_WORDS,
    changed_characters,
    converter,
    mainland_wording,
    script_of_characters,
    to_simplified,
)

LANGUAGES: tuple[Script, ...] = SCRIPTS
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Hiragana and katakana, but not the middle dot (・), which Chinese text uses in names too.
_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff]")
# A Chinese text that nothing marks (你好呀, OpenAI 去年收入多少) is read as Simplified: far
# more readers write it, and the report comes from a mainland paper. Telegram users' language
# settings and the conversation's script come first (see detect_language).
DEFAULT_CHINESE: Script = "zh-Hans"

# Words written the same in both scripts that only one side uses: they decide a text whose
# characters do not tell (OpenAI 的芯片 is mainland, OpenAI 的晶片 Taiwanese).
MAINLAND_WORDS = ("芯片", "啥", "咋", "呗", "咱", "搞", "挺", "博客", "牛在", "牛逼", "靠谱",
                  "来着", "信息", "屏幕", "俺")
# Taiwan chat, and Hong Kong's written Cantonese (嘅, 咗, 咩 …), whose readers use Traditional
# (欸 and 吼 are mainland chat too).
TAIWAN_WORDS = ("晶片", "影片", "喔", "耶", "唷", "咧", "齁", "蛤", "好康", "安安",
                "呷", "嘅", "咗", "咩", "喺", "冇", "佢", "啲", "嗰", "乜", "嘢", "噉", "囉",
                "唔該",
                "謝晒", "該晒", "嚟", "㗎")
# Bopomofo (ㄛ, ㄇㄉ) is typed only in Taiwan.
_BOPOMOFO = re.compile(r"[\u3100-\u312f\u31a0-\u31bf]")
# Chinese net slang written without Han characters: thanks (3Q), praise (666), bye (88).
_CHINESE_SLANG = re.compile(r"^\W*(3q+|6{3,}|88+|886|233+)\W*$", re.IGNORECASE)


def _english_with_chinese_names(text: str) -> bool:
    """An English sentence naming someone in Chinese ("What did 李开复 say about GPT-5?"):
    more English words than Han characters, two of them words of English grammar (a
    Chinese question naming products, "OpenAI Startup Fund投了Atomic Semi吗", has none)."""
    words = [word.lower() for word in _LATIN_WORD.findall(text)]
    grammar = sum(word in ENGLISH_STOP_WORDS or word in QUESTION_WORDS for word in words)
    return grammar >= 2 and len(HAN_CHARACTER.findall(text)) < len(words)


def _vocabulary_leaning(text: str) -> Script | None:
    """The script a text's vocabulary points to, when its characters do not tell."""
    mainland = sum(text.count(word) for word in MAINLAND_WORDS)
    taiwan = sum(text.count(word) for word in TAIWAN_WORDS)
    if mainland > taiwan:
        return "zh-Hans"
    if taiwan > mainland:
        return "zh-Hant"
    return None


def detect_language(text: str, *, hint: Script | None = None) -> Script:
    """The language and script of a question: ``zh-Hant``, ``zh-Hans`` or ``en``.

    The characters decide when they can; a text written the same in both scripts
    (「OpenAI 的估值」) is decided by its vocabulary (啥, 芯片 against 晶片), then by
    ``hint`` (the conversation's script, else the user's Telegram language), and only
    then by the default.
    """
    if _english_with_chinese_names(text) or _KANA.search(text):
        return "en"  # Japanese is not one of the three: English reaches the most readers
    if _BOPOMOFO.search(text):
        return "zh-Hant"
    if _CHINESE_SLANG.match(text):
        return hint if hint in ("zh-Hant", "zh-Hans") else DEFAULT_CHINESE
    shown = script_of_characters(text)
    if shown is not None:
        return shown
    leaning = _vocabulary_leaning(text)
    if leaning is not None:
        return leaning
    return hint if hint in ("zh-Hant", "zh-Hans") else DEFAULT_CHINESE


def language_from_code(code: str | None) -> Script | None:
    """The script a client language code stands for (Telegram's ``language_code``: zh-TW …)."""
    if not code:
        return None
    code = code.lower().replace("_", "-")
    if code.startswith("zh"):
        traditional = any(tag in code for tag in ("hant", "tw", "hk", "mo"))
        return "zh-Hant" if traditional else "zh-Hans"
    return "en"


def to_script(text: str, language: Script) -> str:
    """Write Chinese text in the script of ``language`` with that region's usual phrasing.

    Simplified text gets mainland phrasing (晶片 → 芯片, 輝達 → 英伟达). Text is only
    converted to Traditional when it holds Simplified characters, since OpenCC's
    Taiwan phrasing would also rewrite correct Traditional text (消息 → 訊息).
    English text is returned unchanged.
    """
    if language == "en" or not HAN_CHARACTER.search(text):
        return text
    if language == "zh-Hans":
        return mainland_wording(to_simplified(text))
    han = "".join(HAN_CHARACTER.findall(text))
    simplified = changed_characters(han, "s2tw")
    if simplified == 0:
        return text
    mostly_simplified = simplified > changed_characters(han, "t2s")
    return converter("s2twp" if mostly_simplified else "s2tw").convert(text)
