"""Running the real Telegram application against the fake Bot API, inside a test's event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.engine import Engine
from bot.settings import Settings
from handlers.app import build_application, register_commands
from knowledge.store import KnowledgeStore
from tests.support.fakes.telegram_api import FakeBotApi, Json

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz0123"
BOT_ID = 123456
BOT_USERNAME = "hw_test_bot"
ADMIN_ID = 900


@dataclass
class RunningBot:
    """The fake Bot API and the application polling it."""

    api: FakeBotApi
    application: Application
    engine: Engine
    store: KnowledgeStore

    async def sent(self, chat_id: int, *, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Wait until the bot has sent ``count`` messages to a chat; return its messages."""
        await self.api.wait_for_async(
            "sendMessage", count=count, timeout=timeout,
            predicate=lambda call: int(call.params.get("chat_id", 0)) == chat_id)
        return self.api.messages(chat_id)


def bot_settings(api: FakeBotApi, engine: Engine, **overrides: Any) -> Settings:
    """Settings pointing the bot at the fake Bot API and the engine's database (no model)."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN, "telegram_api_base_url": api.root,
        "admin_user_ids": frozenset({ADMIN_ID}), "llm_backend": "offline",
        # Everything the bot writes (the heartbeat too) stays beside the test's database.
        "data_dir": engine.knowledge.path.parent, "database_path": engine.knowledge.path,
    }
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(engine: Engine, **overrides: Any) -> AsyncIterator[RunningBot]:
    """Start the fake Bot API and the application (polling), and stop both afterwards."""
    with FakeBotApi(token=TOKEN, bot_id=BOT_ID, username=BOT_USERNAME) as api:
        settings = bot_settings(api, engine, **overrides)
        application = build_application(settings, engine)
        await application.initialize()
        await register_commands(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1,
                                                allowed_updates=Update.ALL_TYPES)
        store = KnowledgeStore.open(engine.knowledge.path)
        try:
            yield RunningBot(api, application, engine, store)
        finally:
            store.close()
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


# ----- the buttons under the bot's messages ---------------------------------------------

def keyboard(message: Json) -> list[list[Json]]:
    """The inline keyboard under a message (empty when it has none)."""
    return (message.get("reply_markup") or {}).get("inline_keyboard", [])


def suggestion_buttons(message: Json) -> list[Json]:
    """The suggested-question buttons under a message."""
    return [row[0] for row in keyboard(message) if row[0]["callback_data"].startswith("ask:")]


def button(message: Json, prefix: str) -> Json:
    """The first button whose callback data starts with ``prefix``."""
    return next(b for row in keyboard(message) for b in row
                if b["callback_data"].startswith(prefix))


async def ask(bot: RunningBot, chat: int, text: str, **who: object) -> Json:
    """Ask in a private chat; the bot's reply."""
    before = len(bot.api.messages(chat))
    bot.api.user_text(chat, text, **who)  # type: ignore[arg-type]
    return (await bot.sent(chat, count=before + 1))[-1]


async def tap(bot: RunningBot, chat: int, message: Json, data: str, **who: object) -> Json:
    """Tap a button; the bot's answer to the callback query."""
    before = len(bot.api.calls_to("answerCallbackQuery"))
    bot.api.callback_query(chat, message, data, **who)  # type: ignore[arg-type]
    return (await bot.api.wait_for_async("answerCallbackQuery", count=before + 1))[-1].params
