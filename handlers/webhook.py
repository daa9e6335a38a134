"""The webhook server: updates Telegram posts to us, checked before they are read.

python-telegram-bot's own webhook server reads a request's whole body (up to
tornado's default of 100 MB) before it looks at the secret token, so anyone who
finds the URL can make the bot hold hundreds of megabytes. This server checks the
``X-Telegram-Bot-Api-Secret-Token`` header as soon as the headers arrive, refuses
bodies over MAX_BODY_BYTES (Telegram's updates are a few kilobytes), and only then
reads, parses and queues the update for the application.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Bot, Update
from tornado.httpserver import HTTPServer

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 1_000_000
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    """The path of WEBHOOK_URL, which is exactly where updates are served ("/" when bare)."""
    return urlsplit(url).path or "/"


@tornado.web.stream_request_body
class UpdateReceiver(tornado.web.RequestHandler):
    """Accepts one update per POST from Telegram, with the right secret, of a sane size."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: Bot, updates: asyncio.Queue[object], secret: str) -> None:
        self.bot = bot
        self.updates = updates
        self.secret = secret
        self.body = bytearray()
        self.refused = False

    def prepare(self) -> None:
        """Refuse a request before its body is read: no secret, or a body too large."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._refuse(HTTPStatus.FORBIDDEN)
            return
        declared = self.request.headers.get("Content-Length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        if self.refused:
            return
        self.body += chunk
        if len(self.body) > MAX_BODY_BYTES:  # a body longer than it said it was
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def post(self) -> None:
        """Queue the update for the application; a malformed one is answered 400."""
        if self.refused:
            return
        try:
            update = Update.de_json(json.loads(self.body), self.bot)
        except (ValueError, TypeError, KeyError) as error:
            logger.warning("a webhook request held no update (%s)", type(error).__name__)
            self._refuse(HTTPStatus.BAD_REQUEST)
            return
        await self.updates.put(update)
        self.set_status(HTTPStatus.OK)
        self.finish()

    def _refuse(self, status: HTTPStatus) -> None:
        # Finished while the body is still coming, tornado answers, then closes the
        # connection: the rest of the body is never read.
        self.refused = True
        self.set_status(status)
        self.finish()

    def log_exception(self, *args: Any) -> None:
        """Errors are logged by the bot's own code, without the request's content."""


class WebhookServer:
    """An HTTP server delivering Telegram's updates to the application's update queue."""

    def __init__(self, *, bot: Bot, updates: asyncio.Queue[object], secret: str, path: str):
        application = tornado.web.Application(
            [(path, UpdateReceiver, {"bot": bot, "updates": updates, "secret": secret})],
            log_function=lambda handler: None)  # requests carry users' messages: not logged
        self._server = HTTPServer(application, max_body_size=MAX_BODY_BYTES,
                                  idle_connection_timeout=60.0, body_timeout=30.0)

    def listen(self, *, address: str, port: int) -> None:
        """Start accepting requests."""
        self._server.listen(port, address=address)

    async def close(self) -> None:
        """Stop accepting requests and close the open connections."""
        self._server.stop()
        await self._server.close_all_connections()
