"""Writes made after an answer: remembered turns, usage statistics, kept answers.

The answer never waits for them; a conversation's next question waits for its
own earlier writes (it reads the turns they add), and a failure is only logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore

logger = logging.getLogger(__name__)


class BackgroundWrites:
    """Queues writes on the knowledge service's writer, in order, per conversation."""

    def __init__(self, knowledge: KnowledgeService):
        self.knowledge = knowledge
        # The last write of each conversation: its next question reads the turns after it.
        self._last: dict[str, asyncio.Future[object]] = {}
        self._pending: set[asyncio.Future[object]] = set()

    def queue(self, operation: Callable[[KnowledgeStore], object], what: str, *,
              conversation: str | None = None) -> None:
        """Queue a write; ``what`` names it in the log should it fail."""
        future: asyncio.Future[object] = asyncio.ensure_future(self.knowledge.write(operation))
        self._pending.add(future)
        if conversation is not None:
            self._last[conversation] = future

        def done(finished: asyncio.Future[object]) -> None:
            self._pending.discard(finished)
            if conversation is not None and self._last.get(conversation) is finished:
                del self._last[conversation]
            if not finished.cancelled() and (error := finished.exception()) is not None:
                # The answer is more important than remembering it.
                logger.warning("could not %s: %s", what, error)

        future.add_done_callback(done)

    async def after(self, conversation: str) -> None:
        """Wait until the writes queued for a conversation are done (their errors are logged)."""
        pending = self._last.get(conversation)
        if pending is not None:
            await asyncio.gather(asyncio.shield(pending), return_exceptions=True)

    async def flush(self) -> None:
        """Wait until every write queued so far is done."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
