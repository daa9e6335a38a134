"""Pacing: updates run concurrently across chats but in order within a chat, users are
rate-limited, and message edits are throttled per chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

logger = logging.getLogger(__name__)
UPDATE_DEADLINE = 300.0
# Updates python-telegram-bot may hand over at once; the real bound on concurrent
# handling is applied per chat turn (see PerChatUpdateProcessor).
QUEUED_UPDATES_LIMIT = 100_000
# The rate limiter forgets idle users once it tracks more than this many.
SWEEP_ABOVE_USERS = 10_000

# Calls that only decorate an answer. Waiting for a rate-limit slot would hold the
# answer back for them, and their failures are ignored anyway.
DECORATIVE_ENDPOINTS = frozenset({"sendChatAction", "sendMessageDraft"})


def _ordering_key(update: object) -> int | None:
    """The chat an update belongs to (inline queries: their user), or None.

    A tap on a button has none: it is answered at once, not after the chat's answer
    in progress; what it asks is answered in the chat's turn (PerChatUpdateProcessor.turn).
    """
    if not isinstance(update, Update) or update.callback_query is not None:
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


Abandoned = Callable[[object], Awaitable[None]]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Processes updates of different chats at the same time, and those of one chat in order.

    python-telegram-bot handles one update at a time by default, so one slow answer
    would delay every other user; fully concurrent handling would let a chat's second
    question overtake its first. At most ``max_concurrent_updates`` run at once, counted
    only once it is their chat's turn: a flooding chat queues behind its own lock
    without holding the slots every other chat needs.
    """

    def __init__(self, max_concurrent_updates: int = 256, *,
                 on_abandoned: Abandoned | None = None):
        super().__init__(QUEUED_UPDATES_LIMIT)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = defaultdict(int)
        self._on_abandoned = on_abandoned

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _ordering_key(update)
        if key is None:
            async with self._slots:
                await self._run(update, coroutine)
            return
        async with self.turn(key), self._slots:
            await self._run(update, coroutine)

    @contextlib.asynccontextmanager
    async def turn(self, chat: int) -> AsyncIterator[None]:
        """Wait for the chat's turn: after the updates of the chat already being handled."""
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._waiting[chat] += 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[chat] -= 1
            if self._waiting[chat] == 0:
                # Forget idle chats so the table does not grow with every chat ever seen.
                del self._waiting[chat]
                self._locks.pop(chat, None)

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            # A handler stuck for good must not block its chat for good.
            async with asyncio.timeout(UPDATE_DEADLINE):
                await coroutine
        except TimeoutError:
            logger.error("an update took over %s s and was abandoned", UPDATE_DEADLINE)
            if self._on_abandoned is not None:
                await self._on_abandoned(update)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class TelegramSendLimiter(AIORateLimiter):
    """python-telegram-bot's rate limiter (30 messages a second, 20 a minute per group,
    retries honouring RetryAfter) for messages; decorations go straight through."""

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        if endpoint in DECORATIVE_ENDPOINTS:
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data,
                                             rate_limit_args)


class UserQuota:
    """How many events (questions, taps, inline queries) each user may send per sliding
    window; the Bot API side of the limits is TelegramSendLimiter."""

    def __init__(self, limit: int, *, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = defaultdict(deque)
        self._swept = float("-inf")

    def check(self, key: int, *, now: float | None = None) -> float:
        """Record an event; return 0 when allowed, else the seconds until it would be."""
        now = time.monotonic() if now is None else now
        if len(self._events) > SWEEP_ABOVE_USERS and now - self._swept >= self.window:
            self._forget_idle(now)
            self._swept = now  # at most once a window: a sweep costs one pass over every user
        events = self._events[key]
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return self.window - (now - events[0])
        events.append(now)
        return 0.0

    @property
    def tracked_users(self) -> int:
        """How many users the limiter holds events for."""
        return len(self._events)

    def _forget_idle(self, now: float) -> None:
        """Drop users with no event in the window, so the table does not grow with every
        user ever seen."""
        for key in [key for key, events in self._events.items()
                    if not events or now - events[-1] >= self.window]:
            del self._events[key]


class NoticeLimiter:
    """At most one notice of each kind per key (a user) per window, then silence.

    "You're asking too fast", "text only", "not allowed" and refusals are replies
    too: without a limit, a flood of messages would be answered by a flood of notices.
    """

    def __init__(self, *, window: float = 60.0):
        self.window = window
        self._sent: dict[tuple[int, str], float] = {}

    def allow(self, key: int, kind: str, *, now: float | None = None) -> bool:
        """Tell whether a notice may be sent now, and if so count it as sent."""
        now = time.monotonic() if now is None else now
        if len(self._sent) > SWEEP_ABOVE_USERS:
            self._sent = {k: at for k, at in self._sent.items() if now - at < self.window}
        last = self._sent.get((key, kind))
        if last is not None and now - last < self.window:
            return False
        self._sent[(key, kind)] = now
        return True


class Throttle:
    """Lets an action through at most once per interval (per chat, for drafts and edits).

    The first one too waits an interval: an answer ready sooner needs no progress shown.
    """

    def __init__(self, interval: float, *, now: float | None = None):
        self.interval = interval
        self._last = time.monotonic() if now is None else now

    def ready(self, *, now: float | None = None) -> bool:
        """Tell whether the action may run now, and if so count it as run."""
        now = time.monotonic() if now is None else now
        if now - self._last < self.interval:
            return False
        self._last = now
        return True
