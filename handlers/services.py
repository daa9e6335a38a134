"""What every handler works with: the shared services, reached through a typed context.

Following python-telegram-bot's ``contexttypesbot.py`` example, callbacks receive a
:class:`BotContext` whose ``services`` property is typed, instead of looking up an
untyped ``bot_data`` entry each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update, User
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ExtBot

from bot.engine import Engine
from bot.knowledge_admin import KnowledgeAdmin
from bot.language import Script, detect_language, language_from_code
from bot.settings import Settings
from handlers.delivery import PlaceholdersInFlight
from handlers.flow import NoticeLimiter, UserQuota

# Flooding users are stopped before any handler runs: every update the bot acts on counts.
UPDATES_PER_MINUTE = 30
# In a group all replies share Telegram's 20 messages a minute: a member gets half of them.
GROUP_UPDATES_PER_MINUTE = 10
# Telegram sends an inline query for every pause in typing: allow more than questions.
INLINE_QUERIES_PER_MINUTE = 30


@dataclass
class Services:
    """What the handlers share, kept in ``application.bot_data``."""

    settings: Settings
    engine: Engine
    admin: KnowledgeAdmin
    questions: UserQuota
    updates: UserQuota = field(default_factory=lambda: UserQuota(UPDATES_PER_MINUTE))
    group_updates: UserQuota = field(
        default_factory=lambda: UserQuota(GROUP_UPDATES_PER_MINUTE))
    inline: UserQuota = field(default_factory=lambda: UserQuota(INLINE_QUERIES_PER_MINUTE))
    notices: NoticeLimiter = field(default_factory=NoticeLimiter)
    placeholders: PlaceholdersInFlight = field(default_factory=PlaceholdersInFlight)
    # The same button tapped twice within this window asks once.
    taps: NoticeLimiter = field(default_factory=lambda: NoticeLimiter(window=30.0))
    # Uploads being applied (beside their chat's turn): commands that change the knowledge
    # wait for them, or a rollback would undo the change before the one being applied.
    uploads_applying: int = 0

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.settings.admin_user_ids


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """The callback context of this bot: PTB's, plus the typed services."""

    @property
    def services(self) -> Services:
        """The shared services of the running application."""
        services: Services = self.application.bot_data["services"]
        return services


BotApplication = Application[ExtBot, BotContext, dict, dict, dict, Any]


def sender_key(update: Update) -> int:
    """Who sent an update, for rate limits: the user, or the chat an anonymous group admin
    (or a channel) speaks as, since all of those share one Telegram user."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    user = update.effective_user
    return user.id if user is not None else 0


def is_private(update: Update) -> bool:
    """Tell whether an update comes from a private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def reader_language(update: Update, text: str | None = None) -> Script:
    """The language to talk to a user in: their message's, else their Telegram setting's."""
    user = update.effective_user
    hint = language_from_code(user.language_code) if user else None
    if text and text.strip():
        return detect_language(text, hint=hint)
    return hint or "en"


def conversation_id(update: Update) -> str:
    """Memory is per private chat, and per member in a group (a follow-up continues its
    asker's conversation, not another member's): /sources and /reset act on it."""
    chat = update.effective_chat
    if chat is None:
        return "tg:unknown"
    if chat.type == ChatType.PRIVATE:
        return f"tg:{chat.id}"
    return f"tg:{chat.id}:{sender_key(update)}"
