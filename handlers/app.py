"""Wiring the Telegram application in one place: handlers, limits, per-chat order."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.engine import Engine
from bot.knowledge_admin import KnowledgeAdmin
from bot.settings import Settings
from handlers import admin_commands, buttons, keyboards, texts, user
from handlers.delivery import decorate
from handlers.flow import PerChatUpdateProcessor, TelegramSendLimiter, UserQuota
from handlers.heartbeat import HeartbeatRequest
from handlers.services import BotApplication, BotContext, Services, reader_language

logger = logging.getLogger(__name__)

TELEGRAM_RETRIES = 3


class ServeError(Exception):
    """The bot could not start; the message is safe to show (no secrets)."""


async def on_error(update: object, context: BotContext) -> None:
    """Log the error with its traceback, then tell the user something short."""
    logger.error("error while handling an update", exc_info=context.error)
    await apologise(update)


async def apologise(update: object) -> None:
    """The user whose update failed, or had to be abandoned, gets the short apology."""
    if isinstance(update, Update) and update.effective_chat is not None:
        await decorate(update.get_bot().send_message(update.effective_chat.id,
                                                     texts.ERROR[reader_language(update)]))


async def register_commands(application: BotApplication) -> None:
    """Show the command menu (English, or Chinese for Chinese users; admins see theirs too)."""
    for language_code, commands in texts.COMMANDS.items():
        await decorate(application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=language_code or None))
    settings = services_of(application).settings
    for language_code, commands in texts.COMMANDS.items():
        admin_menu = [BotCommand(name, description) for name, description in
                      [*commands, *texts.ADMIN_COMMANDS[language_code]]]
        for admin_id in settings.admin_user_ids:
            await decorate(application.bot.set_my_commands(
                admin_menu, scope=BotCommandScopeChat(admin_id),
                language_code=language_code or None))


def services_of(application: BotApplication) -> Services:
    """The services shared by the application's handlers."""
    services: Services = application.bot_data["services"]
    return services


def _add_handlers(application: BotApplication) -> None:
    message = filters.UpdateType.MESSAGE  # edited messages are ignored
    text = filters.TEXT & ~filters.COMMAND & message
    application.add_handler(TypeHandler(Update, user.guard_update), group=-1)
    for name, callback in (("start", user.start), ("help", user.help_command),
                           ("sources", user.sources), ("reset", user.reset),
                           ("about", user.about), ("ask", user.ask_command)):
        application.add_handler(CommandHandler(name, callback, filters=message))
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, user.private_text))
    application.add_handler(MessageHandler(text & filters.ChatType.GROUPS, user.group_text))
    admin = admin_commands
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
    for pattern, callback in ((keyboards.ASK_PATTERN, buttons.suggestion_tapped),
                              (keyboards.SOURCES_PATTERN, buttons.sources_tapped),
                              (keyboards.VOTE_PATTERN, buttons.vote_tapped)):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    # Any other button (from an older version of the bot) stops spinning and says it expired.
    application.add_handler(CallbackQueryHandler(buttons.unknown_tapped))
    application.add_error_handler(on_error)


def build_application(settings: Settings, engine: Engine) -> BotApplication:
    """The bot: every handler, the rate limiter and per-chat ordering, pointed at the Bot API."""
    if settings.telegram_bot_token is None:
        raise ServeError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather")
    root = settings.telegram_api_base_url.rstrip("/")
    application: BotApplication = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(TelegramSendLimiter(max_retries=TELEGRAM_RETRIES))
        .get_updates_request(HeartbeatRequest(settings.heartbeat_file))
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates,
                                                   on_abandoned=apologise))
        .build()
    )
    application.bot_data["services"] = Services(
        settings=settings, engine=engine, admin=KnowledgeAdmin(settings),
        questions=UserQuota(settings.rate_limit_per_minute))
    _add_handlers(application)
    return application
