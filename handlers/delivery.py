"""Sending answers: typing action, the answer growing while the model writes, the final
messages, and plain text when Telegram rejects the HTML.

Calls that only decorate (chat action, drafts, progress edits) never stop an
answer: their failures are logged at debug level and forgotten.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut

from handlers.flow import Throttle
from handlers.formatting import Chunk

logger = logging.getLogger(__name__)

# Budgets follow Telegram's limits per peer, not one budget for the whole bot: a chat
# action shows for about five seconds, so one per chat every 4.5 s; drafts are limited to
# about 20 per 5 s per user, and a draft every 0.5 s stays well inside that; in a group
# every message and edit spends its 20 a minute, so the progress message changes rarely.
TYPING_EVERY = 4.5
# An answer ready sooner than this needs no "typing…" (most offline answers): one request saved.
TYPING_DELAY = 0.25
DECORATION_TIMEOUT = 5.0
PRIVATE_PROGRESS_INTERVAL = 0.5
GROUP_PROGRESS_INTERVAL = 3.0
PROGRESS_LIMIT = 4000
SEND_ATTEMPTS = 3
RESEND_DELAY = 0.5
# Shown while the model has written nothing yet, where the Bot API refuses an empty
# draft (newer versions show their own "Thinking…" for one).
PLACEHOLDER_TEXT = "…"
# How long an answer may wait for its placeholder to be sent before it starts anyway,
# and a final answer for the draft or edit being sent before it goes out regardless.
PLACEHOLDER_WAIT = 0.3
FINISH_WAIT = 0.5
_draft_ids = itertools.count(1)


class PlaceholdersInFlight:
    """The placeholders a bot is sending: answers start once all of them are out (or after
    a moment), so with a hundred users at once the last placeholder is not queued behind
    the first users' searches, which take the processor."""

    def __init__(self) -> None:
        self._pending: set[asyncio.Task[bool]] = set()

    def started(self, task: asyncio.Task[bool]) -> None:
        """Count a placeholder being sent until it is."""
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def all_sent(self, *, within: float) -> None:
        """Wait until no placeholder is being sent (those started meanwhile included), at
        most ``within`` seconds."""
        deadline = time.monotonic() + within
        while self._pending and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(set(self._pending), timeout=left)


async def decorate(call: Awaitable[Any], *, timeout: float | None = DECORATION_TIMEOUT) -> None:
    """Run a call that only decorates; a failure, or an answer slower than ``timeout``
    (None: wait for it), is ignored."""
    try:
        await asyncio.wait_for(call, timeout)
    except Exception as error:  # a refusal, a timeout, or a reply of the wrong shape
        logger.debug("decorative call failed: %s", error)


_background: set[asyncio.Task[None]] = set()


def decorate_soon(call: Coroutine[Any, Any, Any]) -> None:
    """Start a call that only decorates without waiting for it (a slow one never holds
    anything back); like ``decorate``, its failures are ignored."""
    task = asyncio.create_task(decorate(call))
    _background.add(task)  # the event loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int, *, delay: float = TYPING_DELAY,
                 wanted: bool = True) -> AsyncIterator[None]:
    """Show 'typing…' in the chat until the block ends.

    The answer never waits for the typing task to wind down: it is told to stop and
    cancelled. (On Python 3.11 a cancellation arriving as ``wait_for`` finishes can
    be lost, so the stop flag, not the cancellation alone, ends the loop.)
    """
    if not wanted:
        yield
        return
    stop = asyncio.Event()

    async def keep_typing() -> None:
        if delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
        while not stop.is_set():
            await decorate(bot.send_chat_action(chat_id, ChatAction.TYPING))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    _background.add(task)  # the event loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)
    try:
        yield
    finally:
        stop.set()
        task.cancel()


def is_parse_error(error: BadRequest) -> bool:
    """Tell whether Telegram refused a message because of its formatting."""
    return "parse entities" in error.message.lower() or "can't parse" in error.message.lower()


async def resend_on_network_error(send: Callable[[], Awaitable[Message]]) -> Message:
    """Send, trying again when the connection failed before Telegram answered (5xx, a
    dropped connection). A refused request (BadRequest) or a timeout, after which the
    message may well have arrived, is not retried: an answer is never sent twice."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await send()
        except (BadRequest, TimedOut):
            raise
        except NetworkError as error:
            if attempt == SEND_ATTEMPTS - 1:
                raise
            logger.warning("sending failed (%s); trying again", error)
            await asyncio.sleep(RESEND_DELAY * (attempt + 1))
    raise AssertionError("unreachable")


def reply_parameters(reply_to: int | None) -> ReplyParameters | None:
    """Reply to the question, still sending if it has been deleted meanwhile."""
    return ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None


async def send_chunk(bot: Bot, chat_id: int, chunk: Chunk, *, reply_to: int | None = None,
                     markup: InlineKeyboardMarkup | None = None, html: bool = True) -> Message:
    """Send one message as HTML, or as plain text when Telegram rejects the HTML; buttons
    Telegram refuses are left off (they decorate: the answer goes out without them)."""
    reply = reply_parameters(reply_to)
    try:
        return await resend_on_network_error(lambda: bot.send_message(
            chat_id, chunk.html if html else chunk.plain,
            parse_mode=ParseMode.HTML if html else None, reply_parameters=reply,
            reply_markup=markup))
    except BadRequest as error:
        if html and is_parse_error(error):
            logger.warning("Telegram rejected the HTML of a message; sending it as plain text")
            return await send_chunk(bot, chat_id, chunk, reply_to=reply_to, markup=markup,
                                    html=False)
        if markup is not None:
            logger.warning("Telegram refused a message's buttons (%s); sending it without",
                           error.message)
            return await send_chunk(bot, chat_id, chunk, reply_to=reply_to, html=html)
        raise


async def edit_chunk(bot: Bot, message: Message, chunk: Chunk, *,
                     markup: InlineKeyboardMarkup | None = None, html: bool = True) -> None:
    """Replace a message's text with a chunk (HTML, or plain if the HTML is refused), with
    its buttons unless Telegram refuses them."""
    try:
        await bot.edit_message_text(chunk.html if html else chunk.plain, message.chat_id,
                                    message.message_id,
                                    parse_mode=ParseMode.HTML if html else None,
                                    reply_markup=markup)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return
        if html and is_parse_error(error):
            await edit_chunk(bot, message, chunk, markup=markup, html=False)
        elif markup is not None:
            await edit_chunk(bot, message, chunk, html=html)
        else:
            raise


async def send_chunks(bot: Bot, chat_id: int, chunks: list[Chunk], *,
                      reply_to: int | None = None,
                      markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    """Send messages in order, the first one replying to the question when given, the
    buttons under the last one."""
    sent = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent.append(await send_chunk(bot, chat_id, chunk,
                                     reply_to=reply_to if index == 0 else None,
                                     markup=markup if last else None))
    return sent


class AnswerDelivery:
    """Shows one answer while it is written, then delivers it.

    In private chats a draft (``sendMessageDraft``) shows at once that the bot is
    working, then grows with the text; in groups "typing…" shows at once and a
    message edited every few seconds grows with the text. The final answer, with its
    buttons, replaces either.
    """

    def __init__(self, bot: Bot, chat_id: int, chat_type: str, *, reply_to: int | None = None,
                 placeholders: PlaceholdersInFlight | None = None):
        self.bot = bot
        self.placeholders = placeholders or PlaceholdersInFlight()
        self.chat_id = chat_id
        self.private = chat_type == ChatType.PRIVATE
        self.reply_to = reply_to
        self.throttle = Throttle(PRIVATE_PROGRESS_INTERVAL if self.private
                                 else GROUP_PROGRESS_INTERVAL)
        self.draft_id = next(_draft_ids)
        self.placeholder: Message | None = None
        self._shown = ""
        self._showing: asyncio.Task[object] | None = None

    async def begin(self) -> bool:
        """Show at once that an answer is coming (a placeholder draft in private chats);
        tell whether a placeholder shows (or may still), else "typing…" should.

        The answer waits a moment for the placeholder to be sent: with many users asking
        at once, every placeholder then goes out before the searches take the processor.
        """
        if not self.private:
            return False
        showing = self._showing = asyncio.create_task(self._show_placeholder())
        self.placeholders.started(showing)
        await self.placeholders.all_sent(within=PLACEHOLDER_WAIT)
        return showing.done() and showing.result()

    async def _show_placeholder(self) -> bool:
        try:
            await asyncio.wait_for(self.bot.send_message_draft(self.chat_id, self.draft_id, ""),
                                   DECORATION_TIMEOUT)
            return True
        except BadRequest as error:
            if "text" not in error.message.lower():
                logger.debug("placeholder draft failed: %s", error)
                return False
        except Exception as error:  # a timeout, a dropped connection: it only decorates
            logger.debug("placeholder draft failed: %s", error)
            return False
        try:  # an older Bot API, which needs some text: a short one
            await asyncio.wait_for(self.bot.send_message_draft(
                self.chat_id, self.draft_id, PLACEHOLDER_TEXT), DECORATION_TIMEOUT)
            return True
        except Exception as error:
            logger.debug("placeholder draft failed: %s", error)
            return False

    async def progress(self, text: str) -> None:
        """Show the answer so far, if the throttle allows, without holding up the writing."""
        text = text.strip()[:PROGRESS_LIMIT]
        busy = self._showing is not None and not self._showing.done()
        if not text or text == self._shown or busy or not self.throttle.ready():
            return
        self._shown = text
        self._showing = asyncio.create_task(self._show(text))

    async def _show(self, text: str) -> None:
        if self.private:
            await decorate(self.bot.send_message_draft(self.chat_id, self.draft_id, text))
        elif self.placeholder is None:
            self.placeholder = await self._send_placeholder(text)
        else:  # never cut short: an edit given up on could still land after the answer
            await decorate(self.bot.edit_message_text(
                text, self.chat_id, self.placeholder.message_id), timeout=None)

    async def _send_placeholder(self, text: str) -> Message | None:
        # Never cut short: a message given up on could still arrive, and stay under the
        # answer. finish() does not wait for a slow one; it deletes it once it is there.
        try:
            return await self.bot.send_message(
                self.chat_id, text, reply_parameters=reply_parameters(self.reply_to))
        except Exception as error:  # the progress message is decoration too
            logger.debug("progress message failed: %s", error)
            return None

    async def finish(self, chunks: list[Chunk], *,
                     markup: InlineKeyboardMarkup | None = None) -> list[Message]:
        """Deliver the final answer, replacing the progress message when there is one; the
        buttons go under its last message."""
        showing = self._showing
        if showing is not None and not showing.done():
            # A progress edit landing after the final one would overwrite the answer: wait
            # for it a moment; a slower one is left to land, then its message is deleted.
            await asyncio.wait({showing}, timeout=FINISH_WAIT)
            if not showing.done():
                showing.add_done_callback(lambda _: decorate_soon(self._delete_progress()))
                return await send_chunks(self.bot, self.chat_id, chunks,
                                         reply_to=self.reply_to, markup=markup)
        if self.placeholder is None:
            return await send_chunks(self.bot, self.chat_id, chunks, reply_to=self.reply_to,
                                     markup=markup)
        try:
            await edit_chunk(self.bot, self.placeholder, chunks[0],
                             markup=markup if len(chunks) == 1 else None)
        except TimedOut:
            # The edit may well have landed; sending the answer again could show it twice.
            logger.warning("the final edit timed out; not sending the answer again")
        except Exception as error:  # refused, or answered in a shape PTB cannot read
            # The progress message could not become the answer: send the answer anew.
            logger.debug("final edit failed (%s); sending the answer as new messages", error)
            return await send_chunks(self.bot, self.chat_id, chunks, reply_to=self.reply_to,
                                     markup=markup)
        rest = await send_chunks(self.bot, self.chat_id, chunks[1:], markup=markup)
        return [self.placeholder, *rest]

    async def _delete_progress(self) -> None:
        """Delete the progress message of a group answer delivered without it."""
        if self.placeholder is not None:
            await self.bot.delete_message(self.chat_id, self.placeholder.message_id)
