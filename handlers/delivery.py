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
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot, Message, ReplyParameters
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut

from handlers.flow import Budget, Throttle
from handlers.formatting import Chunk

logger = logging.getLogger(__name__)

TYPING_EVERY = 4.5  # Telegram shows a chat action for about five seconds.
# An answer ready sooner than this needs no "typing…" (most offline answers): one request saved.
TYPING_DELAY = 0.25
DECORATION_TIMEOUT = 5.0
PRIVATE_PROGRESS_INTERVAL = 1.0
GROUP_PROGRESS_INTERVAL = 3.0
PROGRESS_LIMIT = 4000
SEND_ATTEMPTS = 3
RESEND_DELAY = 0.5
_draft_ids = itertools.count(1)
# Shared by every chat: Telegram's limit (about 30 requests a second) is per bot.
DECORATIONS = Budget(10.0, burst=20.0)


async def decorate(call: Awaitable[Any], *, skippable: bool = False) -> None:
    """Run a call that only decorates; a failure or a slow answer is ignored. A skippable
    one (typing, a draft) is dropped when the bot is already sending near Telegram's limit."""
    if skippable and not DECORATIONS.take():
        if isinstance(call, Coroutine):
            call.close()  # never sent: close it so it is not reported as never awaited
        return
    try:
        await asyncio.wait_for(call, DECORATION_TIMEOUT)
    except Exception as error:  # a refusal, a timeout, or a reply of the wrong shape
        logger.debug("decorative call failed: %s", error)


_background: set[asyncio.Task[None]] = set()


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show 'typing…' in the chat until the block ends.

    The answer never waits for the typing task to wind down: it is told to stop and
    cancelled. (On Python 3.11 a cancellation arriving as ``wait_for`` finishes can
    be lost, so the stop flag, not the cancellation alone, ends the loop.)
    """
    stop = asyncio.Event()

    async def keep_typing() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TYPING_DELAY)
        while not stop.is_set():
            await decorate(bot.send_chat_action(chat_id, ChatAction.TYPING), skippable=True)
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


async def send_chunk(bot: Bot, chat_id: int, chunk: Chunk, *,
                     reply_to: int | None = None) -> Message:
    """Send one message as HTML, or as plain text when Telegram rejects the HTML."""
    reply = reply_parameters(reply_to)
    try:
        return await resend_on_network_error(lambda: bot.send_message(
            chat_id, chunk.html, parse_mode=ParseMode.HTML, reply_parameters=reply))
    except BadRequest as error:
        if not is_parse_error(error):
            raise
        logger.warning("Telegram rejected the HTML of a message; sending it as plain text")
        return await resend_on_network_error(lambda: bot.send_message(
            chat_id, chunk.plain, reply_parameters=reply))


async def edit_chunk(bot: Bot, message: Message, chunk: Chunk) -> None:
    """Replace a message's text with a chunk (HTML, or plain if the HTML is refused)."""
    try:
        await bot.edit_message_text(chunk.html, message.chat_id, message.message_id,
                                    parse_mode=ParseMode.HTML)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return
        if not is_parse_error(error):
            raise
        await bot.edit_message_text(chunk.plain, message.chat_id, message.message_id)


async def send_chunks(bot: Bot, chat_id: int, chunks: list[Chunk], *,
                      reply_to: int | None = None) -> list[Message]:
    """Send messages in order, the first one replying to the question when given."""
    sent = []
    for index, chunk in enumerate(chunks):
        sent.append(await send_chunk(bot, chat_id, chunk,
                                     reply_to=reply_to if index == 0 else None))
    return sent


class AnswerDelivery:
    """Shows one answer while it is written, then delivers it.

    In private chats the text grows in a draft (``sendMessageDraft``); in groups in
    a message edited at most every few seconds, which the final answer replaces.
    """

    def __init__(self, bot: Bot, chat_id: int, chat_type: str, *, reply_to: int | None = None):
        self.bot = bot
        self.chat_id = chat_id
        self.private = chat_type == ChatType.PRIVATE
        self.reply_to = reply_to
        self.throttle = Throttle(PRIVATE_PROGRESS_INTERVAL if self.private
                                 else GROUP_PROGRESS_INTERVAL)
        self.draft_id = next(_draft_ids)
        self.placeholder: Message | None = None
        self._shown = ""
        self._showing: asyncio.Task[None] | None = None

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
            await decorate(self.bot.send_message_draft(self.chat_id, self.draft_id, text),
                           skippable=True)
        elif self.placeholder is None:
            self.placeholder = await self._send_placeholder(text)
        else:
            await decorate(self.bot.edit_message_text(
                text, self.chat_id, self.placeholder.message_id))

    async def _send_placeholder(self, text: str) -> Message | None:
        try:
            return await asyncio.wait_for(
                self.bot.send_message(self.chat_id, text,
                                      reply_parameters=reply_parameters(self.reply_to)),
                DECORATION_TIMEOUT)
        except Exception as error:  # the progress message is decoration too
            logger.debug("progress message failed: %s", error)
            return None

    async def finish(self, chunks: list[Chunk]) -> list[Message]:
        """Deliver the final answer, replacing the progress message when there is one."""
        if self._showing is not None:
            # A progress edit landing after the final one would overwrite the answer.
            await asyncio.gather(self._showing, return_exceptions=True)
        if self.placeholder is None:
            return await send_chunks(self.bot, self.chat_id, chunks, reply_to=self.reply_to)
        try:
            await edit_chunk(self.bot, self.placeholder, chunks[0])
        except TimedOut:
            # The edit may well have landed; sending the answer again could show it twice.
            logger.warning("the final edit timed out; not sending the answer again")
        except Exception as error:  # refused, or answered in a shape PTB cannot read
            # The progress message could not become the answer: send the answer anew.
            logger.debug("final edit failed (%s); sending the answer as new messages", error)
            return await send_chunks(self.bot, self.chat_id, chunks, reply_to=self.reply_to)
        rest = await send_chunks(self.bot, self.chat_id, chunks[1:])
        return [self.placeholder, *rest]

