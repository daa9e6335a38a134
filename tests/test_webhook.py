"""The webhook server and webhook health: requests refused before their body is read."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Bot, Update, WebhookInfo

from bot.health import health_problems, record_heartbeat
from bot.settings import Settings
from handlers.heartbeat import webhook_problem
from handlers.webhook import MAX_BODY_BYTES, SECRET_HEADER, WebhookServer, webhook_path
from tests.support.telegram import TOKEN

SECRET = "s3cret-webhook"
UPDATE = {"update_id": 7, "message": {
    "message_id": 1, "date": 1_700_000_000, "text": "hi",
    "chat": {"id": 9, "type": "private", "first_name": "Ann"},
    "from": {"id": 9, "is_bot": False, "first_name": "Ann"}}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def server() -> AsyncIterator[tuple[int, asyncio.Queue[object]]]:
    updates: asyncio.Queue[object] = asyncio.Queue()
    webhook = WebhookServer(bot=Bot(TOKEN), updates=updates, secret=SECRET, path="/hook")
    port = free_port()
    webhook.listen(address="127.0.0.1", port=port)
    yield port, updates
    await webhook.close()


async def post(port: int, *, headers: dict[str, str], body: bytes, path: str = "/hook",
               declared: int | None = None) -> tuple[int, float]:
    """Send a POST (headers first, then as much of the body as the server takes); return the
    status and the seconds the answer took."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = {"Host": "bot", "Content-Type": "application/json",
            "Content-Length": str(len(body) if declared is None else declared), **headers}
    writer.write((f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items())
                  + "\r\n").encode() + body)
    started = time.monotonic()
    with contextlib.suppress(ConnectionError):  # the server may close before we are done
        await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    return int(status_line.split()[1]), time.monotonic() - started


@pytest.mark.parametrize("secret", [None, "wrong"])
async def test_webhook_refuses_a_huge_body_without_the_secret_before_reading_it(
        server: tuple[int, asyncio.Queue[object]], secret: str | None) -> None:
    port, updates = server
    headers = {SECRET_HEADER: secret} if secret else {}
    # 90 MB announced, 64 KB sent: the refusal comes without waiting for the rest.
    status, took = await post(port, headers=headers, body=b"x" * 65_536, declared=90_000_000)
    assert status == 403 and took < 5 and updates.empty()


async def test_webhook_refuses_a_body_over_the_limit_even_with_the_secret(
        server: tuple[int, asyncio.Queue[object]]) -> None:
    port, updates = server
    status, _ = await post(port, headers={SECRET_HEADER: SECRET}, body=b"x" * 65_536,
                           declared=MAX_BODY_BYTES + 1)
    assert status == 413 and updates.empty()


async def test_webhook_queues_an_update_with_the_secret(
        server: tuple[int, asyncio.Queue[object]]) -> None:
    port, updates = server
    status, _ = await post(port, headers={SECRET_HEADER: SECRET},
                           body=json.dumps(UPDATE).encode())
    assert status == 200
    update = updates.get_nowait()
    assert isinstance(update, Update) and update.update_id == 7


async def test_webhook_answers_only_on_its_path(
        server: tuple[int, asyncio.Queue[object]]) -> None:
    port, _ = server
    status, _ = await post(port, headers={SECRET_HEADER: SECRET},
                           body=json.dumps(UPDATE).encode(), path="/telegram")
    assert status == 404


@pytest.mark.parametrize(("url", "path"), [
    ("https://bot.example.com", "/"), ("https://bot.example.com/", "/"),
    ("https://bot.example.com/telegram/hook", "/telegram/hook")])
def test_webhook_path_is_exactly_the_registered_one(url: str, path: str) -> None:
    assert webhook_path(url) == path


def info(**values: object) -> WebhookInfo:
    return WebhookInfo(**{"url": "https://bot.example.com/hook", "has_custom_certificate": False,
                          "pending_update_count": 0, **values})  # type: ignore[arg-type]


def test_webhook_problem_follows_telegram_delivery_errors() -> None:
    now = time.time()
    url = "https://bot.example.com/hook"
    failing = info(last_error_date=datetime.fromtimestamp(now - 30, UTC),
                   last_error_message="Wrong response from the webhook: 404 Not Found")
    assert "404 Not Found" in (webhook_problem(failing, url=url, pending=_deque(0), now=now) or "")
    old = info(last_error_date=datetime.fromtimestamp(now - 3600, UTC), last_error_message="x")
    assert webhook_problem(old, url=url, pending=_deque(0), now=now) is None
    assert "keeps growing" in (webhook_problem(info(pending_update_count=9), url=url,
                                               pending=_deque(3, 5, 9), now=now) or "")
    assert webhook_problem(info(url="https://elsewhere/"), url=url, pending=_deque(0), now=now)


def _deque(*counts: int) -> deque[int]:
    return deque(counts, maxlen=3)


def test_health_reports_the_problem_the_running_bot_recorded(tmp_path: Path,
                                                             built_database: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path,  # type: ignore[call-arg]
                        database_path=built_database)
    record_heartbeat(settings.heartbeat_file)
    assert health_problems(settings)[0] == []
    record_heartbeat(settings.heartbeat_file, problem="the Bot API cannot be reached yet")
    assert health_problems(settings)[0] == ["the Bot API cannot be reached yet"]

