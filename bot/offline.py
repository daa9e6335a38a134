"""The offline backend: an answer composed from the retrieved facts alone, no model at all.

It is what a new user sees first and what the engine falls back to when the LLM
fails, so it reads as an answer: the fact that answers first, with its [n]
citation; a second fact only when it answers what the first leaves out (another
company the question names, another part of it); the comparison when the question
asks for one; and what the knowledge does not say, for a part no fact answers.
"""

from __future__ import annotations

import re

from bot.answers import Citation, number_facts
from bot.comparisons import comparison
from bot.language import Script
from bot.phrases import PART_NOT_COVERED, REST_NOT_COVERED
from knowledge.answer_kinds import ANY_COUNT, counted_items, lists_items
from knowledge.ranking import Hit
from knowledge.retrieval import Retrieval
from knowledge.text import normalize

MAX_FACTS = 3
# A second fact must add this share of the question's content, and stand nearly as close
# to the question in meaning as the first.
MIN_GAIN = 0.2
SIMILARITY_MARGIN = 0.03
# Or a fact that answers as well as the first: as close in meaning, holding nearly as much.
TIE_MARGIN = 0.005
SPEAKER_MARGIN = 0.015
# What someone thinks of something ("朱克力怎麼看…", "what's his take") often takes two of
# their statements: the question they raise and the view they hold.
VIEW_MARGIN = 0.04
_ASKS_VIEW = re.compile(r"觉得|认为|看法|怎么看|预期|预测|观点|怎么说|说了什么|说什么|讲了什么|"
                        r"\b(think|thinks|view|views|take|opinion|expect|expects|predict|"
                        r"predicts|believe|believes|say|says|said)\b")
TIE_COVERAGE = 0.8
_ORDINAL = re.compile(r"第[一二两三四五六七八九十0-9]|\b(first|second|third|fourth|fifth|last) "
                      r"(one|point|reason|form|way|possibility)\b")
_CLOSING = "。．.！!？?；;"
# A part quoted back ("The knowledge base does not say: …") is at most this long, and
# never a link, a handle or a citation mark (direction overrides are gone: see text.clean).
MAX_ECHO = 60
# Any name with a dot before letters is a domain to a Telegram client (freegpu.co, x.gg),
# which would make it a link: "Figure 02", "GPT-o1" and 6.6 have none.
_NOT_ECHOED = re.compile(r"https?:|www\.|t\.me/|[a-z0-9-]\.[a-z]{2,}\b|[@＠]\w|"
                         r"\[\d+\]", re.IGNORECASE)


def select_facts(retrieval: Retrieval, *, limit: int = MAX_FACTS) -> list[Hit]:
    """The hits the answer is made of: one per answered part, or the best hit and, for a
    single question, at most one more that answers what the best leaves out."""
    if not retrieval.hits:
        return []
    if retrieval.leading > 1:
        return retrieval.hits[:min(retrieval.leading, limit)]
    best = retrieval.hits[0]
    if len(_ORDINAL.findall(normalize(retrieval.question))) == 1:
        return [best]  # "the second reason": one of a list, not the list
    count = counted_items(retrieval.question)
    if count is not None and (listing := _listing(retrieval, count, limit)):
        return listing
    total = sum(retrieval.weights) or 1.0
    speaker_margin = (VIEW_MARGIN if _ASKS_VIEW.search(normalize(retrieval.question))
                      else SPEAKER_MARGIN)
    # The second fact that adds most of what the best leaves out, else the first that
    # answers as well as the best.
    adding: list[tuple[float, Hit]] = []
    tying: list[Hit] = []
    for hit in retrieval.hits[1:4]:
        # What a speaker said often takes two of their statements.
        same_speaker = bool(hit.fact.entities and best.fact.entities
                            and hit.fact.entities[0] == best.fact.entities[0])
        margin = speaker_margin if same_speaker else TIE_MARGIN
        if not hit.on_topic or hit.similarity < best.similarity - max(margin,
                                                                      SIMILARITY_MARGIN):
            continue
        new = hit.covered - best.covered
        gain = sum(retrieval.weights[i] for i in new) / total
        if new & retrieval.entity_units or gain >= MIN_GAIN:
            adding.append((gain, hit))
        if (hit.similarity >= best.similarity - margin
                and hit.coverage >= best.coverage * TIE_COVERAGE):
            tying.append(hit)
    if adding:
        return [best, max(adding, key=lambda pair: pair[0])[1]]
    return [best, tying[0]] if tying else [best]


def _listing(retrieval: Retrieval, count: int, limit: int) -> list[Hit]:
    """For a question asking for a list of ``count`` things: a fact close to the best that
    states the whole list, else the close facts that each give an item, up to ``count``
    (none for a list of unsaid length)."""
    best = retrieval.hits[0]
    # Only facts answering the question as fully as the best: a list of something else
    # ("three reasons" for "the ways to diversify supply") is no answer.
    close = [hit for hit in retrieval.hits[:4] if hit is best or (
        hit.on_topic and hit.similarity >= best.similarity - SIMILARITY_MARGIN
        and hit.coverage >= best.coverage * TIE_COVERAGE)]
    whole = next((hit for hit in close if lists_items(hit.fact, count)), None)
    if whole is not None:
        return [whole]
    # A list of unsaid length with no fact stating it whole: answered as any question.
    return close[:min(count, limit)] if count != ANY_COUNT else []


def cite_sentence(text: str, number: int, language: Script) -> str:
    """Put a citation marker at the end of a statement, before its closing punctuation."""
    text = text.strip()
    body, closing = (text[:-1], text[-1]) if text and text[-1] in _CLOSING else (text, "")
    if language == "en":
        return f"{body} [{number}]{closing or '.'}"
    return f"{body}[{number}]{closing or '。'}"


def echo_part(part: str) -> str | None:
    """A part of the question fit to quote back in the bot's own sentence, or None: links,
    handles, citation marks and long text are not repeated in the bot's voice."""
    part = part.strip(" ?？.。!！,，")
    if len(part) > MAX_ECHO or _NOT_ECHOED.search(part):
        return None
    return part


def compose_offline_answer(retrieval: Retrieval,
                           language: Script) -> tuple[str, list[Citation]]:
    """Write the answer text from the selected hits; return it with its citations."""
    citations = number_facts([hit.fact for hit in select_facts(retrieval)], language)
    sentences = [cite_sentence(c.text, c.number, language) for c in citations]
    if len(citations) == 2 and (compared := comparison(
            retrieval.question, citations[0].text, citations[1].text, language)):
        sentences.append(compared)
    sentences += [PART_NOT_COVERED[language].format(part=echoed) if (echoed := echo_part(part))
                  else REST_NOT_COVERED[language] for part in retrieval.unanswered]
    separator = " " if language == "en" else ""
    return separator.join(sentences), citations
