"""Taps on the buttons under an answer: a suggested question, the answer's sources, a vote.

Every tap is answered at once (the button stops spinning). A suggested question is
shown in the chat and answered like a typed one: the same limit, the same per-chat
order, on behalf of whoever tapped. A button whose answer is no longer kept says
so politely.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import CallbackQuery, Update
from telegram.constants import ChatType

from bot.answers import citations_from_dicts
from bot.language import Language, language_from_code
from handlers import texts
from handlers.delivery import decorate, send_chunk
from handlers.formatting import Chunk, html_to_plain
from handlers.keyboards import Tap, parse_tap
from handlers.services import BotContext, sender_key
from handlers.user import deliver_answer, reply_html, sources_html
from knowledge.feedback import AnswerRecord
from knowledge.store import StoreError

logger = logging.getLogger(__name__)


async def say(query: CallbackQuery, text: str = "") -> None:
    """Answer a tap (a short note, or nothing), so its button stops spinning."""
    await decorate(query.answer(text[:200] or None))


@dataclass(frozen=True)
class Tapped:
    """A tap on one of the buttons of a kept answer, and the language to reply in."""

    query: CallbackQuery
    tap: Tap
    record: AnswerRecord
    language: Language


async def tapped(update: Update, context: BotContext) -> Tapped | None:
    """The tap and the answer its button belongs to; an unknown or expired button is
    answered here, politely, and gives None."""
    query = update.callback_query
    if query is None:
        return None
    tap = parse_tap(query.data)
    record = await context.services.engine.kept_answer(tap.key) if tap else None
    if tap is None or record is None:
        await say(query, texts.BUTTON_EXPIRED[tapper_language(update)])
        return None
    return Tapped(query, tap, record, tapper_language(update, record))


def tapper_language(update: Update, record: AnswerRecord | None = None) -> Language:
    """The language to talk to the tapper in: the answer's, else their Telegram setting's."""
    if record is not None and record.language in texts.BUTTON_EXPIRED:
        return record.language
    user = update.effective_user
    return (language_from_code(user.language_code) if user else None) or "en"


async def suggestion_tapped(update: Update, context: BotContext) -> None:
    """The tapped question appears in the chat, then its answer, as if it had been typed."""
    if (found := await tapped(update, context)) is None:
        return
    query, suggestions, language = found.query, found.record.suggestions, found.language
    if found.tap.number >= len(suggestions):
        await say(query, texts.BUTTON_EXPIRED[language])
        return
    question = suggestions[found.tap.number]
    shared = context.services
    if not shared.is_admin(update.effective_user) and (
            wait := shared.questions.check(sender_key(update))):
        await say(query, texts.RATE_LIMITED[language].format(seconds=int(wait) + 1))
        return
    await say(query)
    chat = update.effective_chat
    if chat is None:
        return
    group = chat.type != ChatType.PRIVATE
    asker = f"{html.escape(query.from_user.first_name, quote=False)}: " if group else ""
    shown = texts.TAPPED_QUESTION[language].format(
        asker=asker, question=html.escape(question, quote=False))
    echo = await send_chunk(context.bot, chat.id, Chunk(shown, html_to_plain(shown)))
    await deliver_answer(update, context, question, reply_to=echo.message_id if group else None)


async def sources_tapped(update: Update, context: BotContext) -> None:
    """The user sees the passages this answer cited (not only the chat's last answer's)."""
    if (found := await tapped(update, context)) is None:
        return
    citations = citations_from_dicts(found.record.citations)
    if not citations:
        await say(found.query, texts.NO_ANSWER_SOURCES[found.language])
        return
    await say(found.query)
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
        await say(found.query, texts.VOTE_FAILED[found.language])
        return
    notes = {"recorded": texts.VOTE_THANKS, "changed": texts.VOTE_CHANGED,
             "unchanged": texts.VOTE_UNCHANGED, "expired": texts.BUTTON_EXPIRED}
    await say(found.query, notes[outcome][found.language])


async def unknown_tapped(update: Update, context: BotContext) -> None:
    """A button this bot no longer knows says, in the tap's answer, that it has expired."""
    if update.callback_query is not None:
        await say(update.callback_query, texts.BUTTON_EXPIRED[tapper_language(update)])
