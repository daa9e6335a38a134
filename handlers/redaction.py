"""Keeping secrets and users' words out of logs: filters on every log handler.

httpx logs request URLs (which hold the bot token) at INFO, and some
python-telegram-bot errors quote the token; the redacting filter sits on the log
handlers, so records from every library pass through it. At DEBUG,
python-telegram-bot also logs every request's parameters and every update whole,
which hold what users wrote and what the bot answered: those parts are left out
unless LOG_USER_TEXT asks for them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Any Telegram bot token, even one the settings do not know about.
_TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[REDACTED]"
HIDDEN = "<hidden: may hold users' text (set LOG_USER_TEXT=true to log it)>"
# python-telegram-bot's log calls whose arguments carry users' text: (logger, message start).
_USER_TEXT_RECORDS = (
    ("telegram.Bot", "Calling Bot API endpoint"), ("telegram.ext.ExtBot", "Calling Bot API"),
    ("telegram.Bot", "Call to Bot API endpoint"), ("telegram.ext.ExtBot", "Call to Bot API"),
    ("telegram.ext.Application", "Processing update"),
    ("telegram.ext.Application", "Dropping pending update"),
)


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret, and anything shaped like a bot token, replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_PATTERN.sub(REDACTED, text)


def holds_user_text(record: logging.LogRecord) -> bool:
    """Tell whether a record's arguments are a request's parameters or an update."""
    message = str(record.msg)
    return any(record.name == name and message.startswith(start)
               for name, start in _USER_TEXT_RECORDS)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback without the secrets (and, unless
    ``log_user_text``, without the parameters and updates that hold users' text)."""

    def __init__(self, secrets: Iterable[str], *, log_user_text: bool = False):
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]
        self.log_user_text = log_user_text
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.log_user_text and holds_user_text(record) and isinstance(record.args, tuple):
            record.args = (*record.args[:1], HIDDEN) if len(record.args) > 1 else (HIDDEN,)
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install_redaction(secrets: Iterable[str], *, log_user_text: bool = False) -> None:
    """Filter every handler of the root logger, and quiet chatty HTTP loggers."""
    redacting = RedactingFilter(secrets, log_user_text=log_user_text)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
    for name in ("httpx", "httpx2", "httpcore", "httpcore2", "tornado.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
