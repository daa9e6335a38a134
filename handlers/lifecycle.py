"""Running the bot: reach the Bot API, receive updates (polling or webhook), stop cleanly.

This follows python-telegram-bot's custom-webhook example rather than
``run_polling``/``run_webhook``, for three things those do not do: keep trying to
reach the Bot API with backoff for as long as it is down (a container whose
network is not up yet), one clear line per attempt and the health check saying so;
serve the webhook with the secret checked before a body is read; and let answers
still waiting for the model finish offline at once when a stop signal arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.engine import Engine
from bot.health import clear_heartbeat, record_heartbeat
from bot.settings import Settings
from handlers.app import ServeError, build_application, register_commands, services_of
from handlers.heartbeat import check_webhook_periodically
from handlers.redaction import install_redaction, redact
from handlers.services import BotApplication
from handlers.webhook import WebhookServer, webhook_path

__all__ = ["ServeError", "protect_logs", "serve"]
logger = logging.getLogger(__name__)
FIRST_RETRY = 1.0
LONGEST_RETRY = 60.0
UNREACHABLE = "the Bot API cannot be reached yet"


def protect_logs(settings: Settings) -> str:
    """Keep the token, keys and webhook secret (and users' words) out of every log line,
    before anything is logged; return the webhook secret, generated when not set (made
    first, so that it is redacted too)."""
    webhook_secret = (settings.webhook_secret_token.get_secret_value()
                      if settings.webhook_secret_token else secrets.token_urlsafe(32))
    keys = [key.get_secret_value() for key in (settings.telegram_bot_token,
                                               settings.openai_api_key,
                                               settings.embeddings_api_key) if key]
    install_redaction([*keys, webhook_secret], log_user_text=settings.log_user_text)
    return webhook_secret


def serve(settings: Settings, engine: Engine, *, webhook_secret: str) -> None:
    """Run the bot until it is stopped; raise ServeError when it cannot start."""
    application = build_application(settings, engine)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    try:
        asyncio.run(run_until_stopped(application, webhook_secret=webhook_secret))
    except InvalidToken as error:
        raise ServeError("the Bot API refused TELEGRAM_BOT_TOKEN") from error
    except TelegramError as error:
        raise ServeError(f"cannot reach the Bot API: {redact(str(error), [token])}") from error


def stop_on_signals(application: BotApplication, stopped: asyncio.Event) -> None:
    """On SIGTERM (docker stop) or SIGINT: answers still waiting for the model finish
    offline at once and uploads still being embedded are abandoned (nothing of them is
    applied), then the bot stops, well within Docker's 10 s."""
    engine, admin = services_of(application).engine, services_of(application).admin

    def stop() -> None:
        engine.stop_waiting_for_model()
        admin.abandon_pending()  # an upload still embedding is dropped, its admin told
        stopped.set()

    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(stop_signal, stop)


async def until_done_or_stopped(action: Awaitable[Any], stopped: asyncio.Event) -> bool:
    """Run an action unless a stop comes first (then it is cancelled); tell whether it ran."""
    task = asyncio.ensure_future(action)
    waiting = asyncio.ensure_future(stopped.wait())
    try:
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return False
    task.result()
    return True


async def with_backoff(action: Callable[[], Awaitable[Any]], stopped: asyncio.Event, *,
                       what: str, on_failure: Callable[[], None]) -> bool:
    """Call ``action`` until it succeeds or the bot is stopped, waiting longer each time.

    Network failures are retried (one line each, no traceback); anything else, a
    refused token included, is raised at once. Tells whether it succeeded.
    """
    delay, attempt = FIRST_RETRY, 1
    while not stopped.is_set():
        try:
            return await until_done_or_stopped(action(), stopped)
        except NetworkError as error:  # TimedOut too; InvalidToken is not a NetworkError
            on_failure()
            logger.warning("%s failed (attempt %d: %s); trying again in %.0f s", what, attempt,
                           error, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), delay)
        delay, attempt = min(delay * 2, LONGEST_RETRY), attempt + 1
    return False


async def run_until_stopped(application: BotApplication, *, webhook_secret: str) -> None:
    """Reach the Bot API, receive updates until a stop signal, then shut down in order."""
    settings = services_of(application).settings
    stopped = asyncio.Event()
    stop_on_signals(application, stopped)
    heartbeat = settings.heartbeat_file
    record_heartbeat(heartbeat, problem=UNREACHABLE)
    try:
        if not await with_backoff(application.initialize, stopped, what="reaching the Bot API",
                                  on_failure=lambda: record_heartbeat(heartbeat,
                                                                      problem=UNREACHABLE)):
            return
        await register_commands(application)
        async with receiving(application, settings, webhook_secret, stopped) as ready:
            if ready:
                await application.start()
                logger.info("the bot is running")
                await stopped.wait()
        # Receiving has stopped first (as PTB's run_polling does): an update fetched while
        # the application winds down would be confirmed to Telegram and never handled.
        if application.running:
            await application.stop()
    finally:
        await application.shutdown()
        await services_of(application).engine.aclose()
        clear_heartbeat(heartbeat)


@contextlib.asynccontextmanager
async def receiving(application: BotApplication, settings: Settings, secret: str,
                    stopped: asyncio.Event) -> Any:
    """Receive updates while the block runs: a webhook server when WEBHOOK_URL is set,
    else long polling. Yields whether receiving started (False: stopped first)."""
    if settings.webhook_url:
        async with webhook(application, settings, secret, stopped) as ready:
            yield ready
        return
    assert application.updater is not None
    started = await with_backoff(
        lambda: application.updater.start_polling(  # type: ignore[union-attr]
            allowed_updates=Update.ALL_TYPES, error_callback=polling_failed),
        stopped, what="starting to poll", on_failure=lambda: None)
    try:
        yield started
    finally:
        if application.updater.running:
            await application.updater.stop()


def polling_failed(error: TelegramError) -> None:
    """A poll failed (it is retried): one line, no traceback; the heartbeat goes stale."""
    logger.warning("polling the Bot API failed: %s", error)


@contextlib.asynccontextmanager
async def webhook(application: BotApplication, settings: Settings, secret: str,
                  stopped: asyncio.Event) -> Any:
    """Register WEBHOOK_URL (exactly the path served) and serve it until the block ends."""
    url = settings.webhook_url or ""
    server = WebhookServer(bot=application.bot, updates=application.update_queue,
                           secret=secret, path=webhook_path(url))
    server.listen(address=settings.webhook_listen, port=settings.webhook_port)
    logger.info("serving a webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
    watch: asyncio.Task[None] | None = None
    try:
        registered = await with_backoff(
            lambda: application.bot.set_webhook(url, secret_token=secret,
                                                allowed_updates=Update.ALL_TYPES),
            stopped, what="registering the webhook", on_failure=lambda: None)
        if registered:
            watch = asyncio.create_task(check_webhook_periodically(
                application, settings.heartbeat_file, url=url))
        yield registered
    finally:
        if watch is not None:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        await server.close()
