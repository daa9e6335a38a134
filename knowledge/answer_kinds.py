"""What kind of answer a question wants (a figure, a date), and whether a fact has it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.store import FactRecord
from knowledge.text import normalize

_WANTS_QUANTITY = re.compile(
    r"\bhow (much|many)\b|\bwhat percentage\b|多少|多大|"
    r"几(家|个|张|亿|万|千|百|次|轮|位|款|种|名|倍)")
_WANTS_TIME = re.compile(
    r"^\s*when\b|\b(what|which) (year|month|date|day)\b|什么时候|啥时候|何时|哪一年|哪年|几月|"
    r"哪个月|哪天|几号")
# A figure: a number standing alone (not the digit of a name such as 1X or H100), an
# amount, or a counted noun such as "three reasons".
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_QUANTITY = re.compile(
    rf"(?<![a-z0-9-])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![a-z])(?!\s+(?:{_MONTHS}))|"
    r"\b(million|billion|thousand|hundred|dozen)\b|"
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( [a-z-]+)? [a-z]+s\b",
    re.IGNORECASE)
_DATE = re.compile(rf"\b(19|20)\d{{2}}\b|\b({_MONTHS})\b", re.IGNORECASE)
# The same in Chinese, for passages that exist only in Chinese (ingested articles).
_CHINESE_NUMERAL = "零〇一二三四五六七八九十百千万萬亿億两兩"
_QUANTITY_ZH = re.compile(
    rf"\d|[{_CHINESE_NUMERAL}]{{2,}}|[{_CHINESE_NUMERAL}][个個家张張度倍位名次款轮輪]")
_DATE_ZH = re.compile(r"\d{4}\s*年|\d{1,2}\s*月")


@dataclass(frozen=True)
class WantedKinds:
    """Whether a question asks for a figure, a date, or both."""

    quantity: bool = False
    time: bool = False


def wanted_kinds(question: str) -> WantedKinds:
    """The kinds of answer a question's wording asks for."""
    normalized = normalize(question)
    return WantedKinds(bool(_WANTS_QUANTITY.search(normalized)),
                       bool(_WANTS_TIME.search(normalized)))


def gives_kinds(fact: FactRecord, wanted: WantedKinds) -> bool:
    """Tell whether a fact holds the kinds of answer wanted (a figure, a date).

    The date must be in the statement: a fact's period may only say when it was reported.
    """
    quantity, date = (_QUANTITY, _DATE) if fact.en else (_QUANTITY_ZH, _DATE_ZH)
    text = fact.en or fact.zh
    if wanted.quantity and not quantity.search(text):
        return False
    return not (wanted.time and not date.search(text))
