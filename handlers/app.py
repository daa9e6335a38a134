"""Wiring the Telegram application in one place, and running it (long polling or webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.admin import KnowledgeAdmin
from bot.engine import Engine
from bot.settings import Settings
from handlers import admin, admin_texts, texts, user
from handlers.delivery import decorate
from handlers.flow import MessageRateLimiter, PerChatUpdateProcessor, RateLimiter
from handlers.heartbeat import HeartbeatRequest, check_webhook_periodically, stop_beating
from handlers.redaction import redact

logger = logging.getLogger(__name__)

TELEGRAM_RETRIES = 3


class ServeError(Exception):
    """The bot could not start; the message is safe to show (no secrets)."""


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback, then tell the user something short."""
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    await decorate(context.bot.send_message(update.effective_chat.id,
                                            texts.ERROR[user.reader_language(update)]))


async def apologise(update: object) -> None:
    """The user whose update had to be abandoned gets the short apology."""
    if isinstance(update, Update) and update.effective_chat is not None:
        await decorate(update.get_bot().send_message(update.effective_chat.id,
                                                     texts.ERROR[user.reader_language(update)]))


async def register_commands(application: Application) -> None:
    """Show the command menu (English, or Chinese for Chinese users; admins see theirs too)."""
    for language_code, commands in texts.COMMANDS.items():
        await decorate(application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=language_code or None))
    settings: Settings = application.bot_data["services"].settings
    for language_code, commands in texts.COMMANDS.items():
        admin_menu = [BotCommand(name, description) for name, description in
                      [*commands, *admin_texts.ADMIN_COMMANDS[language_code]]]
        for admin_id in settings.admin_user_ids:
            await decorate(application.bot.set_my_commands(
                admin_menu, scope=BotCommandScopeChat(admin_id),
                language_code=language_code or None))


def stop_on_signals(application: Application) -> None:
    """On SIGTERM (docker stop) or SIGINT: answers still waiting for the model finish
    offline at once, then the bot stops, well within Docker's 10 s."""
    engine: Engine = application.bot_data["services"].engine

    def stop() -> None:
        if engine.stopping:
            return  # already shutting down: a second signal would break the shutdown itself
        engine.stop_waiting_for_model()
        if not application.running:
            # Still starting: PTB's run loop shuts down cleanly on SystemExit, as it does for
            # its own stop signals; stop_running() would only be noticed after start-up.
            raise SystemExit
        application.stop_running()

    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(stop_signal, stop)


async def on_startup(application: Application) -> None:
    """Handle stop signals, register the command menus, in webhook mode watch the webhook."""
    stop_on_signals(application)
    await register_commands(application)
    settings: Settings = application.bot_data["services"].settings
    if settings.webhook_url:
        application.bot_data["webhook_watch"] = asyncio.create_task(
            check_webhook_periodically(application, settings.heartbeat_file))


async def stop_background_tasks(application: Application) -> None:
    """Stop watching the webhook before the event loop closes."""
    task = application.bot_data.pop("webhook_watch", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def close_engine(application: Application) -> None:
    """Release the model client and clear the heartbeat when the bot stops."""
    services = application.bot_data["services"]
    stop_beating(services.settings.heartbeat_file)
    await services.engine.aclose()


def _add_handlers(application: Application) -> None:
    message = filters.UpdateType.MESSAGE  # edited messages are ignored
    text = filters.TEXT & ~filters.COMMAND & message
    application.add_handler(TypeHandler(Update, user.enforce_access), group=-1)
    for name, callback in (("start", user.start), ("help", user.help_command),
                           ("sources", user.sources), ("reset", user.reset),
                           ("about", user.about), ("ask", user.ask_command)):
        application.add_handler(CommandHandler(name, callback, filters=message))
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, user.private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, user.group_text))
    for name, callback in (("reload", admin.reload_command), ("versions", admin.versions_command),
                           ("rollback", admin.rollback_command),
                           ("sources_list", admin.sources_list_command),
                           ("remove_source", admin.remove_source_command),
                           ("stats", admin.stats_command)):
        application.add_handler(CommandHandler(name, callback, filters=message))
    application.add_handler(MessageHandler(filters.Document.ALL & message, admin.document))
    application.add_handler(MessageHandler(
        message & ~filters.TEXT & ~filters.StatusUpdate.ALL, user.not_text))
    application.add_handler(InlineQueryHandler(user.inline_query))
    application.add_error_handler(on_error)


def build_application(settings: Settings, engine: Engine) -> Application:
    """The bot: every handler, the rate limiter and per-chat ordering, pointed at the Bot API."""
    if settings.telegram_bot_token is None:
        raise ServeError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather")
    root = settings.telegram_api_base_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .rate_limiter(MessageRateLimiter(max_retries=TELEGRAM_RETRIES))
        .get_updates_request(HeartbeatRequest(settings.heartbeat_file))
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates,
                                                   on_abandoned=apologise))
        .post_init(on_startup)
        .post_stop(stop_background_tasks)
        .post_shutdown(close_engine)
        .build()
    )
    application.bot_data["services"] = user.Services(
        settings=settings, engine=engine,
        rate_limiter=RateLimiter(settings.rate_limit_per_minute), admin=KnowledgeAdmin(settings))
    _add_handlers(application)
    return application


def webhook_path(url: str) -> str:
    """The path Telegram posts to: the one in WEBHOOK_URL (never derived from the token)."""
    return urlsplit(url).path.strip("/") or "telegram"


def serve(settings: Settings, engine: Engine) -> None:
    """Run the bot until it is stopped; raise ServeError when it cannot start."""
    application = build_application(settings, engine)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    try:
        run_application(application, settings)
    except InvalidToken as error:
        raise ServeError("the Bot API refused TELEGRAM_BOT_TOKEN") from error
    except TelegramError as error:
        raise ServeError(f"cannot reach the Bot API: {redact(str(error), [token])}") from error


def run_application(application: Application, settings: Settings) -> None:
    """Serve until stopped (SIGINT or SIGTERM): webhook when WEBHOOK_URL is set, else polling."""
    if settings.webhook_url:
        secret = (settings.webhook_secret_token.get_secret_value()
                  if settings.webhook_secret_token else secrets.token_urlsafe(32))
        logger.info("serving a webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen, port=settings.webhook_port,
            url_path=webhook_path(settings.webhook_url), webhook_url=settings.webhook_url,
            secret_token=secret, allowed_updates=Update.ALL_TYPES, bootstrap_retries=3,
            stop_signals=None)
    else:
        logger.info("polling the Bot API")
        # Stop signals are handled in on_startup, to release waiting answers first.
        application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3,
                                stop_signals=None)
