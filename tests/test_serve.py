"""``python -m bot serve`` as operators run it: a child process against the fake Bot API."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.store import KnowledgeStore
from knowledge.usage import recent_actions
from knowledge.versions import list_versions
from tests.support.cli import CommandLine
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.fakes.telegram_api import FakeBotApi
from tests.support.processes import (
    finish,
    free_port,
    start_serve,
    stop,
    wait_for_port,
)
from tests.support.telegram import BOT_ID, BOT_USERNAME, TOKEN


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN, bot_id=BOT_ID, username=BOT_USERNAME) as server:
        yield server


def test_serve_without_token_is_a_one_line_error(cli: CommandLine, tmp_path: Path) -> None:
    result = cli("serve", data_dir=tmp_path)
    status, err = result.returncode, result.stderr
    assert status == 2
    assert err.strip().splitlines() == [
        "error: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather"]


@pytest.mark.slow
def test_serve_polls_answers_and_stops_cleanly_without_logging_the_token(
        api: FakeBotApi, tmp_path: Path) -> None:
    process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root)
    try:
        api.user_text(7, "When was Figure AI founded?")
        api.wait_for("sendMessage", timeout=60)
        api.fail_next("getUpdates", status=500)  # a failing poll is retried, not fatal
        api.user_text(7, "Who is Jim Keller?")
        api.wait_for("sendMessage", count=2, timeout=30)
    finally:
        started = time.monotonic()
        status, out, err = stop(process)
    assert status == 0 and time.monotonic() - started < 10
    answer = api.messages(7)[0]["text"]
    assert "2022" in answer
    assert "getUpdates" in err  # DEBUG logs were written …
    assert TOKEN not in out + err and TOKEN.split(":")[1] not in err  # … without the token
    # … and without what users wrote or what the bot answered.
    assert "Figure AI founded" not in err and answer.split("[")[0] not in err
    assert api.pending_updates() == 0  # the restart will not see these updates again


@pytest.mark.slow
def test_serve_restart_does_not_answer_old_updates_again(api: FakeBotApi,
                                                         tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.root}
    first = start_serve(tmp_path, **env)
    api.user_text(8, "When was Figure AI founded?")
    api.wait_for("sendMessage", timeout=60)
    stop(first)
    second = start_serve(tmp_path, **env)
    try:
        # Per-chat order: a second answer to the old question would come before this one.
        api.user_command(8, "/help")
        api.wait_for("sendMessage", count=2, timeout=60)
    finally:
        stop(second)
    first_answer, sentinel = api.messages(8)
    assert "2022" in first_answer["text"] and "/sources" in sentinel["text"]


@pytest.mark.slow
def test_serve_with_refused_token_says_so_without_the_token(api: FakeBotApi,
                                                            tmp_path: Path) -> None:
    wrong = "999999:WRONG-token-abcdefghijklmnopqrstuvwxyz"
    status, out, err = finish(start_serve(tmp_path, TELEGRAM_BOT_TOKEN=wrong,
                                          TELEGRAM_API_BASE_URL=api.root))
    assert status == 1 and "refused TELEGRAM_BOT_TOKEN" in err
    assert wrong not in out + err and "WRONG-token" not in err


@pytest.mark.slow
def test_serve_webhook_checks_the_secret_token(api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/telegram"
    process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root,
                          WEBHOOK_URL=url, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
                          WEBHOOK_SECRET_TOKEN="s3cret-webhook")
    try:
        [registration] = api.wait_for("setWebhook", timeout=60)
        assert registration.params["url"] == url
        assert registration.params["secret_token"] == "s3cret-webhook"
        wait_for_port(port)
        update = webhook_update(10_001, 9, "When was Figure AI founded?")
        assert api.deliver_webhook(url, update, secret_token="wrong") == 403
        assert api.deliver_webhook(url, update) == 403
        assert api.deliver_webhook(url, update, secret_token="s3cret-webhook") == 200
        api.wait_for("sendMessage", timeout=30)
    finally:
        status, _, err = stop(process)
    assert status == 0 and "s3cret-webhook" not in err and TOKEN not in err
    assert "2022" in api.messages(9)[0]["text"]


def webhook_update(update_id: int, chat_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": int(time.time()), "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Ann"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ann", "language_code": "en"}}}


@pytest.mark.slow
def test_serve_webhook_at_a_bare_url_with_a_generated_secret_kept_out_of_logs(
        api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"  # no path: served at "/", exactly what is registered
    process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root,
                          WEBHOOK_URL=url, WEBHOOK_PORT=str(port))
    try:
        [registration] = api.wait_for("setWebhook", timeout=60)
        secret = registration.params["secret_token"]
        assert registration.params["url"] == url and len(secret) >= 32
        wait_for_port(port)
        update = webhook_update(10_002, 10, "When was Figure AI founded?")
        assert api.deliver_webhook(url, update, secret_token=secret) == 200
        api.wait_for("sendMessage", timeout=30)
    finally:
        status, _, err = stop(process)
    assert status == 0 and "2022" in api.messages(10)[0]["text"]
    assert secret not in err and "webhook" in err.lower()


@pytest.mark.slow
def test_serve_keeps_trying_an_unreachable_bot_api_and_says_so(cli: CommandLine,
                                                               tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=unreachable,
                          LOG_LEVEL="INFO")
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "heartbeat").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3.5)  # the first retries: after 1 s, then 2 s
        health = cli("health", data_dir=tmp_path)
    finally:
        status, _, err = stop(process)
    assert health.returncode == 1 and "cannot be reached" in health.stderr
    attempts = [line for line in err.splitlines() if "reaching the Bot API failed" in line]
    assert len(attempts) >= 2 and "attempt 2" in attempts[1]
    assert "Traceback" not in err and status == 0 and TOKEN not in err


def test_health_needs_a_database_with_knowledge(cli: CommandLine, tmp_path: Path) -> None:
    missing = cli("health", data_dir=tmp_path)
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "bot.db").exists()  # checking never creates anything
    assert cli("knowledge", "build", data_dir=tmp_path).returncode == 0
    healthy = cli("health", data_dir=tmp_path)
    assert healthy.returncode == 0 and healthy.stdout.startswith("ok: version")


@pytest.mark.slow
def test_health_follows_the_heartbeat_of_a_running_bot(api: FakeBotApi, cli: CommandLine,
                                                       tmp_path: Path) -> None:
    process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root)
    try:
        api.wait_for("getUpdates", count=2, timeout=60)
        assert (tmp_path / "heartbeat").exists()
        assert "Bot API answered" in cli("health", data_dir=tmp_path).stdout
        stale = cli("health", data_dir=tmp_path, env={"HEARTBEAT_MAX_AGE": "0.001"})
        assert stale.returncode == 1 and "last answered" in stale.stderr
    finally:
        stop(process)
    assert not (tmp_path / "heartbeat").exists()  # a clean stop clears it


@pytest.mark.slow
def test_serve_stop_abandons_a_slow_upload_and_loses_no_message(
        api: FakeBotApi, tmp_path: Path) -> None:
    """docker stop while an article is being embedded: nothing of it is applied, its admin
    is told so, the process exits within Docker's grace period, and a message sent while
    it stops stays unconfirmed (Telegram delivers it to the next start)."""
    admin, user = 900, 501
    article = ("Frost cooling module\n" + "\n".join(
        f"The Frost module, revision {n}, cools AI chips by {n} degrees." for n in range(30))
               ).encode()
    with FakeOpenAI() as model:
        process = start_serve(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root,
                              ADMIN_USER_IDS=str(admin), EMBEDDINGS_BASE_URL=model.base_url,
                              EMBEDDINGS_MODEL="fake-embedding")
        try:
            api.user_text(user, "When was Figure AI founded?", user_id=user)
            api.wait_for("sendMessage", timeout=90)
            model.batch_latency = 2.0  # per batch of passages: the article takes several
            api.user_document(admin, file_name="frost.txt", content=article, user_id=admin,
                              mime_type="text/plain")
            api.wait_for("sendMessage", count=2, timeout=30)  # "Applying the file…"
        finally:
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            api.user_text(user, "Who is Jim Keller?", user_id=user)
            status, _, err = stop(process, timeout=30)
    assert status == 0 and time.monotonic() - started < 10, err[-2000:]
    assert "restarting" in api.messages(admin)[-1]["text"], err[-3000:]
    # The message sent while it stops is either still unconfirmed (the usual case) or was
    # answered before polling stopped and confirmed: never lost, never answered twice.
    answered_late = len(api.messages(user)) - 1
    assert (answered_late, api.pending_updates()) in ((0, 1), (1, 0))
    store = KnowledgeStore.open(tmp_path / "bot.db")
    try:
        assert len(list_versions(store)) == 1
        assert recent_actions(store, limit=1)[0]["result"] == "failed: stopped"
    finally:
        store.close()
