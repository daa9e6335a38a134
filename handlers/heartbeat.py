"""The heartbeat: the file ``python -m bot health`` (the container's HEALTHCHECK) reads.

In polling mode every successful ``getUpdates`` renews it. In webhook mode, where
updates only come when people write, a periodic ``getWebhookInfo`` does, and
records a problem when Telegram reports it cannot deliver to us or the updates
waiting at Telegram keep piling up.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from pathlib import Path
from typing import Any

from telegram import WebhookInfo
from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.health import record_heartbeat

logger = logging.getLogger(__name__)
WEBHOOK_CHECK_EVERY = 60.0
# A delivery error Telegram reported within this many seconds still stands.
RECENT_ERROR = 3 * WEBHOOK_CHECK_EVERY
# Pending updates growing over this many checks in a row: nothing is being delivered.
GROWING_CHECKS = 3


class HeartbeatRequest(HTTPXRequest):
    """The connection used for getUpdates, renewing the heartbeat on each successful poll."""

    def __init__(self, heartbeat: Path, **kwargs: Any):
        # One connection is all long polling needs, as python-telegram-bot's default.
        super().__init__(connection_pool_size=1, **kwargs)
        self.heartbeat = heartbeat

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(*args, **kwargs)
        if 200 <= status < 300:
            record_heartbeat(self.heartbeat)
        return status, body


def webhook_problem(info: WebhookInfo, *, url: str, pending: deque[int],
                    now: float) -> str | None:
    """What keeps Telegram from delivering to our webhook, from its ``getWebhookInfo``.

    ``pending`` holds the pending-update counts of the last checks, this one last.
    """
    if info.url != url:
        return f"the webhook registered with Telegram is not {url!r}"
    error_at = info.last_error_date.timestamp() if info.last_error_date else None
    if error_at is not None and now - error_at < RECENT_ERROR:
        return f"Telegram cannot deliver to the webhook: {info.last_error_message or 'error'}"
    counts = list(pending)
    if len(counts) >= GROWING_CHECKS and all(a < b for a, b in itertools.pairwise(counts)):
        return f"{counts[-1]} updates are waiting at Telegram and their number keeps growing"
    return None


async def check_webhook_periodically(application: Application, heartbeat: Path, *,
                                     url: str, every: float = WEBHOOK_CHECK_EVERY) -> None:
    """In webhook mode: ask the Bot API for the webhook's state every minute and record it."""
    pending: deque[int] = deque(maxlen=GROWING_CHECKS)
    while True:
        try:
            info = await application.bot.get_webhook_info()
        except TelegramError as error:
            logger.warning("cannot check the webhook: %s", error)
        else:
            pending.append(info.pending_update_count)
            problem = webhook_problem(info, url=url, pending=pending, now=time.time())
            if problem:
                logger.warning("%s", problem)
            record_heartbeat(heartbeat, problem=problem)
        await asyncio.sleep(every)
