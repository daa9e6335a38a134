"""The fake Bot API server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
import telegram
from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter

from tests.support.fakes.http_server import raw_post
from tests.support.fakes.telegram_api import FakeBotApi, UploadedFile

TOKEN = "123456:TEST-token"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN, bot_id=123456, username="hw_test_bot") as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    client = telegram.Bot(TOKEN, base_url=f"{api.root}/bot", base_file_url=f"{api.root}/file/bot")
    async with client:
        yield client




def texts(update: telegram.Update) -> str | None:
    """The text of an update's message."""
    return update.message.text if update.message else None



# ----- FakeBotApi ---------------------------------------------------------------------------------


async def test_bot_api_get_me_describes_the_bot(api: FakeBotApi, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "hw_test_bot", True)
    assert me.can_read_all_group_messages is False and me.supports_inline_queries is True
    assert api.calls_to("getMe")[0].ok


def test_bot_api_wrong_token_and_unknown_method(api: FakeBotApi) -> None:
    assert raw_post(f"{api.root}/bot1:wrong/getMe") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = raw_post(f"{api.root}/bot{TOKEN}/fooBar")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = raw_post(f"{api.root}/bot{TOKEN}/sendMessage",
                            json.dumps({"chat_id": 5, "text": "json body"}).encode())
    assert status == 200 and body["result"]["chat"] == {"id": 5, "type": "private",
                                                        "first_name": "User"}


async def test_bot_api_wrong_token_raises_invalid_token(api: FakeBotApi) -> None:
    client = telegram.Bot("1:nope", base_url=f"{api.root}/bot")
    try:
        with pytest.raises(InvalidToken):
            await client.initialize()
    finally:
        await client.shutdown()


async def test_bot_api_get_updates_confirms_with_offset(api: FakeBotApi, bot: telegram.Bot) -> None:
    first = api.user_text(1, "hello")
    api.user_command(-1001234567890, "/start", args="x", user_id=7, chat_type="supergroup")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first["update_id"], first["update_id"] + 1]
    command = updates[1].message
    assert command is not None and command.text == "/start x"
    assert command.chat.type == "supergroup" and command.entities[0].type == "bot_command"
    assert api.pending_updates() == 2
    assert len(await bot.get_updates(offset=updates[0].update_id + 1)) == 1
    assert await bot.get_updates(offset=updates[1].update_id + 1) == ()
    assert api.pending_updates() == 0


async def test_bot_api_get_updates_negative_offset_and_limit(api: FakeBotApi,
                                                             bot: telegram.Bot) -> None:
    for n in range(4):
        api.user_text(1, f"m{n}")
    assert [texts(u) for u in await bot.get_updates(limit=2)] == ["m0", "m1"]
    assert [texts(u) for u in await bot.get_updates(offset=-1)] == ["m3"]
    assert api.pending_updates() == 1


async def test_bot_api_long_poll_returns_when_update_pushed(api: FakeBotApi,
                                                            bot: telegram.Bot) -> None:
    asyncio.get_running_loop().call_later(0.3, api.user_text, 1, "late")
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    assert 0.2 < time.monotonic() - started < 3
    assert [texts(u) for u in updates] == ["late"]


async def test_bot_api_long_poll_times_out_empty(api: FakeBotApi, bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


def test_bot_api_stop_ends_pending_long_poll(api: FakeBotApi) -> None:
    url = f"{api.root}/bot{TOKEN}/getUpdates"
    outcome: list[object] = []

    def poll() -> None:
        try:
            outcome.append(raw_post(url, b'{"timeout": 30}'))
        except OSError as err:  # a cut connection is as good as an empty answer
            outcome.append(err)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    time.sleep(0.2)
    started = time.monotonic()
    api.stop()
    poller.join(timeout=3)
    assert time.monotonic() - started < 2 and not poller.is_alive()
    assert outcome[0] == (200, {"ok": True, "result": []}) or isinstance(outcome[0], OSError)


async def test_bot_api_send_message_valid_html(api: FakeBotApi, bot: telegram.Bot) -> None:
    text = ('<b>Hi</b> &amp; <a href="https://example.com/?a=1&amp;b=2">link</a> 😀 '
            '<pre><code class="language-python">x</code></pre><blockquote expandable>q'
            '</blockquote><span class="tg-spoiler">s</span> &#x41;')
    sent = await bot.send_message(1, text, parse_mode="HTML")
    assert sent.text == "Hi & link 😀 xqs A" and sent.from_user is not None
    assert sent.from_user.id == 123456
    kinds = {e.type: e for e in sent.entities}
    assert kinds["text_link"].url == "https://example.com/?a=1&b=2"
    assert kinds["pre"].language == "python" and kinds["pre"].offset == 13  # 😀 is 2 units
    assert {"bold", "expandable_blockquote", "spoiler"} <= set(kinds)
    stored = api.messages(1)
    assert [(m["text"], m["parse_mode"]) for m in stored] == [(text, "HTML")]


@pytest.mark.parametrize("text", ["<b>oops", "<div>x</div>", "a < b", "fish & chips",
                                  "<b><i>x</b></i>", "</b>", '<span class="x">y</span>'])
async def test_bot_api_send_message_broken_html_rejected(bot: telegram.Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, text, parse_mode="HTML")


async def test_bot_api_send_message_length_and_empty(api: FakeBotApi, bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "😀" * 2049)  # 4098 UTF-16 code units
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    for empty in ("   ", "<b> </b>"):
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(1, empty, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
        await bot.send_message(1, "x", parse_mode="Textile")
    assert len(api.messages(1)) == 1


async def test_bot_api_reject_html_next_fails_once(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.reject_html_next()
    await bot.send_message(1, "plain text is not affected")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, "<b>ok</b>", parse_mode="HTML")
    await bot.send_message(1, "<b>ok</b>", parse_mode="HTML")


async def test_bot_api_edit_message_not_modified(api: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_message(1, "<b>draft</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<strong>draft</strong>", 1, sent.message_id,
                                    parse_mode="HTML")
    edited = await bot.edit_message_text("final", 1, sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.text == "final"
    assert edited.edit_date is not None
    assert [m["text"] for m in api.messages(1)] == ["final"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 1, 999)


async def test_bot_api_send_message_draft(api: FakeBotApi, bot: telegram.Bot) -> None:
    assert await bot.send_message_draft(1, draft_id=7, text="partial ans") is True
    assert await bot.send_message_draft(1, draft_id=7) is True
    with pytest.raises(BadRequest):
        await bot.send_message_draft(-100, draft_id=7, text="group")
    with pytest.raises(BadRequest):
        await bot.send_message_draft(1, draft_id=0, text="zero")
    calls = api.wait_for("sendMessageDraft", count=2, timeout=1)
    assert calls[0].params == {"chat_id": 1, "draft_id": 7, "text": "partial ans"}


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_bot_api_flood_wait_raises_retry_after(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "hi")
    assert caught.value.retry_after in (3, timedelta(seconds=3))
    assert api.calls_to("sendMessage")[0].status == 429
    await bot.send_message(1, "hi again")
    assert len(api.wait_for("sendMessage", timeout=1)) == 1


async def test_bot_api_drop_and_delay(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.drop_next("sendChatAction")
    with pytest.raises(NetworkError):
        await bot.send_chat_action(1, "typing")
    api.delay("sendChatAction", 0.3)
    started = time.monotonic()
    assert await bot.send_chat_action(1, "typing") is True
    assert time.monotonic() - started >= 0.3
    with pytest.raises(AssertionError, match="sendMessage"):
        api.wait_for("sendMessage", timeout=0.1)


async def test_bot_api_get_file_and_download(api: FakeBotApi, bot: telegram.Bot) -> None:
    content = b"%PDF-1.7 fake spec sheet"
    update = api.user_document(1, file_name="spec.pdf", content=content,
                               mime_type="application/pdf", caption="read this")
    document = update["message"]["document"]
    assert document["file_size"] == len(content) and update["message"]["caption"] == "read this"
    file = await bot.get_file(document["file_id"])
    assert file.file_size == len(content)
    assert bytes(await file.download_as_bytearray()) == content
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_bot_api_send_document_multipart(api: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_document(1, document=b"a,b\n1,2\n", filename="table.csv",
                                   caption="<i>table</i>", parse_mode="HTML")
    assert sent.document is not None and sent.caption == "table"
    assert sent.document.file_name == "table.csv"
    upload = api.calls_to("sendDocument")[0].params["document"]
    assert isinstance(upload, UploadedFile) and upload.content == b"a,b\n1,2\n"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a,b\n1,2\n"


async def test_bot_api_answer_inline_query(api: FakeBotApi, bot: telegram.Bot) -> None:
    query_id = api.inline_query(5, "gpu")["inline_query"]["id"]
    result = InlineQueryResultArticle(
        "r1", "Title", InputTextMessageContent("<b>answer</b>", parse_mode="HTML"))
    with pytest.raises(BadRequest, match=r"(?i)result_id_duplicate"):
        await bot.answer_inline_query(query_id, [result, result])
    assert await bot.answer_inline_query(query_id, [result]) is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [result])
    assert api.calls_to("answerInlineQuery")[-1].params["results"][0]["id"] == "r1"


async def test_bot_api_commands_round_trip(bot: telegram.Bot) -> None:
    assert await bot.set_my_commands([("start", "Start the bot"), ("help", "Get help")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "capital letters are not allowed")])
    assert await bot.delete_my_commands() and await bot.get_my_commands() == ()


async def test_bot_api_reply_and_delete(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.user_text(1, "question")
    sent = await bot.send_message(1, "<i>answer</i>", parse_mode="HTML",
                                  reply_parameters=telegram.ReplyParameters(1))
    assert sent.reply_to_message is not None and sent.message_id == 2
    assert sent.reply_to_message.text == "question"
    update = api.reply_to_bot(1, api.messages(1)[0], "follow-up")
    assert update["message"]["reply_to_message"]["text"] == "answer"
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await bot.send_message(1, "x", reply_parameters=telegram.ReplyParameters(99))
    assert await bot.delete_message(1, sent.message_id) and api.messages(1) == []


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str | None, Any]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


async def test_bot_api_webhook_mode(api: FakeBotApi, bot: telegram.Bot) -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        update = api.user_text(1, "via hook")
        assert (await bot.get_webhook_info()).pending_update_count == 1
        assert await api.deliver_webhook_async(url, update, secret_token="s3cret") == 200
        assert _Receiver.received[-1] == ("s3cret", update) and api.pending_updates() == 0
        api.user_text(1, "dropped")
        assert await bot.delete_webhook(drop_pending_updates=True)
        assert await bot.get_updates() == ()
    finally:
        receiver.shutdown()
        receiver.server_close()
