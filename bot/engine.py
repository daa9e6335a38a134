"""The answer engine: a question and its conversation in, a grounded answer out.

The engine is platform-neutral: the terminal chat, ``ask`` and the Telegram
handlers all call :meth:`Engine.answer`. It screens the question, retrieves
facts (with the previous question as context for a follow-up), lets the model
answer from them or composes the answer itself, and remembers the turn.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from bot.answers import (
    Answer,
    Backend,
    Citation,
    Outcome,
    citation_dicts,
    citations_from_dicts,
    cited_numbers,
    drop_unbacked_citations,
    number_facts,
)
from bot.language import Script, to_script
from bot.llm import ChatClient, LLMError, Usage
from bot.offline import compose_offline_answer, select_facts
from bot.phrases import (
    BUSY,
    EMPTY_QUESTION,
    FALLBACK_NOTE,
    TOO_LONG,
    bullet_list,
    decline_text,
    small_talk_reply,
)
from bot.phrases import suggestions as example_questions
from bot.prompts import NO_ANSWER, build_messages
from bot.question import Question
from bot.recorder import BackgroundWrites
from bot.safety import is_out_of_scope_request
from bot.search import PROMPT_FACTS, Found, next_search_text, search
from bot.smalltalk import Kind, loose_small_talk, small_talk
from bot.streaming import TextCallback, read_reply
from bot.suggestions import next_questions
from knowledge.conversations import Turn, forget_conversation, recent_turns, record_turn
from knowledge.feedback import (
    AnswerRecord,
    VoteOutcome,
    VoteReport,
    answer_record,
    forget_conversation_answers,
    record_answer,
    record_vote,
    vote_report,
)
from knowledge.retrieval import Relevance, Retrieval, retrieve_facts
from knowledge.schema import Source
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStats, KnowledgeStore, StoreError
from knowledge.usage import QuestionRecord, record_question

logger = logging.getLogger(__name__)

HISTORY_TURNS = 3
# A search normally takes milliseconds; past this the user gets an apology instead.
RETRIEVAL_BUDGET = 10.0
# Two Telegram messages: a model that never stops does not turn one question into sixty.
MAX_ANSWER_CHARS = 7000
RECENT_ANSWERS = 1000
T = TypeVar("T")


class Engine:
    """Answers questions from the knowledge, with a model when one is configured.

    Every database operation runs off the event loop (see KnowledgeService): a search
    within ``retrieval_budget`` seconds, and the turns and statistics written after
    the answer is made, in order, without holding the answer back.
    """

    def __init__(self, knowledge: KnowledgeService, *, client: ChatClient | None = None,
                 memory_turns: int = 6, max_question_chars: int = 2000,
                 retrieval_budget: float = RETRIEVAL_BUDGET,
                 max_answer_chars: int = MAX_ANSWER_CHARS):
        self.knowledge = knowledge
        self.client = client
        self.memory_turns = memory_turns
        self.max_question_chars = max_question_chars
        self.retrieval_budget = retrieval_budget
        self.max_answer_chars = max_answer_chars
        self._stopping = asyncio.Event()
        self.writes = BackgroundWrites(knowledge)
        # The latest kept answers, so a button tapped at once finds its answer without
        # waiting for the write (the database has every kept answer).
        self._recent: OrderedDict[str, AnswerRecord] = OrderedDict()

    @property
    def backend(self) -> Backend:
        """The backend answering questions: ``openai`` or ``offline``."""
        return "openai" if self.client else "offline"

    @property
    def model(self) -> str | None:
        """The name of the model writing the answers (None offline)."""
        return self.client.model if self.client else None

    @property
    def streams(self) -> bool:
        """Whether answers arrive piece by piece (a model writes them) rather than at once."""
        return self.client is not None

    async def answer(self, question: str, conversation: str | None = None, *,
                     language_hint: Script | None = None, language: Script | None = None,
                     on_text: TextCallback | None = None, log: bool = False) -> Answer:
        """Answer one question of a conversation; never raises for bad input or a failing model.

        ``conversation`` names the conversation to remember the turn in (None: no memory).
        ``language`` sets the answer's language (a tapped suggestion keeps its reader's);
        else it is the question's, with ``language_hint`` for a question that does not say.
        ``on_text`` receives the answer so far while the model writes it. With ``log``
        the question's outcome is counted for the usage statistics, and the answer is
        kept under ``answer.key`` for what its buttons do (suggestions, sources, votes).
        """
        started = time.perf_counter()
        history = await self._history(conversation)
        previous_chinese = next((t.language for t in reversed(history)
                                 if t.language.startswith("zh")), None)
        # The conversation's script says more than the user's interface language.
        # Read one character past the limit: enough to tell it is too long, without
        # normalising a pasted book on the event loop.
        asked = Question.read(question, language=language,
                              hint=previous_chinese or language_hint,
                              max_chars=self.max_question_chars + 1)
        answer = self._screen(asked, in_conversation=bool(history))
        found: Found | None = None
        if answer is None:
            answer, found = await self._searched_answer(asked, history, on_text)
        answer.suggestions = next_questions(answer, found, asked.text, history)
        answer.timings["total"] = time.perf_counter() - started
        self._remember(conversation, asked.text, answer, next_search_text(asked, answer, found))
        if log:
            self._log(asked.text, answer)
            self._keep(conversation, asked.text, answer, found.version if found else None)
        return answer

    async def _searched_answer(self, asked: Question, history: list[Turn],
                               on_text: TextCallback | None) -> tuple[Answer, Found | None]:
        """The answer from the facts found (or small talk the knowledge has nothing on)."""
        started = time.perf_counter()
        found = await self._search(asked, history)
        if found is None:
            answer = self._declined(BUSY[asked.language], asked.language, "busy")
        else:
            answer = await self._answer_from(found.retrieval, asked.text, asked.language,
                                             history, on_text)
            if answer.outcome == "not_covered" and (kind := loose_small_talk(asked)):
                answer = self._small_talk(kind, asked)
        answer.timings["retrieval"] = time.perf_counter() - started
        return answer, found

    async def quick_facts(self, question: str, *, limit: int = 3,
                          language_hint: Script | None = None
                          ) -> tuple[Script, list[Citation]]:
        """The best facts for a question straight from retrieval (no model, no memory).

        Empty when the knowledge has nothing relevant (or the search ran out of time).
        Used where speed matters more than a composed answer (Telegram inline mode).
        """
        asked = Question.read(question, hint=language_hint, max_chars=self.max_question_chars)
        if asked.empty or is_out_of_scope_request(asked):
            return asked.language, []
        retrieval = await self._within_budget(
            lambda store: retrieve_facts(store, asked.text, limit=limit))
        if retrieval is None or retrieval.relevance is Relevance.NONE:
            return asked.language, []
        return asked.language, number_facts([hit.fact for hit in retrieval.hits[:limit]],
                                            asked.language)

    async def reset(self, conversation: str) -> None:
        """Forget a conversation and its answers' buttons (after the writes already queued
        for it); answers someone voted on stay, as feedback for the admins."""
        await self.writes.after(conversation)
        for key in [key for key, kept in self._recent.items()
                    if kept.conversation == conversation]:
            del self._recent[key]

        def forget(store: KnowledgeStore) -> None:
            forget_conversation(store, conversation)
            forget_conversation_answers(store, conversation)

        await self.knowledge.write(forget)

    async def kept_answer(self, key: str) -> AnswerRecord | None:
        """The answer kept under ``key`` (None once it has expired)."""
        if (recent := self._recent.get(key)) is not None:
            return recent
        return await self.knowledge.read(lambda store: answer_record(store, key))

    async def vote(self, key: str, *, voter: int, up: bool) -> VoteOutcome:
        """Count a user's vote on an answer (one per user and answer; a new one replaces it)."""
        return await self.knowledge.write(
            lambda store: record_vote(store, key=key, voter=voter, vote=1 if up else -1))

    async def votes(self) -> VoteReport:
        """How the kept answers were voted on, and the most voted down."""
        return await self.knowledge.read(vote_report)

    async def last_citations(self, conversation: str) -> tuple[Script | None, list[Citation]]:
        """The language and citations of the conversation's last answer."""
        history = await self._history(conversation)
        if not history:
            return None, []
        return history[-1].language, citations_from_dicts(history[-1].sources)

    async def served_sources(self) -> list[Source]:
        """Every source the knowledge cites, the built-in article first."""
        return await self.knowledge.read(lambda store: store.served_sources())

    async def stats(self) -> KnowledgeStats:
        """What the served knowledge holds, and its version."""
        return await self.knowledge.read(lambda store: store.stats())

    async def _history(self, conversation: str | None) -> list[Turn]:
        if self.memory_turns == 0 or conversation is None:
            return []
        await self.writes.after(conversation)
        limit = self.memory_turns
        try:
            return await self.knowledge.read(
                lambda store: recent_turns(store, conversation, limit=limit))
        except StoreError as error:
            logger.warning("could not read the conversation: %s", error)
            return []

    def _screen(self, question: Question, *, in_conversation: bool) -> Answer | None:
        """A reply for questions that are not searched: empty, too long, small talk (which
        depends on whether a conversation is going on), or out of scope."""
        language = question.language
        if question.empty:
            text = f"{EMPTY_QUESTION[language]}\n{bullet_list(example_questions(language, ''))}"
            return self._declined(text, language, "empty")
        if len(question.text) > self.max_question_chars:
            return self._declined(TOO_LONG[language].format(limit=self.max_question_chars),
                                  language, "too_long")
        if (kind := small_talk(question, in_conversation=in_conversation)) is not None:
            return self._small_talk(kind, question)
        if is_out_of_scope_request(question):
            return self._declined(decline_text(language, question.text, reason="refused"),
                                  language, "refused")
        return None

    def _small_talk(self, kind: Kind, question: Question) -> Answer:
        return Answer(text=small_talk_reply(kind, question.language, question.text),
                      answered=True, language=question.language, backend=self.backend,
                      outcome="smalltalk")

    async def _within_budget(self, operation: Callable[[KnowledgeStore], T]) -> T | None:
        """The result of a read, or None when it took longer than the retrieval budget."""
        try:
            return await asyncio.wait_for(self.knowledge.read(operation), self.retrieval_budget)
        except TimeoutError:
            logger.warning("a search took over %s s; the question gets an apology",
                           self.retrieval_budget)
            return None

    async def _search(self, question: Question, history: list[Turn]) -> Found | None:
        """What the knowledge holds for a question (None past the budget)."""
        previous = (history[-1].search_text or history[-1].question) if history else None
        return await self._within_budget(lambda store: search(store, question, previous))

    async def _answer_from(self, retrieval: Retrieval, question: str, language: Script,
                           history: list[Turn], on_text: TextCallback | None) -> Answer:
        if retrieval.relevance is Relevance.NONE:
            return self._not_covered(question, language)
        if self.client is not None:
            try:
                return await self._ask_model(retrieval, question, language, history, on_text)
            except LLMError as error:
                logger.warning("LLM failed (%s); answering offline", error.code)
                answer = self._offline(retrieval, question, language)
                answer.llm_error = error.code
                if answer.answered:
                    answer.fallback = True
                    answer.text = f"{FALLBACK_NOTE[language]}\n\n{answer.text}"
                return answer
        return self._offline(retrieval, question, language)

    def _offline(self, retrieval: Retrieval, question: str, language: Script) -> Answer:
        if retrieval.relevance is not Relevance.STRONG:
            return self._not_covered(question, language)
        text, citations = compose_offline_answer(retrieval, language)
        return Answer(text=text, answered=True, language=language, backend="offline",
                      outcome="answered", citations=citations)

    async def _ask_model(self, retrieval: Retrieval, question: str, language: Script,
                         history: list[Turn], on_text: TextCallback | None) -> Answer:
        assert self.client is not None
        citations = number_facts([hit.fact for hit in retrieval.hits[:PROMPT_FACTS]], language)
        messages = build_messages(question, citations, language,
                                  history=history[-HISTORY_TURNS:])
        started = time.perf_counter()
        usage = Usage()
        text = await self._until_stopped(read_reply(
            self.client, messages, language=language, on_text=on_text, usage=usage,
            max_chars=self.max_answer_chars))
        text = to_script(text.strip(), language)
        if NO_ANSWER in text:
            answer = self._not_covered(question, language, backend="openai")
        else:
            answer = self._cited_answer(text, citations, retrieval, language)
        answer.timings["llm"] = time.perf_counter() - started
        answer.prompt_tokens = usage.prompt_tokens
        answer.completion_tokens = usage.completion_tokens
        return answer

    async def _until_stopped(self, reply: Coroutine[Any, Any, str]) -> str:
        """Await the model's reply, unless the bot is stopping first (LLMError "stopped")."""
        task = asyncio.ensure_future(reply)
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            task.cancel()  # the answer was abandoned: stop the model writing (and showing) it
            raise
        finally:
            stopping.cancel()
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise LLMError("stopped", "the bot is stopping")
        return task.result()

    @property
    def stopping(self) -> bool:
        """Whether stop_waiting_for_model was called."""
        return self._stopping.is_set()

    def stop_waiting_for_model(self) -> None:
        """Answers still waiting for the model finish offline at once (the bot is stopping)."""
        self._stopping.set()

    async def flush(self) -> None:
        """Wait until the turns and statistics queued so far are written."""
        await self.writes.flush()

    async def aclose(self) -> None:
        """Finish the queued writes and release the model client."""
        await self.flush()
        if self.client is not None:
            await self.client.close()

    def _cited_answer(self, text: str, citations: list[Citation], retrieval: Retrieval,
                      language: Script) -> Answer:
        by_number = {citation.number: citation for citation in citations}
        used = [by_number[n] for n in cited_numbers(text) if n in by_number]
        # Markers the list cannot back (a number the model made up) are dropped.
        text = drop_unbacked_citations(text, set(by_number))
        if not used:
            chosen = {hit.fact.id for hit in select_facts(retrieval)}
            used = [citation for citation in citations if citation.fact_id in chosen]
        return Answer(text=text, answered=True, language=language, backend="openai",
                      outcome="answered", citations=used)

    def _not_covered(self, question: str, language: Script, *,
                     backend: Backend | None = None) -> Answer:
        return self._declined(decline_text(language, question, reason="not_covered"), language,
                              "not_covered", backend=backend)

    def _declined(self, text: str, language: Script, outcome: Outcome, *,
                  backend: Backend | None = None) -> Answer:
        return Answer(text=text, answered=False, language=language,
                      backend=backend or self.backend, outcome=outcome)

    def _log(self, question: str, answer: Answer) -> None:
        """Count the question for the usage statistics (in the background)."""
        record = QuestionRecord(
            language=answer.language, outcome=answer.outcome, answered=answer.answered,
            backend=answer.backend, fallback=answer.fallback, llm_error=answer.llm_error,
            seconds=answer.timings.get("total", 0.0), prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens, question=question)
        self.writes.queue(lambda store: record_question(store, record), "log the question")

    def _keep(self, conversation: str | None, question: str, answer: Answer,
              version: str | None) -> None:
        """Keep the answer under a new short key, for its buttons (in the background)."""
        answer.key = secrets.token_urlsafe(8)
        record = AnswerRecord(
            key=answer.key, conversation=conversation or "", question=question,
            answer=answer.text, language=answer.language, outcome=answer.outcome,
            citations=citation_dicts(answer.citations), suggestions=answer.suggestions,
            version=version)
        self._recent[answer.key] = record
        if len(self._recent) > RECENT_ANSWERS:
            self._recent.popitem(last=False)
        self.writes.queue(lambda store: record_answer(store, record), "keep the answer",
                          conversation=conversation)

    def _remember(self, conversation: str | None, question: str, answer: Answer,
                  search_text: str) -> None:
        """Keep the turn for the conversation's next question (in the background)."""
        if self.memory_turns == 0 or conversation is None:
            return
        turn = Turn(question=question, answer=answer.text, language=answer.language,
                    answered=answer.answered, sources=citation_dicts(answer.citations),
                    search_text=search_text)
        keep = self.memory_turns
        self.writes.queue(lambda store: record_turn(store, conversation, turn, keep=keep),
                          "remember the turn", conversation=conversation)
