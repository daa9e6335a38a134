"""Comparing two figures the facts give: which round was larger, which came first.

When a question compares ("Figure AI vs 1X, who raised more?", 哪個比較早) and the
two facts chosen each hold one amount of money or one date, the answer says how
they compare instead of leaving the reader to work it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language import Script
from knowledge.answer_kinds import compares_amounts

# "How many years apart?", 差了幾年: the gap between two dates, in years.
_ASKS_GAP = re.compile(r"(?:相差|差了|差|相隔|隔了|隔|間隔|间隔)(?:了)?(?:幾|几|多少)年|"
                       r"\bhow many (?:years|yrs)\b|\b(?:years|yrs) (?:apart|between)\b",
                       re.IGNORECASE)
_ASKS_TO_COMPARE = re.compile(
    r"\b(vs\.?|versus|compared?|comparison|more|less|bigger|larger|smaller|earlier|later|"
    r"first|gap|difference|times|apart)\b|比|哪个|哪個|差多少|差距|几倍|幾倍|多少倍|谁多|誰多|"
    r"先|早|大还是|大還是|更多|更少|" + _ASKS_GAP.pattern, re.IGNORECASE)
_ASKS_WHEN = re.compile(
    r"\b(earlier|later|first|before|after|sooner|when)\b|先|早|晚|哪年|何時|何时", re.IGNORECASE)
# Words naming what an amount is: when a statement holds several, the one that follows the
# question's word is meant ("valued at US$157 billion", not the US$6.6 billion raised).
_AMOUNT_WORDS = {
    "valuation": ("valu", "worth", "估值", "身價", "身价"),
    "raised": ("rais", "round", "funding", "融資", "融资", "募", "籌", "筹", "錢", "钱", "拿"),
}
_MONEY_EN = re.compile(r"US\$\s?([\d.,]+)\s*(billion|million)", re.IGNORECASE)
_MONEY_ZH = re.compile(r"([\d.]+)\s*(億|亿|萬|万)美元")
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_DATE_EN = re.compile(rf"\b({'|'.join(_MONTHS)})\s+(\d{{4}})\b", re.IGNORECASE)
_DATE_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
# A year alone ("in 1971", 從2010年起), for statements that give no month.
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(年)?")
_SCALE = {"billion": 1e9, "million": 1e6, "億": 1e8, "亿": 1e8, "萬": 1e4, "万": 1e4}


@dataclass(frozen=True)
class Figure:
    """An amount (US dollars) or a date (year * 12 + month), as written in the fact."""

    kind: str  # "money" or "date"
    value: float
    text: str
    year_only: bool = False  # a date given as a year alone (1971): no month to compare by


def asks_to_compare(question: str) -> bool:
    """Tell whether a question asks how two things compare."""
    return bool(_ASKS_TO_COMPARE.search(question))


def asks_which_first(question: str) -> bool:
    """Tell whether a comparison is about time (which came first) rather than amounts."""
    return bool(_ASKS_WHEN.search(question))


def _amount_word(question: str) -> str | None:
    """Which amount the question asks about: the valuation, or the money raised."""
    lowered = question.lower()
    return next((name for name, words in _AMOUNT_WORDS.items()
                 if any(word in lowered for word in words)), None)


def figure_of(statement: str, *, kind: str, question: str = "",
              years: bool = False) -> Figure | None:
    """The amount of money (``kind`` "money") or the date ("date") a statement holds, as
    the question means it; None when it holds none, or several and it is unclear which.
    With ``years`` a statement giving no month may give its year alone."""
    if kind == "money":
        found = list(_MONEY_EN.finditer(statement)) or list(_MONEY_ZH.finditer(statement))
        if len(found) > 1 and (word := _amount_word(question)) is not None:
            found = _closest_to(statement, found, word)
        if len(found) != 1:
            return None
        number, unit = found[0].groups()
        return Figure("money", float(number.replace(",", "")) * _SCALE[unit.lower()],
                      found[0].group(0))
    dates = [(int(m.group(2)) * 12 + _MONTHS.index(m.group(1).lower()) + 1, m.group(0))
             for m in _DATE_EN.finditer(statement)]
    dates += [(int(m.group(1)) * 12 + int(m.group(2)), m.group(0))
              for m in _DATE_ZH.finditer(statement)]
    if not dates and years:
        alone = {int(m.group(1)): m.group(0).strip() for m in _YEAR.finditer(statement)}
        if len(alone) == 1:
            (year, text), = alone.items()
            return Figure("date", year * 12, text, year_only=True)
    return Figure("date", dates[0][0], dates[0][1]) if len(dates) == 1 else None


def _distance(statement: str, match: re.Match[str], words: tuple[str, ...]) -> int:
    """How far an amount is from the nearest of the words, before or after it."""
    lowered = statement.lower()
    spots = [m.start() for w in words for m in re.finditer(re.escape(w), lowered)]
    return min((min(abs(s - match.start()), abs(s - match.end())) for s in spots),
               default=len(statement))


def _closest_to(statement: str, found: list[re.Match[str]], word: str) -> list[re.Match[str]]:
    """The amount nearer to the asked kind's words than to any other kind's (at most one)."""
    others = tuple(w for name, words in _AMOUNT_WORDS.items() if name != word for w in words)
    near = [(_distance(statement, m, _AMOUNT_WORDS[word]), m) for m in found
            if _distance(statement, m, _AMOUNT_WORDS[word]) < _distance(statement, m, others)]
    return [min(near, key=lambda pair: pair[0])[1]] if near else []


def comparison(question: str, first: str, second: str, language: Script) -> str | None:
    """A sentence comparing the figures of two statements as the question asks, or None
    when the question does not compare or the statements hold no figures alike."""
    if not asks_to_compare(question):
        return None
    gap = bool(_ASKS_GAP.search(question))
    kinds: tuple[str, ...] = (("date",) if gap else ("date", "money") if asks_which_first(question)
                              else ("money",) if compares_amounts(question) else ("money", "date"))
    for kind in kinds:
        a = figure_of(first, kind=kind, question=question, years=gap)
        b = figure_of(second, kind=kind, question=question, years=gap)
        if a is not None and b is not None and a.value != b.value:
            break
    else:
        return None
    high, low = (a, b) if a.value > b.value else (b, a)
    if gap:
        return _years_apart(low, high, language)
    if kind == "date":
        return {"en": f"So {low.text} came before {high.text}.",
                "zh-Hant": f"也就是說，{low.text}早於{high.text}。",
                "zh-Hans": f"也就是说，{low.text}早于{high.text}。"}[language]
    ratio = high.value / low.value
    times = f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"
    return {"en": f"So {high.text} is about {times} times {low.text}.",
            "zh-Hant": f"也就是說，{high.text}約是{low.text}的 {times} 倍。",
            "zh-Hans": f"也就是说，{high.text}约是{low.text}的 {times} 倍。"}[language]


def _years_apart(low: Figure, high: Figure, language: Script) -> str | None:
    """How many whole years separate two dates, when the dates say it (None for less than
    a year, or a year alone against a date within the next year)."""
    if low.year_only or high.year_only:
        years = int(high.value // 12 - low.value // 12)
    else:
        years = int((high.value - low.value) // 12)
    if years < 1:
        return None
    return {"en": f"So {low.text} and {high.text} are {years} year{'s' * (years > 1)} apart.",
            "zh-Hant": f"也就是說，{low.text}與{high.text}相差 {years} 年。",
            "zh-Hans": f"也就是说，{low.text}与{high.text}相差 {years} 年。"}[language]
