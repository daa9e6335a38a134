"""Taps on the buttons under an answer: a suggested question, the answer's sources, a vote.

Every tap is answered at once (the button stops spinning), even while its chat waits
for an answer: taps are not queued behind the chat's updates. A suggested question is
then shown in the chat and answered like a typed one, on behalf of whoever tapped: the
same limit and, once it is the chat's turn, the same order. A button whose answer is
no longer kept (or belongs to another chat) says politely that it has expired.
"""

from __future__ import annotations

import contextlib
import html
import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from telegram import CallbackQuery, Chat, Update
from telegram.constants import ChatType

from bot.answers import AnswerRecord, StoreError, citations_from_dicts
from bot.language import Script, language_from_code, to_script
from handlers import texts
from handlers.delivery import decorate_soon, send_chunk
from handlers.flow import PerChatUpdateProcessor
from handlers.formatting import Chunk, html_to_plain
from handlers.keyboards import Tap, parse_tap
from handlers.services import BotContext, conversation_id, sender_key
from handlers.user import deliver_answer, reply_html, sources_html

logger = logging.getLogger(__name__)
LANGUAGES: tuple[Script, ...] = ("zh-Hant", "zh-Hans", "en")


def say(query: CallbackQuery, text: str = "") -> None:
    """Answer a tap (a short note, or nothing), so its button stops spinning; nothing
    waits for Telegram to take it."""
    decorate_soon(query.answer(text[:200] or None))


@dataclass(frozen=True)
class Tapped:
    """A tap on one of the buttons of a kept answer, in a chat, and the reply language."""

    query: CallbackQuery
    tap: Tap
    record: AnswerRecord
    chat: Chat
    language: Script


async def tapped(update: Update, context: BotContext) -> Tapped | None:
    """The tap and the answer its button belongs to; an unknown or expired button, or one
    of another chat's answers, is answered here, politely, and gives None."""
    query, chat = update.callback_query, update.effective_chat
    if query is None:
        return None
    tap = parse_tap(query.data)
    record = await context.services.engine.kept_answer(tap.key) if tap else None
    if tap is None or record is None or chat is None or record.forgotten \
            or conversation_chat(record) != chat.id:
        say(query, texts.BUTTON_EXPIRED[record_language(record) or hinted_language(update)])
        return None
    return Tapped(query, tap, record, chat, reply_language(update, record))


def conversation_chat(record: AnswerRecord) -> int | None:
    """The chat an answer was given in (conversations are ``tg:<chat>[:<member>]``)."""
    parts = (record.conversation or "").split(":")
    return int(parts[1]) if len(parts) >= 2 and parts[1].lstrip("-").isdigit() else None


def record_language(record: AnswerRecord | None) -> Script | None:
    """The language an answer was given in."""
    return next((code for code in LANGUAGES if record and record.language == code), None)


def hinted_language(update: Update) -> Script:
    """The tapper's Telegram language."""
    user = update.effective_user
    return (language_from_code(user.language_code) if user else None) or "en"


def reply_language(update: Update, record: AnswerRecord) -> Script:
    """The answer's language, in the tapper's script: a member who reads Simplified gets
    Simplified when tapping under another member's Traditional answer."""
    language = record_language(record) or hinted_language(update)
    hint = hinted_language(update)
    if language != "en" and hint != "en" and record.conversation != conversation_id(update):
        return hint
    return language


def chat_turn(context: BotContext, chat: int) -> AbstractAsyncContextManager[None]:
    """Wait for the chat's turn (after the answer it is waiting for, if any)."""
    processor = context.application.update_processor
    if isinstance(processor, PerChatUpdateProcessor):
        return processor.turn(chat)
    return contextlib.nullcontext()


async def suggestion_tapped(update: Update, context: BotContext) -> None:
    """The tapped question appears in the chat, then its answer, as if it had been typed."""
    if (found := await tapped(update, context)) is None:
        return
    query, suggestions, language = found.query, found.record.suggestions, found.language
    if found.tap.number >= len(suggestions):
        say(query, texts.BUTTON_EXPIRED[language])
        return
    shared, who = context.services, sender_key(update)
    if not shared.taps.allow(who, query.data or ""):
        say(query)  # a double tap: the question is already being answered
        return
    if not shared.is_admin(update.effective_user) and (wait := shared.questions.check(who)):
        say(query, texts.RATE_LIMITED[language].format(seconds=int(wait) + 1))
        return
    say(query)
    question = suggestions[found.tap.number]
    if language != "en":
        question = to_script(question, language)
    group = found.chat.type != ChatType.PRIVATE
    asker = f"{html.escape(query.from_user.first_name, quote=False)}: " if group else ""
    shown = texts.TAPPED_QUESTION[language].format(
        asker=asker, question=html.escape(question, quote=False))
    async with chat_turn(context, found.chat.id):
        echo = await send_chunk(context.bot, found.chat.id, Chunk(shown, html_to_plain(shown)))
        await deliver_answer(update, context, question, language=language,
                             reply_to=echo.message_id if group else None)


async def sources_tapped(update: Update, context: BotContext) -> None:
    """The user sees the passages this answer cited (not only the chat's last answer's),
    as long as the knowledge still serves their source."""
    if (found := await tapped(update, context)) is None:
        return
    served = {source.id for source in await context.services.engine.served_sources()}
    citations = [citation for citation in citations_from_dicts(found.record.citations)
                 if citation.source in served]
    if not citations:
        say(found.query, (texts.NO_ANSWER_SOURCES if not found.record.citations
                          else texts.BUTTON_EXPIRED)[found.language])
        return
    say(found.query)
    await reply_html(update, await sources_html(context, citations, found.language,
                                                heading=texts.ANSWER_SOURCES_HEADING))


async def vote_tapped(update: Update, context: BotContext) -> None:
    """The voter is thanked in the tap's answer; their vote counts once per answer."""
    if (found := await tapped(update, context)) is None:
        return
    try:
        outcome = await context.services.engine.vote(
            found.record.key, voter=found.query.from_user.id, up=found.tap.number == 1)
    except StoreError as error:
        logger.warning("could not count a vote: %s", error)
        say(found.query, texts.VOTE_FAILED[found.language])
        return
    notes = {"recorded": texts.VOTE_THANKS, "changed": texts.VOTE_CHANGED,
             "unchanged": texts.VOTE_UNCHANGED, "expired": texts.BUTTON_EXPIRED}
    say(found.query, notes[outcome][found.language])


async def unknown_tapped(update: Update, context: BotContext) -> None:
    """A button this bot no longer knows says, in the tap's answer, that it has expired."""
    if update.callback_query is not None:
        say(update.callback_query, texts.BUTTON_EXPIRED[hinted_language(update)])
