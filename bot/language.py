"""Which language and script a text is in, and converting text to a script.

Detection is cheap: a text with no Han characters is English; otherwise the
characters OpenCC would change in each direction tell Traditional from
Simplified. A text that reads the same in both (e.g. 「OpenAI 的估值」) takes the
hint, typically the script of the conversation so far.
"""

from __future__ import annotations

from knowledge.schema import SCRIPTS, Script
from knowledge.text import HAN_CHARACTER, converter, mainland_wording, to_simplified

Language = Script
LANGUAGES: tuple[Language, ...] = SCRIPTS
DEFAULT_CHINESE: Language = "zh-Hant"

# Characters OpenCC counts as Simplified that Taiwan writing uses too (台積電, 占有).
_SHARED_VARIANTS = frozenset("台占")


def _changed(han: str, config: str) -> int:
    """How many characters a one-way conversion changes, each judged alone.

    Characters are converted one per line so phrase rules (宣布 → 宣佈) do not
    count a character that both scripts share.
    """
    converted = converter(config).convert("\n".join(han)).split("\n")
    return sum(1 for a, b in zip(han, converted, strict=False)
               if a != b and a not in _SHARED_VARIANTS)


# Words written the same in both scripts that only one side uses: they decide a text whose
# characters do not tell (OpenAI 的芯片 is mainland, OpenAI 的晶片 Taiwanese).
MAINLAND_WORDS = ("芯片", "啥", "咋", "呗", "咱", "搞", "挺", "博客", "牛在", "牛逼", "靠谱")
TAIWAN_WORDS = ("晶片", "影片", "喔", "耶", "唷")


def _vocabulary_leaning(text: str) -> Language | None:
    """The script a text's vocabulary points to, when its characters do not tell."""
    mainland = sum(text.count(word) for word in MAINLAND_WORDS)
    taiwan = sum(text.count(word) for word in TAIWAN_WORDS)
    if mainland > taiwan:
        return "zh-Hans"
    if taiwan > mainland:
        return "zh-Hant"
    return None


def detect_language(text: str, *, hint: Language | None = None) -> Language:
    """The language and script of a question: ``zh-Hant``, ``zh-Hans`` or ``en``.

    The characters decide when they can; a text written the same in both scripts
    (「OpenAI 的估值」) is decided by its vocabulary (啥, 芯片 against 晶片), then by
    ``hint`` (the conversation's script, else the user's Telegram language), and only
    then by the default.
    """
    han = "".join(HAN_CHARACTER.findall(text))
    if not han:
        return "en"
    traditional = _changed(han, "t2s")
    simplified = _changed(han, "s2tw")
    if traditional > simplified:
        return "zh-Hant"
    if simplified > traditional:
        return "zh-Hans"
    leaning = _vocabulary_leaning(text)
    if leaning is not None:
        return leaning
    return hint if hint in ("zh-Hant", "zh-Hans") else DEFAULT_CHINESE


def language_from_code(code: str | None) -> Language | None:
    """The script a client language code stands for (Telegram's ``language_code``: zh-TW …)."""
    if not code:
        return None
    code = code.lower().replace("_", "-")
    if code.startswith("zh"):
        traditional = any(tag in code for tag in ("hant", "tw", "hk", "mo"))
        return "zh-Hant" if traditional else "zh-Hans"
    return "en"


def to_script(text: str, language: Language) -> str:
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
    simplified = _changed(han, "s2tw")
    if simplified == 0:
        return text
    mostly_simplified = simplified > _changed(han, "t2s")
    return converter("s2twp" if mostly_simplified else "s2tw").convert(text)
