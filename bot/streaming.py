"""Reading the model's reply while it is written, showing it as it grows."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from bot.language import Script, to_script
from bot.llm import ChatClient, Message, Usage
from bot.prompts import NO_ANSWER

logger = logging.getLogger(__name__)

TextCallback = Callable[[str], Awaitable[None]]
# The answer so far is handed on at most this often (each showing is a request).
PROGRESS_EVERY = 0.25


async def read_reply(client: ChatClient, messages: list[Message], *, language: Script,
                     on_text: TextCallback | None, usage: Usage, max_chars: int) -> str:
    """The model's reply (at most ``max_chars``), handed to ``on_text`` as it grows: the
    first words at once, then at most every PROGRESS_EVERY seconds."""
    if on_text is None:
        return (await client.complete(messages, usage=usage))[:max_chars]
    text, shown = "", float("-inf")
    # Closed at once when left early, so the model's connection is not left streaming.
    async with contextlib.aclosing(client.stream(messages, usage=usage)) as pieces:
        async for piece in pieces:
            text += piece
            if len(text) >= max_chars:
                # A model that never stops: what it wrote so far is the answer.
                return text[:max_chars]
            head = text.lstrip()[:len(NO_ANSWER)]
            if not head or NO_ANSWER.startswith(head) or \
                    time.monotonic() - shown < PROGRESS_EVERY:
                continue  # maybe the "no answer" reply, or too soon to show more
            shown = time.monotonic()
            try:
                await on_text(to_script(text, language))
            except Exception:  # showing progress is decoration: it never stops the answer
                logger.debug("progress callback failed", exc_info=True)
    return text
