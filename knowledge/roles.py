"""Roles a question asks of its subject (its CEO, its founder, who led its round, what
someone said), and what a statement giving that role of that subject says."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.attributes import LED_ROUND, VIEW_ASKED, VIEW_EN, VIEW_ZH
from knowledge.store import KnowledgeStore
from knowledge.terms import entity_token
from knowledge.text import normalize

PERSON_KINDS = frozenset({"person"})
# Who a view may be asked of ("what does Microsoft think?"): people and companies.
SPEAKER_KINDS = frozenset({"person", "company"})


# A chief's title ("Humane's CEO", 1X 的执行长): the answer must hold the title of the
# company asked about, not another's (Sam Altman is OpenAI's CEO, who invested in Humane).
TITLE = (r"(?:ceo|cto|coo|cfo|首席(?:执行|技术|运营|财务)官|执行长|技术长|董事长|总裁|"
         r"chief (?:executive|technology|operating|financial) officer|chairman|president)")
TITLE_ASKED = re.compile(rf"(?<![a-z]){TITLE}(?![a-z])")


def asks_for_a_title(normalized: str) -> bool:
    """Whether a question (normalised) asks for someone's title: a CEO, a chairman."""
    return bool(TITLE_ASKED.search(normalized))


# "Who founded Humane?", Figure AI 的创始人叫什么: a founder asked for by name or as someone.
_FOUNDER_ASKED = re.compile(r"创始人|创办人|创办者|创立者|\b(?:co-?)?founders?\b|"
                            r"谁(?:创办|创立|成立|建立|开(?!发))|"
                            r"\bwho (?:founded|started|set up)\b")
_ASIDE = r"(?:[（(][^）)]{0,20}[）)])?"  # 首席执行官（CEO）, 苹果（Apple）
_FOUNDER = r"(?:co-?)?founders?|创始人|创办人|创办者"
_FOUNDING_ZH = r"(?:创办|创立|创建|成立|设立)"


def asks_for_a_founder(normalized: str, *, for_someone: bool) -> bool:
    """Whether a question (normalised) asking for someone or a name (``for_someone``) asks
    who founded something, or the founder's name."""
    return for_someone and bool(_FOUNDER_ASKED.search(normalized))


def title_pattern(names: list[str]) -> re.Pattern[str]:
    """What a statement says when it gives the title of a company with one of these
    (normalised) names: "OpenAI 的首席执行官", "OpenAI's CEO", "CEO of OpenAI"."""
    holder = _holder(names)
    return re.compile(rf"(?:{holder})\s*(?:的|'s)?\s*{_ASIDE}\s*{TITLE}|"
                      rf"{TITLE}\s*{_ASIDE}\s+of\s+(?:the\s+)?(?:{holder})")


def view_asked_at(normalized: str) -> int | None:
    """Where a question (normalised) asks for someone's view (英伟达|怎么看, "what does
    Microsoft think|"), or None: the names before it are whose view is asked."""
    match = VIEW_ASKED.search(normalized)
    if match is None:
        return None
    # "what does microsoft think": in English the holder is inside the match.
    return match.end() if match.group(0).isascii() else match.start()


def view_pattern(names: list[str]) -> re.Pattern[str]:
    """What a statement says when it gives the view of someone with one of these
    (normalised) names: "杜雨（Du Yu）认为", "Kai-Fu Lee said", "according to Du Yu"."""
    holder = _holder(names)
    return re.compile(
        rf"(?:{holder})\s*{_ASIDE}[^，。；]{{0,15}}?(?:{VIEW_ZH}|说|称)|"
        rf"(?:{holder})(?:'s)?\s+(?:[a-z-]+\s+){{0,3}}?(?:{VIEW_EN})\b|"
        rf"according to (?:{holder})|in (?:{holder})'s view")


def founder_pattern(names: list[str]) -> re.Pattern[str]:
    """What a statement says when it gives who founded the company with one of these
    (normalised) names: "Apple founder …", "由 … 创办的 Atomic Semi", "Humane was founded
    by …"; not "Figure AI was founded in 2022", nor a founder of another company beside it."""
    holder = _holder(names)
    return re.compile(
        rf"(?:{holder})\s*{_ASIDE}\s*(?:的|'s)?\s*(?:{_FOUNDER}|创始\w{{1,3}})|"
        rf"\bfounding (?:[a-z]+ ){{1,2}}of (?:the )?(?:{holder})|"
        rf"(?:{_FOUNDER}) of (?:the )?(?:{holder})|founded (?:the )?(?:{holder})|"
        rf"(?:{holder})[^。.;；]{{0,45}}?\b(?:founded|set up|started|created) (?:by|with)\b|"
        rf"(?:{holder})[^。；，,]{{0,12}}由[^。；，,]{{0,30}}{_FOUNDING_ZH}|"
        rf"由[^。；，,]{{0,30}}{_FOUNDING_ZH}的[^。；，,]{{0,20}}(?:{holder})|"
        rf"{_FOUNDING_ZH}了?[^。；，,]{{0,12}}(?:{holder})")


# "Who led OpenAI's round?", 谁领投的: the leader of the subject's own round.
_LEADER_ASKED = re.compile(rf"谁(?:来)?(?:领投|牵头)|领投(?:方|人|者|的)?(?:是谁|是哪)|"
                           rf"{LED_ROUND}|\blead investors?\b|\bled by (?:whom|who)\b")


def asks_for_the_leader(normalized: str) -> bool:
    """Whether a question (normalised) asks who led its subject's funding round."""
    return bool(_LEADER_ASKED.search(normalized))


def led_by_pattern(names: list[str]) -> re.Pattern[str]:
    """What a statement says when a company with one of these (normalised) names led a
    round, which is then another company's round: "由 OpenAI 领投", "led by OpenAI"."""
    holder = _holder(names)
    return re.compile(rf"由\s*(?:{holder})\s*{_ASIDE}\s*领投|\bled by (?:the )?(?:{holder})\b")


def _holder(names: list[str]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


def role_asked(store: KnowledgeStore, subject: set[str], standard: str, *,
               for_someone: bool) -> re.Pattern[str] | None:
    """For a question (in standard words) asking a company's CEO, chairman or founder, what
    a statement giving that role says; None when no role is asked, or it is asked of a
    person ("奥特曼是哪家的 CEO?"). ``for_someone``: the question asks for someone or a name."""
    title = asks_for_a_title(standard)
    if not (title or asks_for_a_founder(standard, for_someone=for_someone)):
        return None
    kinds = store.entity_kinds()
    if any(kinds.get(token) in PERSON_KINDS for token in subject):
        return None
    return _of_subject(store, subject, title_pattern if title else founder_pattern)


def leading_another(store: KnowledgeStore, subject: set[str],
                    standard: str) -> re.Pattern[str] | None:
    """For a question asking who led its subject's round, what a statement says when the
    subject led a round itself (another company's): "由 OpenAI 领投"; else None."""
    if not asks_for_the_leader(standard):
        return None
    return _of_subject(store, subject, led_by_pattern)


def view_asked(store: KnowledgeStore, standard: str) -> re.Pattern[str] | None:
    """For a question (in standard words) asking the view of people or companies it names
    before the asking words (英伟达怎么看…, "what does Microsoft think"), what a statement
    giving their view says; None when no view is asked of anyone named."""
    at = view_asked_at(standard)
    if at is None:
        return None
    kinds = store.entity_kinds()
    holders = {entity_token(mention.entity_id)
               for mention in store.term_matcher().find(standard[:at])
               if mention.entity_id and kinds.get(mention.token) in SPEAKER_KINDS}
    return _of_subject(store, holders, view_pattern)


def _of_subject(store: KnowledgeStore, subject: set[str],
                pattern: Callable[[list[str]], re.Pattern[str]]) -> re.Pattern[str] | None:
    """``pattern`` built on every (normalised) name of the subject's entities, or None."""
    names = [normalize(name) for entity in store.entities() if entity_token(entity.id) in subject
             for name in (*entity.names.values(), *entity.aliases)]
    return pattern(names) if names else None
