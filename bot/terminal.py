"""The terminal interfaces over the engine: ``ask`` (one-shot or batch) and ``chat``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.answers import Answer, Citation
from bot.citations import citation_line
from bot.engine import Engine
from bot.language import Script
from bot.phrases import CHAT_HELP, NO_SOURCES, RESET_DONE, SOURCES_HEADING, bullet_list, suggestions
from bot.runtime import create_engine, open_knowledge_base
from bot.settings import Settings
from knowledge.schema import Source

TERMINAL_CONVERSATION = "terminal"


def render_sources(sources: dict[str, Source], citations: list[Citation], language: Script,
                   *, with_text: bool = False) -> str:
    """The sources block printed under an answer."""
    lines = [citation_line(c, sources.get(c.source), language, with_text=with_text)
             for c in citations]
    return "\n".join([SOURCES_HEADING[language], *lines])


def render_answer(sources: dict[str, Source], answer: Answer) -> str:
    """An answer as printed in the terminal: text, then its sources."""
    if not answer.citations:
        return answer.text
    return f"{answer.text}\n\n{render_sources(sources, answer.citations, answer.language)}"


async def sources_by_id(engine: Engine) -> dict[str, Source]:
    """The sources the knowledge cites, by id."""
    return {source.id: source for source in await engine.served_sources()}


async def answer_questions(engine: Engine, questions: Iterable[str], *, as_json: bool,
                           conversation: str | None, out: TextIO,
                           skip_blank: bool = True) -> int:
    """Answer each question in turn, printing each answer as soon as it is ready.

    Blank lines of a stream are skipped (``skip_blank``); a question asked on its own
    gets the same "please type a question" as in the chat, even when it is blank.
    """
    count = 0
    try:
        sources = await sources_by_id(engine)
        for question in questions:
            if skip_blank and not question.strip():
                continue
            answer = await engine.answer(question, conversation)
            text = (json.dumps({"question": question, **answer.as_json()}, ensure_ascii=False)
                    if as_json else render_answer(sources, answer) + "\n")
            print(text, file=out, flush=True)
            count += 1
    finally:
        await engine.aclose()
    return count


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer QUESTION, or every line of standard input, and print the answers."""
    knowledge = open_knowledge_base(settings)
    try:
        engine = create_engine(settings, knowledge, backend=args.backend)
        questions: Iterable[str] = ([args.question] if args.question is not None
                                    else (line.rstrip("\r\n") for line in sys.stdin))
        asyncio.run(answer_questions(engine, questions, as_json=args.json,
                                     conversation=args.conversation, out=sys.stdout,
                                     skip_blank=args.question is None))
    finally:
        knowledge.close()
    return 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score the engine on question sets; exit 1 when a file cannot be read."""
    from pathlib import Path

    from bot import evaluation

    knowledge = open_knowledge_base(settings)
    engine = create_engine(settings, knowledge, backend=args.backend)

    async def score_all() -> None:
        try:
            for name in args.files:
                results = await evaluation.evaluate(
                    engine, evaluation.read_question_set(Path(name)))
                print(f"{name}:\n{evaluation.format_summary(evaluation.summarize(results))}")
                if args.failures:
                    print("\n".join(evaluation.failures_as_json(results)))
        finally:
            await engine.aclose()

    try:
        asyncio.run(score_all())
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        knowledge.close()
    return 0


def chat_banner(engine: Engine) -> str:
    """What the chat prints first: what it is, how to use it, questions to try."""
    backend = ("offline: answers are quoted from the knowledge base (set OPENAI_API_KEY or "
               "OPENAI_BASE_URL to use a model)" if engine.model is None
               else f"openai ({engine.model})")
    return "\n".join([
        "OpenAI hardware bot · OpenAI 硬體生態問答 · OpenAI 硬件生态问答",
        f"backend: {backend}", "",
        CHAT_HELP["en"], "", "Try · 試試 · 试试:",
        bullet_list(suggestions("zh-Hant", "a", count=1) + suggestions("zh-Hans", "b", count=1)
                    + suggestions("en", "c", count=1)),
    ])


async def _chat_command(engine: Engine, command: str, language: Script) -> str | None:
    """Run a chat command; None means quit."""
    if command in ("/quit", "/exit"):
        return None
    if command == "/reset":
        await engine.reset(TERMINAL_CONVERSATION)
        return RESET_DONE[language]
    if command == "/sources":
        last_language, citations = await engine.last_citations(TERMINAL_CONVERSATION)
        language = last_language or language
        if not citations:
            return NO_SOURCES[language]
        return render_sources(await sources_by_id(engine), citations, language, with_text=True)
    return CHAT_HELP[language]


async def chat_reply(engine: Engine, line: str, language: Script) -> tuple[str | None, Script]:
    """What the chat prints for one line (None: quit), and the conversation's language."""
    if line.startswith("/"):
        return await _chat_command(engine, line.split()[0].lower(), language), language
    answer = await engine.answer(line, TERMINAL_CONVERSATION)
    return render_answer(await sources_by_id(engine), answer), answer.language


def chat_loop(engine: Engine, runner: asyncio.Runner, *, read: Callable[[str], str] = input,
              out: TextIO | None = None) -> None:
    """Read questions and commands until /quit, end of input or Ctrl-C.

    The prompt is read on this (the main) thread, so Ctrl-C interrupts it at once.
    """
    out = out or sys.stdout  # looked up now: a caller may have redirected it
    print(chat_banner(engine), file=out, flush=True)
    language: Script = "en"
    while True:
        try:
            line = read("\n> ").strip()
            if not line:
                continue
            reply, language = runner.run(chat_reply(engine, line, language))
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return
        if reply is None:
            return
        print(reply, file=out, flush=True)


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    """An interactive chat in the terminal."""
    knowledge = open_knowledge_base(settings)
    engine = create_engine(settings, knowledge, backend=args.backend)
    try:
        with asyncio.Runner() as runner:
            try:
                chat_loop(engine, runner)
            finally:
                runner.run(engine.aclose())
    finally:
        knowledge.close()
    return 0
