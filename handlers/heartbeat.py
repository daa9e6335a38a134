"""The heartbeat: a file whose age says when the bot last reached the Bot API.

``python -m bot health`` (the container's HEALTHCHECK) reads it. In polling
mode every successful ``getUpdates`` renews it; in webhook mode, where updates
only come when people write, a periodic ``getWebhookInfo`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)
WEBHOOK_CHECK_EVERY = 60.0


def beat(path: Path) -> None:
    """Record that the Bot API answered just now."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError as error:  # a read-only data folder must not stop the bot
        logger.debug("cannot write the heartbeat: %s", error)


class HeartbeatRequest(HTTPXRequest):
    """The connection used for getUpdates, renewing the heartbeat on each successful poll."""

    def __init__(self, heartbeat: Path, **kwargs: Any):
        # One connection is all long polling needs, as python-telegram-bot's default.
        super().__init__(connection_pool_size=1, **kwargs)
        self.heartbeat = heartbeat

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(*args, **kwargs)
        if 200 <= status < 300:
            beat(self.heartbeat)
        return status, body


async def check_webhook_periodically(application: Application, heartbeat: Path) -> None:
    """In webhook mode: ask the Bot API for the webhook's state every minute, renewing the
    heartbeat whenever it answers."""
    while True:
        with contextlib.suppress(TelegramError):
            await application.bot.get_webhook_info()
            beat(heartbeat)
        await asyncio.sleep(WEBHOOK_CHECK_EVERY)


def stop_beating(path: Path) -> None:
    """Remove the heartbeat when the bot stops cleanly."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
