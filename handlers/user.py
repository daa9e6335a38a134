"""Handlers for everyone: questions in private chats and groups, commands, inline mode."""

from __future__ import annotations

import html
import logging
import re

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop

from bot.answers import Citation, StoreError
from bot.citations import (
    citation_line,
    paragraph_label,
    source_date,
    source_outlet,
    source_title,
)
from bot.language import Script, language_from_code, to_script
from bot.phrases import bullet_list, suggestions
from handlers import texts
from handlers.delivery import TYPING_DELAY, AnswerDelivery, decorate, send_chunks, typing
from handlers.formatting import (
    MESSAGE_LIMIT,
    Chunk,
    answer_chunks,
    html_to_plain,
    plain_chunks,
    utf16_length,
)
from handlers.keyboards import answer_keyboard
from handlers.services import (
    BotContext,
    conversation_id,
    is_private,
    reader_language,
    sender_key,
)

logger = logging.getLogger(__name__)
INLINE_RESULTS = 3
# Telegram's limit for an inline result's message text, with room for the source line.
INLINE_TEXT_LIMIT = 3500


async def outlets(context: BotContext, language: Script) -> dict[str, str]:
    """Each source's outlet and date in the reader's language, for answer footers: the
    answers are as of the report, and the footer says when that was."""
    return {source.id: source_outlet(source, language)
            for source in await context.services.engine.served_sources()}


async def reply_html(update: Update, text: str) -> None:
    """Reply with an HTML text of the bot's own (as plain chunks if it were ever too long)."""
    if update.effective_chat is None:
        return
    plain = html_to_plain(text)
    chunks = [Chunk(text, plain)] if utf16_length(text) <= MESSAGE_LIMIT else plain_chunks(plain)
    await send_chunks(update.get_bot(), update.effective_chat.id, chunks)


async def notify(update: Update, context: BotContext, kind: str, text: str) -> None:
    """Send a notice (too fast, text only, not allowed …) at most once a minute per sender
    and kind: a flood of messages must not become a flood of replies."""
    if context.services.notices.allow(sender_key(update), kind):
        await reply_html(update, text)


async def guard_update(update: Update, context: BotContext) -> None:
    """Before any handler: senders outside the allow-lists, and senders flooding the bot,
    get one short notice a minute, and nothing else runs."""
    shared = context.services
    settings, user, chat = shared.settings, update.effective_user, update.effective_chat
    if (settings.allowed_user_ids or settings.allowed_chat_ids) and not (
            shared.is_admin(user) or (user and user.id in settings.allowed_user_ids)
            or (chat and chat.id in settings.allowed_chat_ids)):
        if update.callback_query is not None:
            await decorate(update.callback_query.answer())  # no spinning button, no more
        elif is_private(update) and update.message:
            await notify(update, context, "not_allowed", texts.NOT_ALLOWED[reader_language(update)])
        raise ApplicationHandlerStop
    if user is not None and floods(update, context):
        too_fast = texts.RATE_LIMITED[reader_language(update)].format(seconds=60)
        if update.callback_query is not None:
            await decorate(update.callback_query.answer(too_fast))
        elif update.effective_message is not None:
            await notify(update, context, "too_fast", too_fast)
        raise ApplicationHandlerStop


def floods(update: Update, context: BotContext) -> bool:
    """Count an update the bot would act on; tell whether its sender is over their limit.

    In a group every reply spends the group's budget (20 messages a minute), so a member
    gets fewer updates handled there than in a private chat; group messages not addressed
    to the bot are not counted (the bot ignores them anyway).
    """
    shared = context.services
    if update.inline_query is not None or is_private(update):
        return bool(shared.updates.check(sender_key(update)))
    if update.callback_query is not None:
        # A vote sends nothing; a suggestion or sources tap in a group becomes a reply.
        votes = (update.callback_query.data or "").startswith("vote:")
        limiter = shared.updates if votes else shared.group_updates
        return bool(limiter.check(sender_key(update)))
    message = update.effective_message
    if message is None or not (is_command(message) or addressed_question(update, context)):
        return False
    return bool(shared.group_updates.check(sender_key(update)))


def is_command(message: Message) -> bool:
    """Tell whether a message starts with a /command."""
    return any(entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0
               for entity in message.entities or ())


async def start(update: Update, context: BotContext) -> None:
    """The user sees a welcome in their language with three example questions."""
    language = reader_language(update)
    examples = bullet_list([html.escape(q) for q in suggestions(language, str(update.update_id))])
    await reply_html(update, texts.WELCOME[language].format(examples=examples))


async def help_command(update: Update, context: BotContext) -> None:
    """The user sees how to ask in private chats, groups and inline mode."""
    await reply_html(update, texts.HELP[reader_language(update)].format(
        bot=html.escape(context.bot.username or "bot")))


async def sources(update: Update, context: BotContext) -> None:
    """The user sees the facts the chat's last answer cited, with title, outlet and paragraphs."""
    engine = context.services.engine
    last_language, citations = await engine.last_citations(conversation_id(update))
    language = last_language or reader_language(update)
    if not citations:
        await reply_html(update, texts.NO_SOURCES[language])
        return
    await reply_html(update, await sources_html(context, citations, language,
                                                heading=texts.SOURCES_HEADING))


async def sources_html(context: BotContext, citations: list[Citation], language: Script, *,
                       heading: texts.Texts) -> str:
    """The cited facts with their source's title, outlet and paragraphs, under a heading."""
    known = {source.id: source for source in await context.services.engine.served_sources()}
    lines = [html.escape(citation_line(c, known.get(c.source), language, with_text=True))
             for c in citations]
    return "\n\n".join([heading[language], *lines])


async def reset(update: Update, context: BotContext) -> None:
    """The user is told the conversation was forgotten (or, politely, that it cannot be)."""
    language = reader_language(update)
    try:
        await context.services.engine.reset(conversation_id(update))
    except StoreError as error:
        logger.warning("could not forget a conversation: %s", error)
        await reply_html(update, texts.RESET_FAILED[language])
        return
    await reply_html(update, texts.RESET_DONE[language])


async def about(update: Update, context: BotContext) -> None:
    """The user sees the source article and the knowledge version."""
    language = reader_language(update)
    engine = context.services.engine
    stats, article = await engine.stats(), (await engine.served_sources())[0]
    reporter = ""
    if article.reporter:
        name = article.reporter.en if language == "en" else article.reporter.zh
        reporter = f"{html.escape(to_script(name, language))} · "
    await reply_html(update, texts.ABOUT[language].format(
        source=html.escape(source_title(article, language)), reporter=reporter,
        date=html.escape(source_date(article, language)), version=stats.version,
        facts=stats.facts, paragraphs=html.escape(", ".join(map(str, stats.cited_paragraphs)))))


async def private_text(update: Update, context: BotContext) -> None:
    """In a private chat every text is a question: the user gets the answer with sources."""
    if update.effective_message is not None:
        await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: BotContext) -> None:
    """In a group, a mention of the bot or a reply to it is answered; the rest is ignored."""
    question = addressed_question(update, context)
    if question is not None:
        await answer_question(update, context, question)


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask question: the user gets the answer (or how to use /ask when it has no question)."""
    question = " ".join(context.args or [])
    if not question.strip():
        await reply_html(update, texts.ASK_USAGE[reader_language(update)])
        return
    await answer_question(update, context, question)


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice and files get a note that the bot answers text questions."""
    chat = update.effective_chat
    if chat is None or (chat.type != ChatType.PRIVATE and not replies_to_bot(update, context)):
        return
    await notify(update, context, "not_text", texts.NOT_TEXT[reader_language(update)])


def replies_to_bot(update: Update, context: BotContext) -> bool:
    """Tell whether the message replies to one of the bot's messages."""
    replied = update.effective_message.reply_to_message if update.effective_message else None
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


def addressed_question(update: Update, context: BotContext) -> str | None:
    """The question in a group message addressed to the bot, or None when it is not."""
    message = update.effective_message
    if message is None:
        return None
    text = message.text or ""
    username = (context.bot.username or "").lower()
    mentioned = any(
        (entity.type == "mention" and text_of(text, entity.offset, entity.length).lower()
         == f"@{username}") or (entity.type == "text_mention" and entity.user
                                and entity.user.id == context.bot.id)
        for entity in message.entities or ())
    if not mentioned and not replies_to_bot(update, context):
        return None
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip() \
        if username else text


def text_of(text: str, offset: int, length: int) -> str:
    """The part of a message an entity covers (offsets count UTF-16 code units)."""
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2:(offset + length) * 2].decode("utf-16-le", errors="ignore")


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """A typed question: within the asker's rate limit, answered in its chat."""
    if not await within_question_limit(update, context, question):
        return
    message = update.effective_message
    private = is_private(update)
    await deliver_answer(update, context, question,
                         reply_to=None if private or message is None else message.message_id)


async def within_question_limit(update: Update, context: BotContext, question: str) -> bool:
    """Count a question against its asker's limit (admins have none); over it, the asker
    gets the "too fast" notice (at most once a minute) and False."""
    shared = context.services
    if shared.is_admin(update.effective_user):
        return True
    wait = shared.questions.check(sender_key(update))
    if wait:
        language = reader_language(update, question)
        await notify(update, context, "too_fast",
                     texts.RATE_LIMITED[language].format(seconds=int(wait) + 1))
    return not wait


async def deliver_answer(update: Update, context: BotContext, question: str, *,
                         reply_to: int | None, language: Script | None = None) -> None:
    """Answer a question in its chat: feedback at once, the answer growing, then the final
    messages with their buttons."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    hint = language_from_code(user.language_code) if user else None
    engine = context.services.engine
    delivery = AnswerDelivery(context.bot, chat.id, chat.type, reply_to=reply_to,
                              placeholders=context.services.placeholders)
    # A model takes seconds: a placeholder draft (private chats) or "typing…" shows at once
    # that an answer is coming. Offline answers take milliseconds: "typing…" only shows for
    # one that takes longer.
    quick = not engine.streams
    drafted = not quick and await delivery.begin()
    async with typing(context.bot, chat.id, delay=TYPING_DELAY if quick else 0.0,
                      wanted=not drafted):
        answer = await engine.answer(
            question, conversation_id(update), language_hint=hint, language=language,
            on_text=delivery.progress if engine.streams else None, log=True)
    await delivery.finish(answer_chunks(answer, await outlets(context, answer.language)),
                          markup=answer_keyboard(answer))


async def inline_query(update: Update, context: BotContext) -> None:
    """Typing @bot question offers up to three short sourced facts, straight from retrieval."""
    query = update.inline_query
    if query is None:
        return
    shared = context.services
    if shared.inline.check(query.from_user.id):
        return  # too many: no answer at all, which Telegram shows as no results
    hint = language_from_code(query.from_user.language_code)
    language, citations = await shared.engine.quick_facts(query.query, limit=INLINE_RESULTS,
                                                          language_hint=hint)
    names = await outlets(context, language)
    results = []
    for citation in citations:
        where = f"{names.get(citation.source, citation.source)} " \
                f"{paragraph_label(citation.paragraphs, language)}"
        text = shorten(citation.text, INLINE_TEXT_LIMIT)
        results.append(InlineQueryResultArticle(
            id=citation.fact_id[:64], title=shorten(citation.text, 60), description=where,
            input_message_content=InputTextMessageContent(
                f"{html.escape(text)}\n\n<i>{html.escape(where)}</i>",
                parse_mode=ParseMode.HTML)))
    # Nothing found: a button that opens the private chat, where the full engine can decline
    # helpfully or answer a rephrased question.
    button = None if results else InlineQueryResultsButton(text=texts.INLINE_EMPTY[language],
                                                           start_parameter="inline")
    # Personal: the answer's script follows each user's language.
    await query.answer(results, cache_time=60, is_personal=True, button=button)


def shorten(text: str, limit: int) -> str:
    """The text, cut at ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
