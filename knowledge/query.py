"""Turning a question into what retrieval searches with: quoted tokens and content units.

A *unit* is a piece of the question's content (an English word, a Chinese
character outside question words and filler, or a whole entity name or synonym),
with the tokens any of which in a fact covers it. Question words are searched
(facts may list them as keywords) but are not content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.answer_kinds import BODY_NOUN, CLASSIFIER
from knowledge.colloquial import standard_form
from knowledge.terms import Mention, TermMatcher
from knowledge.text import (
    CHINESE_STOP_CHARACTERS,
    QUESTION_WORDS,
    chinese_bigrams,
    fts_phrase,
    normalize,
    split_terms,
    word_token,
)

# What one search reads of a question and of its context: enough for any real question,
# and a bound on the cost of the longest message (retrieval is linear in these).
MAX_QUERY_CHARACTERS = 600
MAX_CONTEXT_CHARACTERS = 300
# A question is searched part by part; parts beyond these are searched together as the last.
MAX_PARTS = 4
MAX_SPLIT_CHARACTERS = 400
MAX_QUERY_TOKENS = 96
CHINESE_CHARACTER_WEIGHT = 0.5
CONTEXT_WEIGHT = 0.35
# Naming an entity says what a question is about more than what it asks.
ENTITY_WEIGHT = 0.5
# Question words and filler, in normalised (Simplified) form: they say what kind of
# answer is wanted, not what about, so they are searched but not counted as content.
_QUESTION_PHRASES = re.compile(
    "什么时候|啥时候|什么人|做什么的|做什么|干什么|干嘛|为什么|为啥|为何|怎么样|怎么|怎样|咋样|咋|"
    "什么|啥|如何|多少|哪些|哪个|哪家|哪里|哪儿|哪一|哪年|哪天|哪国|哪位|是谁|是不是|有没有|"
    "会不会|能不能|可不可以|是否|请问|告诉我|一下|何时|几月|几号|几家|几个|多大|多久|吗|呢|"
    "一开始|开始的时候|后来|最后|然后|现在|目前|当时|原本|本来|原来|到底|究竟|真的|而家|几多|"
    "具体|确切|准确|"
    "以前|之前|以后|之后|公司|企业|的时候|那时候|那个时候|时候|中间|这件事|这事儿|这事|"
    "自己|想要|打算|觉得|认为|看法|据说|听说|知道|介绍|说说|聊聊|讲讲|有关|关于|按照|根据|"
    "举几个例子|举个例子|举例|例子|分别|简单列一下|列一下|列举|列出|简单说|简单讲|"
    # How the asker feels about it, not what is asked: 居然, 超扯, 好奇, 想知道.
    "居然|竟然|难道|其实|好像|似乎|大概|来着|离谱|夸张|超扯|很扯|太扯|好奇|想问|想知道|请教|"
    # Comparing is what is asked, not what about: 几倍, 差多少, 哪个大, "how big".
    "多少倍|几倍|倍数|相比|比较|差距|差多少|差了|哪个大|哪个多|谁多|多少年|几年|隔了|相隔|"
    r"\bhow many (?:years|yrs)\b|\b(?:years |yrs )?apart\b|"
    # "Which outlet" asks for a name of that kind, which the kind of answer checks (see
    # answer_kinds): the noun is not content the fact must repeat (哪家媒体 → 彭博社).
    f"(?:(?<=哪)|(?<=哪家)|(?<=哪个)|(?<=哪间)|(?<=哪一家)|(?<=which )){BODY_NOUN}|"
    # Counting what is listed asks how the answer is laid out (哪三种, 两家公司, 三大原因).
    f"(?<!第)[一二两三四五六七八九十]{{1,2}}(?:{CLASSIFIER})|[那这哪]几(?:{CLASSIFIER})|"
    f"(?<![\\d第.])[2-6]\\s?(?:{CLASSIFIER})|"
    # "The 3 ways" counts like "the three ways" (a word of English grammar, not content).
    r"\b[2-6](?=\s+(?:[a-z-]+\s+)?(?:ways|reasons|forms|options|possibilities|types|kinds|"
    r"points)\b)|"
    # "That one" (那家, 这位, 那台) points, it says nothing of what is asked.
    "[那这该此][家间位款台]|"
    # An ordinal's measure word (第三「点」, 第二「个」) says nothing of its own: 第三 is asked.
    f"(?<=第[一二两三四五六七八九十])(?:{CLASSIFIER})|"
    r"\bhow (?:much|many|big|large|tall|long|old|far|fast|often|high|come)\b|"
    # What a question may ask about in general terms, which any fact on the topic can answer
    # (a name asked for is checked by the kind of answer wanted, see answer_kinds).
    "名字|名称|型号|影响|作用|意思|关系|区别|差别|差异|用途|情况|样子|评价|态度|结果|意义|"
    r"\b(?:the |its |their )?names? of\b"
)
# Question words followed by the thing asked about: 什么时候「量产」, 多少「员工」, 几「纳米」,
# "how many「employees」", "who is the「CEO」", "what process「node」".
_ASKING = re.compile("什么时候|啥时候|何时|多少|几|(?<!为)什么|(?<!为)啥|哪些|哪个|哪家|哪|"
                     r"\bhow (?:much|many)\s+(?:is\s+|are\s+|does\s+|do\s+)?|"
                     r"\b(?:who|what|which)\s+(?:is|are|was|were|will be)\s+"
                     r"(?:the\s+|his\s+|her\s+|its\s+|their\s+)?"
                     # "who is figure ai's ceo": the CEO is asked for, not Figure AI.
                     r"(?:[a-z0-9.-]+(?:\s+[a-z0-9.-]+)?'s\s+)?|"
                     r"\b(?:what|which)\s+(?=[a-z]+(?:\s+[a-z]+)?\s+(?:will|does|did|do|is|are|"
                     r"was)\b)")
# Question words that follow the thing asked about: 「技术长」是谁, 「营收」多少.
_ASKED_BEFORE = re.compile("是谁|叫什么|是什么|是多少|多少|有多[高大重长快]|在哪|值多少|是几")
_SUB_QUESTION = re.compile(
    r"[?？;；!！。]+|(?:\s*,\s*|\s+)(?:and|&)\s+(?=(?:who|when|what|whats|why|how|which|where)\b"
    # "who is Zhu Keli and does he think …", "…, and will they still use NVIDIA"
    r"|(?:does|did|do|is|are|was|were|will|would|can|could|has|have)\s+"
    r"(?:he|she|it|they|openai|[a-z0-9-]+)\b)",
    re.IGNORECASE)
# A comma separates two questions only when both sides ask something ("叫啥，估值多少"); so
# does a space between two Chinese clauses, as chat users type them ("o1啥时候发的 融资呢").
_COMMA = re.compile(r"[,，、]\s*|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fffA-Za-z0-9])|"
                    r"(?<=[A-Za-z0-9])\s+(?=[\u4e00-\u9fff])|\s+(?:n|&)\s+")
_COMMA_KEPT = re.compile(f"({_COMMA.pattern})")
_YES_NO = re.compile(r"(is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|"
                     r"may|might)\b", re.IGNORECASE)
_ASKS = re.compile(r"什么|什麼|啥|咋|多少|几|幾|哪|谁|誰|吗|嗎|呢|为何|為何|怎么|怎麼|如何|"
                   # and in written Cantonese: 咩 (what), 乜, 边个 (which, who), 点解 (why)
                   r"咩|乜|[边邊][个個度间間家位]|点解|點解|点样|點樣|"
                   r"\b(how|what|whats|when|where|who|why|which)\b|"
                   # Asking by a request: "name a few", "give me examples".
                   r"\b(?:name (?:a few|some|them|one)|list (?:them|some|a few)|"
                   r"give (?:me )?(?:some |a few )?examples?)\b", re.IGNORECASE)


@dataclass(eq=False)
class Unit:
    """A piece of the question's content; any of ``tokens`` in a fact covers it."""

    tokens: set[str]
    weight: float
    start: int
    end: int
    from_context: bool = False
    entity: str | None = None
    common: bool = False
    asked: bool = False


@dataclass
class Query:
    """What a question is searched with: MATCH tokens and the units coverage is measured on."""

    tokens: list[str]
    units: list[Unit]
    entities: list[str]

    def expression(self) -> str:
        """The FTS5 MATCH expression: every token quoted, joined with OR."""
        return " OR ".join(fts_phrase(token) for token in self.tokens)


def _mask_question_phrases(normalized: str) -> str:
    """Blank out question words (什么时候, 为什么, 多少 …): they ask, they are not content."""
    return _QUESTION_PHRASES.sub(lambda match: " " * len(match.group(0)), normalized)


def _term_tokens(text: str, chinese: bool) -> list[str]:
    if chinese:
        return [b for b in chinese_bigrams(text) if not set(b) <= CHINESE_STOP_CHARACTERS]
    token = word_token(text)
    return [token] if token else []


def _chinese_units(run: str, start: int) -> list[Unit]:
    """One unit per content character, covered by a bigram it forms with a neighbour.

    Bigrams with a filler character (这事, 它家, 的钱) are not words of the question: a
    character with no other neighbour is matched alone, by the index's column of single
    characters (as 卖 in 卖给谁了).
    """
    units = []
    for index, character in enumerate(run):
        if character in CHINESE_STOP_CHARACTERS:
            continue
        bigrams = {run[i:i + 2] for i in (index - 1, index) if i >= 0 and i + 2 <= len(run)
                   and not set(run[i:i + 2]) & CHINESE_STOP_CHARACTERS}
        units.append(Unit(bigrams or {character}, CHINESE_CHARACTER_WEIGHT, start + index,
                          start + index + 1))
    return units


def _merge_mentions(units: list[Unit], mentions: list[Mention]) -> list[Unit]:
    """Make each entity or synonym mention one unit, covered by its tag or its own words.

    A name weighs the same whatever its length; a synonym weighs as one word.
    Entities go first, so a synonym inside a name does not split it. A mention made
    only of question words ("why", 做什么) adds no unit: it only ranks facts.
    Units are found by position (they are sorted by start), so the cost grows with
    the number of mentions and units, not with their product.
    """
    units = sorted(units, key=lambda unit: unit.start)
    starts = [unit.start for unit in units]
    # Each position holds its unit, or the merged unit that replaced it.
    slots: list[Unit] = list(units)
    for mention in sorted(mentions, key=lambda m: (m.entity_id is None, m.start)):
        first, last = bisect_left(starts, mention.start), bisect_left(starts, mention.end)
        inside = list({id(unit): unit for unit in slots[first:last]
                       if mention.start <= unit.start and unit.end <= mention.end}.values())
        if not inside or any(unit.entity for unit in inside):
            continue
        merged = Unit({mention.token}.union(*(unit.tokens for unit in inside)),
                       ENTITY_WEIGHT if mention.entity_id else 1.0, mention.start, mention.end,
                       entity=mention.token if mention.entity_id else None,
                       asked=any(unit.asked for unit in inside))
        replaced = {id(unit) for unit in inside}
        for index in range(first, last):
            if id(slots[index]) in replaced:
                slots[index] = merged
    return sorted({id(unit): unit for unit in slots}.values(), key=lambda unit: unit.start)


def _units_of(normalized: str, matcher: TermMatcher) -> tuple[list[str], list[Unit], list[str]]:
    """MATCH tokens, content units and named entity ids of one normalised text."""
    # Tokens come from the whole text, so question words still rank facts that list
    # them as keywords; units (what coverage counts) come from the text without them.
    tokens = [token for term in split_terms(normalized)
              for token in _term_tokens(term.text, term.chinese)]
    units: list[Unit] = []
    for term in split_terms(_mask_question_phrases(normalized)):
        if term.chinese:
            units += _chinese_units(term.text, term.start)
        elif (token := word_token(term.text)) and term.text not in QUESTION_WORDS:
            units.append(Unit({token}, 1.0, term.start, term.end))
    asked = {match.end() for match in _ASKING.finditer(normalized)}
    asked_before = {len(normalized[:match.start()].rstrip())
                    for match in _ASKED_BEFORE.finditer(normalized)}
    for unit in units:
        unit.asked = unit.start in asked or unit.end in asked_before
    tokens += [next(iter(unit.tokens)) for unit in units if unit.end - unit.start == 1
               and len(unit.tokens) == 1 and len(next(iter(unit.tokens))) == 1]
    mentions = matcher.find(normalized)
    tokens += [mention.token for mention in mentions]
    entity_ids = [mention.entity_id for mention in mentions if mention.entity_id]
    return tokens, _merge_mentions(units, mentions), list(dict.fromkeys(entity_ids))


def build_query(question: str, matcher: TermMatcher, *, context: str | None = None,
                rewrite: Callable[[str], str] = standard_form) -> Query:
    """Turn a question (and optionally the previous question) into a safe query.

    ``rewrite`` turns the normalised text into the words the knowledge uses (colloquial
    forms, and typos when given a vocabulary's corrections).
    """
    normalized = rewrite(normalize(question[:MAX_QUERY_CHARACTERS]))
    tokens, units, entities = _units_of(normalized, matcher)
    if context:
        context_tokens, context_units, context_entities = _units_of(
            rewrite(normalize(context[:MAX_CONTEXT_CHARACTERS])), matcher)
        # The previous question's thing asked is asked again only by a follow-up asking
        # nothing of its own ("and 1X?"); "what is their robot called?" asks the robot.
        asks_its_own = any(unit.asked for unit in units)
        for unit in context_units:
            unit.weight *= CONTEXT_WEIGHT
            unit.from_context = True
            unit.asked = unit.asked and not asks_its_own
        tokens += context_tokens
        units += context_units
        entities += [e for e in context_entities if e not in entities]
    unique = list(dict.fromkeys(token for token in tokens if token))[:MAX_QUERY_TOKENS]
    return Query(tokens=unique, units=units, entities=entities)


def asks_something(text: str) -> bool:
    """Whether a text asks anything (a question word or particle, or an English question
    starting with its verb: "is it legit"), as "Hello!" and "Please answer." do not."""
    return bool(_ASKS.search(text) or _YES_NO.match(text.strip()))


_YES_NO_ZH = re.compile(r"[吗嗎么麼][\s?？!！。.]*$|是不是|有没有|有沒有|是否")


def asks_yes_or_no(text: str) -> bool:
    """Whether a text asks a yes-or-no question ("was it ex-Apple people?", 是苹果的人吗)."""
    text = text.strip()
    return bool(_YES_NO.match(text) or _YES_NO_ZH.search(text))


def _split_commas(text: str) -> list[str]:
    """A sentence cut at the commas that separate two questions, each asking something;
    pieces asking nothing stay joined to their neighbour as the user wrote them."""
    pieces = _COMMA_KEPT.split(text)
    parts: list[str] = []
    joint = ""
    for index, piece in enumerate(pieces):
        if index % 2:
            joint = piece
            continue
        if not piece.strip():
            continue
        if parts and (not _ASKS.search(piece) or not _ASKS.search(parts[-1])):
            parts[-1] = f"{parts[-1]}{joint}{piece.strip()}"
        else:
            parts.append(piece.strip())
    return parts


_BRACKETED = re.compile(r"[(（][^()（）]{0,80}[)）]")
_SPACES = re.compile(r"\s{2,}")


def split_question(question: str) -> list[str]:
    """The sub-questions of a question, split at question marks and sentence ends.

    At most MAX_PARTS: the parts after the first few are kept together as the last one.
    A message longer than MAX_SPLIT_CHARACTERS is one part: each part costs an embedding,
    and no real question in several parts is that long (the longest seen: 109 characters;
    a preamble and three questions: 386).
    """
    # Runs of spaces are one space: none means more, and the patterns below stay linear.
    question = _SPACES.sub(" ", question[:MAX_QUERY_CHARACTERS])
    if len(question) > MAX_SPLIT_CHARACTERS:
        return [question]
    # A question mark in brackets ("which node (3nm? 5nm?) will it use") belongs to an aside
    # of its question, not to a question of its own.
    unsplit = _BRACKETED.sub(lambda aside: aside.group(0).replace("?", " ").replace("？", " "),
                             question)
    parts = [piece for part in _SUB_QUESTION.split(unsplit) for piece in _split_commas(part)]
    parts = [part for part in parts if part]
    if len(parts) > MAX_PARTS:
        parts = [*parts[:MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1:])]
    return parts if len(parts) > 1 else [question]
