"""What kind of answer a question wants (a figure, a date), and whether a fact has it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.attributes import ATTRIBUTES, MONTHS
from knowledge.roles import TITLE_ASKED
from knowledge.store import FactRecord
from knowledge.terms import entity_token
from knowledge.text import normalize

_WANTS_QUANTITY = re.compile(
    r"\bhow (much|many|tall|big|large|heavy|old|long|far|high|fast)\b|\bwhat percentage\b|"
    # "What's the valuation?" asks for the figure, as "how much is it valued at" does.
    r"\bwhat(?:'s| is| was|s)? (?:the |its |their |[a-z0-9-]+(?: ai)?'s )?"
    r"(?:latest |current |new )?"
    r"(?:valuation|price|revenue|market cap)\b|"
    r"\bwhat ?(?:%|percent)|多少|多大|多高|多重|多长|多快|多贵|"
    # 几多 is Cantonese for how many, how much (幾多錢, 幾多部).
    # 几家 asks how many; 哪几家 asks which ones (a name, not a figure).
    # 举几个例子 asks for examples, not a count.
    r"(?<!哪)(?<!举)(?<!举出)(?<!列举)几(多|家|个|张|亿|万|千|百|次|轮|位|款|种|名|倍|纳米|"
    r"台|部|架|颗|只|件|块|笔|批)")
_WANTS_TIME = re.compile(
    r"^\s*when\b|\b(what|which) (year|month|date|day)\b|什么时候|啥时候|何时|哪一年|哪年|几月|"
    r"哪个月|哪天|几号")
# A figure: a number standing alone (not the digit of a name such as 1X or H100), an
# amount, or a counted noun such as "three reasons".
# A number with a leading zero ("Figure 02") is a name, never an amount.
_QUANTITY = re.compile(
    rf"(?<![a-z0-9-])(?!(?:19|20)\d\d\b)(?!0\d)\d[\d,.]*(?![a-z])(?!\s+(?:{MONTHS}))|"
    r"\b(million|billion|thousand|hundred|dozen)\b|"
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( [a-z-]+)? [a-z]+s\b",
    re.IGNORECASE)
_DATE = re.compile(rf"\b(19|20)\d{{2}}\b|\b({MONTHS})\b", re.IGNORECASE)
# The same in Chinese, for passages that exist only in Chinese (ingested articles).
_CHINESE_NUMERAL = "零〇一二三四五六七八九十百千万萬亿億两兩"
_QUANTITY_ZH = re.compile(
    rf"\d|[{_CHINESE_NUMERAL}]{{2,}}|[{_CHINESE_NUMERAL}][个個家张張度倍位名次款轮輪]")
_DATE_ZH = re.compile(r"\d{4}\s*年|\d{1,2}\s*月")
# How long ago: "about 20 years ago", 20年前 (a date to a question asking how long ago).
_AGO = re.compile(r"\b\d+ years ago\b|\d+\s*年前", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


# "Who raised more?", 誰比較多: a comparison of amounts, which dates cannot answer.
_COMPARES_AMOUNTS = re.compile(
    r"\b(more|less|fewer|bigger|larger|smaller|higher|lower|most|least)\b|"
    r"比较多|较多|更多|更少|谁多|谁少|哪个多|哪个少|比较大|更大|更高|更低|谁大|哪个大|多还是少|"
    r"谁[^，。？?]{0,6}?得(?:多|少)|"
    r"大还是小")


# "Who raised more?" asks which of two, not for someone.
# "The guy who wrote …" describes someone ("who" relative), it does not ask who.
_RELATIVE = "".join(rf"(?<!\b{noun} )" for noun in (
    "guy", "man", "woman", "one", "person", "people", "company", "startup", "firm", "expert",
    "analyst", "dude", "those", "someone", "lady", "chap"))
_WANTS_SOMEONE = re.compile(
    rf"{_RELATIVE}\b(who|whom|whose)\b"
    r"(?!\s+(?:\w+\s+)?(?:more|less|bigger|larger|first|earlier|better))|"
    # 谁融资比较多 asks which of two, like "who raised more".
    r"(?<![给为])谁(?![^，。？?,]{0,6}?(?:比较|更|较|多|少|先|早))(?!用)|哪位|何人")
_WANTS_REASON = re.compile(r"\b(why|how come|what for|reasons?|purpose|point of)\b|"
                           r"为什么|为何|为啥|图啥|干嘛|目的|原因|理由|用意|怎么想")
# How a statement gives a reason: a purpose, a cause, a benefit.
_GIVES_REASON = re.compile(
    r"\b(because|so that|in order to|aims?|aimed|reasons?|purpose|benefits?|advantages?|"
    r"upside|goal|help(s|ed)? [a-z]+|to (reduce|cut|lower|avoid|keep|diversify|secure|deploy|"
    r"control|improve))\b|為了|为了|原因|理由|目的|必要性|好處|好处|優勢|优势|"
    r"因為|因为|由於|由于|藉此|借此|以便|用意|有助|避免|降低|減少|减少", re.IGNORECASE)
# "What happened to it later?", 后来怎么样了: how things turned out, which a statement of
# what came later gives.
_WANTS_OUTCOME = re.compile(r"\bwhat (?:happened|became)\b|\bhow did (?:it|they|[a-z0-9-]+) "
                            r"(?:do|go|turn out|end up)\b|\bhow (?:is|are) (?:it|they) doing\b|"
                            r"后来|结果如何|结局|下场|怎么样了|如何了|现况|现状")
_GIVES_OUTCOME = re.compile(r"\b(?:later|eventually|ultimately|in the end|since then|afterwards|"
                            r"poorly|struggled|failed|to sell)\b|"
                            r"后来|最终|最后|结果|不佳|失败|出售", re.IGNORECASE)
# "举几个例子", "name a few": examples, which a statement listing them gives.
_WANTS_EXAMPLES = re.compile(r"举(?:几|一|两)?个?例|例子|栗子|\bfor (?:example|instance)\b|"
                             r"\bexamples?\b|\bname (?:a few|some)\b|\blike what\b")
_GIVES_EXAMPLES = re.compile(r"例如|比如|包括|诸如|\bsuch as\b|\bincluding\b|\bincludes?\b|"
                             r"\be\.g\.", re.IGNORECASE)
# Entities that can answer "who": people, and the companies and bodies they act for.
SOMEONE_KINDS = frozenset({"person", "company", "organisation", "fund"})
# "What is it called?": the answer is a name, of the kind the question's noun says.
_WANTS_NAME = re.compile(
    r"叫什么|叫啥|叫咩|咩名|乜嘢名|什么名字|啥名字|名字|名称|叫做|\b(name|called|codename|named)\b")
_NAME_KINDS = (
    (re.compile(r"芯片|晶片|chip|机器人|robot|模型|model|产品|product|设备|device|pin|"
                r"穿戴|别针|胸针|wearable|gadget"),
     frozenset({"product"})),
    (re.compile(r"公司|企业|company|firm|初创|新创|startup|基金|fund|媒体|报社|outlet|paper"),
     frozenset({"company", "fund", "organisation"})),
    (re.compile(r"\b(person|people|founder|reporter|author|ceo)\b|记者|作者|创办人|创始人"),
     frozenset({"person"})),
)
ANY_NAME = frozenset({"person", "company", "organisation", "fund", "product", "event", "place"})


# A funding round by its letter: B轮, B 輪, "Series B", "A2 round".
# "a round" is the article, not Series A: a lone "a" counts only after "series" or in Chinese.
_ROUND = re.compile(r"(?<![a-z0-9-])([a-e]\d?)\s*轮|\bseries ([a-e]\d?)\b|"
                    r"\b([b-e]\d?|a\d) (?:funding |financing )?round\b")


def _same_round(asked: frozenset[str], statements: tuple[str, ...]) -> bool:
    """Whether statements naming rounds name the one asked about (A covers A2); statements
    naming none may speak of any."""
    rounds = set().union(*(named_rounds(statement) for statement in statements))
    return not rounds or any(r == a or (len(a) == 1 and r.startswith(a))
                             for r in rounds for a in asked)


def named_rounds(normalized: str) -> frozenset[str]:
    """The funding rounds a normalised text names by letter (b, a2)."""
    return frozenset(next(g for g in match.groups() if g) for match in _ROUND.finditer(normalized))


# "Who is the CEO?": only a person answers a question about a role, not a company.
# Founders are left out: a company may be founded by a group ("former Apple executives").
_ROLE = re.compile(rf"{TITLE_ASKED.pattern}|负责人|主管|老大|掌门人|总监|"
                   r"\b(head of|chief|boss|director|leader)\b")


@dataclass(frozen=True)
class WantedKinds:
    """Whether a question asks for a figure, a date, someone (a person or a body), or a
    reason."""

    quantity: bool = False
    time: bool = False
    someone: bool = False
    reason: bool = False
    name: frozenset[str] = frozenset()  # the kinds of entity a "what is it called" wants
    # Numbers the question itself holds ("how tall is Figure 02?"): names, not answers.
    given_numbers: frozenset[str] = frozenset()
    amounts_compared: bool = False  # "who raised more?": compared by amounts, not dates
    attributes: frozenset[str] = frozenset()  # see ATTRIBUTES: a day, a head count …
    rounds: frozenset[str] = frozenset()  # funding rounds named (B轮, "Series A2"): lower case
    person: bool = False  # "who" about a role (CEO, 负责人): a person, not a company
    ago: bool = False  # "how many years ago": "20 years ago" answers it as a date does


# "How many years apart?", 隔了几年, 几年前: years are counted from dates, so dates answer
# it; how long ago is answered by "20 years ago" too (see _AGO).
_COUNTS_YEARS = re.compile(r"(?<![前这近十头最])几年|多少年|\bhow many (?:years|yrs)\b")
_ASKS_AGO = re.compile(r"(?:几|多少)年前|\bhow (?:many (?:years|yrs)|long) ago\b")


def wanted_kinds(question: str) -> WantedKinds:
    """The kinds of answer a question's wording asks for."""
    normalized = normalize(question)
    years = bool(_COUNTS_YEARS.search(normalized))
    return WantedKinds(
        quantity=bool(_WANTS_QUANTITY.search(normalized)) and not years,
        time=bool(_WANTS_TIME.search(normalized)) or years,
        someone=bool(_WANTS_SOMEONE.search(normalized)),
        reason=bool(_WANTS_REASON.search(normalized)),
        name=_wanted_name(normalized),
        given_numbers=frozenset(_NUMBER.findall(normalized)),
        amounts_compared=bool(_COMPARES_AMOUNTS.search(normalized)),
        attributes=frozenset(name for name, (asked, _) in ATTRIBUTES.items()
                             if asked.search(normalized)),
        person=bool(_ROLE.search(normalized)),
        rounds=named_rounds(normalized), ago=bool(_ASKS_AGO.search(normalized)))


# "Which outlet reported it?", 哪家媒体: a name of a company or body, as "what is it called".
# Nouns for a company or body: the answer to "which <noun>" is a name of that kind (also
# used by knowledge.query, where they are no content a fact must repeat).
BODY_NOUN = ("(?:媒体|报社|报纸|通讯社|新闻社|公司|企业|厂商|代工厂|晶圆厂|机构|基金|初创|新创|"
             "(?:media |news )?outlets?|newspapers?|papers?|media|publications?|companies|"
             "company|firms?|startups?|funds?|foundry|foundries)")
_WHICH_BODY = re.compile(rf"哪(?:一)?[家个间些]?{BODY_NOUN}|\bwhich {BODY_NOUN}\b")
BODY_KINDS = frozenset({"company", "fund", "organisation"})
# "Where is 1X from?", 哪国的公司: a place.
_WHERE_FROM = re.compile(r"哪国|哪个国家|哪里的公司|哪儿的公司|总部在哪|总部设在哪|"
                         r"\bwhere(?:'s| is| are| was)\b.{0,40}\b(?:from|based|headquartered)\b|"
                         r"\bwhich country\b|\bwhat country\b")
PLACE_KINDS = frozenset({"place"})


# "Which of the two raised more?", 微软还是苹果: the answer is one of the names given.
_EITHER = re.compile(r"还是|\bor\b")


def _wanted_name(normalized: str) -> frozenset[str]:
    """The kinds of entity a question asking for a name wants (none: it asks no name)."""
    if (_WHICH_BODY.search(normalized) and not _EITHER.search(normalized)
            and not _COMPARES_AMOUNTS.search(normalized)):
        return BODY_KINDS
    if _WHERE_FROM.search(normalized):
        return PLACE_KINDS
    if not _WANTS_NAME.search(normalized):
        return frozenset()
    return next((kinds for pattern, kinds in _NAME_KINDS if pattern.search(normalized)),
                ANY_NAME)


def compares_amounts(question: str) -> bool:
    """Whether a question compares amounts (who raised more), not dates or anything else."""
    return bool(_COMPARES_AMOUNTS.search(normalize(question)))


def has_amount(fact: FactRecord) -> bool:
    """Whether a fact states a figure other than a date."""
    return gives_kinds(fact, WantedKinds(quantity=True))


def has_figure(fact: FactRecord) -> bool:
    """Whether a fact states a figure or a date (what two things are compared by)."""
    return gives_kinds(fact, WantedKinds(quantity=True)) or gives_kinds(
        fact, WantedKinds(time=True))


def asks_examples(question: str) -> bool:
    """Whether a question asks for examples (举几个例子, "name a few")."""
    return bool(_WANTS_EXAMPLES.search(normalize(question)))


def gives_examples(fact: FactRecord) -> bool:
    """Whether a fact names examples (例如 …, "such as …")."""
    return bool(_GIVES_EXAMPLES.search(fact.en or "") or _GIVES_EXAMPLES.search(normalize(fact.zh)))


# 后来在哪里出名, "what happened at CES": something else is asked, not how things turned out.
_ASKS_ELSE = re.compile(r"哪|几|多少|谁|什么时候|何时|\b(?:where|when|who|how much|how many)\b|"
                        r"\bhappened (?:to (?:[a-z0-9'-]+ ){1,3})?(?:at|in|during|on)\b")


def asks_outcome(question: str) -> bool:
    """Whether a question asks how things turned out ("what happened to it later?")."""
    normalized = normalize(question)
    return bool(_WANTS_OUTCOME.search(normalized)) and not _ASKS_ELSE.search(normalized)


def gives_outcome(fact: FactRecord) -> bool:
    """Whether a fact tells how things turned out (later, in the end, a sale)."""
    return bool(_GIVES_OUTCOME.search(fact.en or "") or _GIVES_OUTCOME.search(normalize(fact.zh)))


def gives_reason(fact: FactRecord) -> bool:
    """Whether a fact states a reason, a purpose or a benefit (what "why" asks for)."""
    return bool(_GIVES_REASON.search(fact.en or fact.zh) or _GIVES_REASON.search(fact.zh))


def names_other(fact: FactRecord, wanted: frozenset[str], *, kinds: dict[str, str],
                besides: set[str]) -> bool:
    """Whether a fact names an entity of a wanted kind other than those of the question
    (``besides``: their index tokens): what "who" or "what is it called" is answered with."""
    return any(kinds.get(token) in wanted and token not in besides
               for token in (entity_token(entity) for entity in fact.entities))


def gives_kinds(fact: FactRecord, wanted: WantedKinds) -> bool:
    """Tell whether a fact holds the kinds of answer wanted (a figure, a date).

    The date must be in the statement: a fact's period may only say when it was reported.
    """
    quantity, date = (_QUANTITY, _DATE) if fact.en else (_QUANTITY_ZH, _DATE_ZH)
    text = fact.en or fact.zh
    if wanted.given_numbers:
        text = _NUMBER.sub(lambda number: " " if number.group(0) in wanted.given_numbers
                           else number.group(0), text)
    if wanted.quantity and not quantity.search(text):
        return False
    if wanted.time and not (date.search(text) or (wanted.ago and _AGO.search(text))):
        return False
    if not (wanted.rounds or wanted.attributes):
        return True  # most questions: no statement to normalise on the per-message path
    statements = (normalize(fact.zh), (fact.en or "").lower())
    if wanted.rounds and not _same_round(wanted.rounds, statements):
        return False
    return all(any(ATTRIBUTES[name][1].search(statement) for statement in statements)
               for name in wanted.attributes)


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "两": 2, "二": 2,
                "三": 3, "四": 4, "五": 5, "六": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
# Measure words counting what is listed (三种, 两家, 三个, 几方面); also used by knowledge.query.
CLASSIFIER = "家|个|种|款|位|名|项|点|条|大|类|样|件|方面"
# "哪三种", "三个原因", "what are the three …", "which two companies": a list of a given length.
_COUNTED_ZH = re.compile(rf"(?<!第)([两二三四五六])(?:{CLASSIFIER})")
# 哪3种 in a question (never in a fact's figures: 12家 is no list of two).
_COUNTED_ZH_DIGITS = re.compile(rf"(?<![\d第.])([2-6])\s?(?:{CLASSIFIER})")
_COUNTED_EN = re.compile(r"\b(?:the|which|what|name|list)\s+(two|three|four|five|six|[2-6])\b|"
                         r"\b(two|three|four|five|six|[2-6])\s+(?:[a-z-]+\s+)?(?:ways|reasons|forms|"
                         r"options|possibilities|companies|firms|things|types|kinds|models|"
                         r"startups|partners|points)\b")


# "哪几种可能", "what are the ways": a list of a length the question does not say.
_LISTED = re.compile(rf"[哪那这]几(?:{CLASSIFIER})|\bwhat (?:are the )?(?:possible )?"
                     r"(?:ways|forms|options|kinds|types|possibilities)\b")
ANY_COUNT = 0


def counted_items(question: str) -> int | None:
    """How many things a question asks to be listed (哪三种, "what are the three"):
    ANY_COUNT for a list of unsaid length (哪几种), None when it asks for no list."""
    normalized = normalize(question)
    match = (_COUNTED_ZH.search(normalized) or _COUNTED_ZH_DIGITS.search(normalized)
             or _COUNTED_EN.search(normalized))
    if match is None:
        return ANY_COUNT if _LISTED.search(normalized) else None
    return _COUNT_WORDS[next(group for group in match.groups() if group)]


def lists_items(fact: FactRecord, count: int) -> bool:
    """Whether a fact states a list of ``count`` things ("three reasons", 三種可能; any
    length for ANY_COUNT), not one item of it (第三種可能)."""
    def fits(word: str) -> bool:
        return _COUNT_WORDS.get(word) == count or (count == ANY_COUNT and word in _COUNT_WORDS)

    zh = normalize(fact.zh)
    in_chinese = any(fits(match.group(1)) for match in _COUNTED_ZH.finditer(zh))
    english = normalize(fact.en or "")
    return in_chinese or any(fits(next(g for g in match.groups() if g))
                             for match in _COUNTED_EN.finditer(english))


# "Which companies", 哪些公司, "where has he worked": several names, not one.
_ASKS_SEVERAL = re.compile(rf"哪些|哪几(?:{CLASSIFIER})|"
                           r"\b(?:which|what) (?:companies|firms|startups|start-ups|investors|"
                           r"backers|partners)\b|"
                           r"\bwhere (?:has|have|had|did) (?:[a-z0-9'-]+ ){1,3}?worked?\b")


def asks_several(question: str) -> bool:
    """Whether a question asks for several names of a kind (哪些公司, "which companies")."""
    return bool(_ASKS_SEVERAL.search(normalize(question)))


def names_several(fact: FactRecord, wanted: frozenset[str], *, kinds: dict[str, str],
                  besides: set[str]) -> bool:
    """Whether a fact names two or more entities of a wanted kind besides the question's."""
    return sum(kinds.get(token) in wanted and token not in besides
               for token in (entity_token(entity) for entity in fact.entities)) >= 2


# "Who is Du Yu?", 杜雨是谁, 这人啥来头: who someone is, not what they said.
_ASKS_IDENTITY = re.compile(r"\bwho(?:'s| is| was| are)\b|是谁|是什么人|什么来头|何许人|是干什么的|"
                            r"是做什么的|什么背景|什么身份|什么身分")
# A statement of who someone is: "Du Yu is president of …" (the English statement).
_IDENTITY = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3} is (?:a |an |the )?[a-z]")


def asks_identity(question: str) -> bool:
    """Whether a question asks who someone is (杜雨是谁, "who is Zhu Keli")."""
    return bool(_ASKS_IDENTITY.search(normalize(question)))


def gives_identity(fact: FactRecord) -> bool:
    """Whether a fact says who someone is (their title and where they work)."""
    return bool(_IDENTITY.match(fact.en or ""))
