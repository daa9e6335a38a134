"""A fake Telegram Bot API server on 127.0.0.1 for tests that drive real python-telegram-bot code.

Point the bot at ``f"{api.root}/bot"`` (base_url) and ``f"{api.root}/file/bot"`` (base_file_url).
The fake keeps its state in memory, records every call, validates requests the way the Bot API
documents (HTML parse mode, message length in UTF-16 units, offsets of getUpdates) and can inject
faults. Only the standard library is used. The server base is in ``http_server``, text rendering
and parameter decoding in ``telegram_html``, the store and update builders in ``telegram_updates``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.support.fakes.http_server import FakeHttpServer, Handler, Json
from tests.support.fakes.telegram_html import (
    MAX_CAPTION,
    MAX_TEXT,
    ApiError,
    UploadedFile,
    check_chat_action,
    check_commands,
    check_inline_button,
    check_inline_results,
    check_markup,
    int_param,
    parse_params,
    render_text,
    utf16_len,
)
from tests.support.fakes.telegram_updates import UpdatesMixin

__all__ = ["MAX_CAPTION", "MAX_TEXT", "NOT_MODIFIED", "QUERY_INVALID", "ApiError", "Call",
           "FakeBotApi", "Json", "UploadedFile", "check_markup", "parse_params", "render_text",
           "utf16_len"]

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


@dataclass
class Call:
    """One request the fake received: method, decoded params, arrival time and the reply sent."""

    method: str
    params: Json
    time: float
    response: Json
    status: int = 200

    @property
    def ok(self) -> bool:
        """Whether the fake answered this call with ``"ok": true``."""
        return self.response.get("ok") is True


def _send_error(handler: Handler, status: int, description: str) -> None:
    """Answer with a Bot API error body (used before any method runs)."""
    handler.send_body(status, json.dumps(ApiError(status, description).body()).encode())


def _refuse(description: str) -> Callable[[Json], Any]:
    """A method implementation that always answers 400 with ``description``."""
    def refuse(params: Json) -> Any:
        raise ApiError(400, description)
    return refuse


@dataclass
class _Fault:
    kind: str  # "fail" or "drop"
    remaining: int
    status: int = 500
    description: str = ""
    retry_after: int | None = None


class FakeBotApi(UpdatesMixin, FakeHttpServer):
    """An in-memory Telegram Bot API served over HTTP on 127.0.0.1 (OS-assigned port).

    Use it as a context manager (or start()/stop()). All public methods are thread-safe.
    The update builders (user_text, inline_query, ...) come from UpdatesMixin.
    """

    def __init__(self, token: str = "123456:TEST-token", bot_id: int = 123456,
                 username: str = "hw_test_bot", first_name: str = "HW Test Bot") -> None:
        super().__init__()
        self.token, self.bot_id = token, bot_id
        self.username, self.first_name = username, first_name
        self._cond = threading.Condition(threading.RLock())
        self._init_updates()
        self._calls: list[Call] = []
        self._commands: dict[tuple[str, str], list[Json]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._html_rejects = 0
        # An older Bot API: sendMessageDraft needs 1-4096 characters of text.
        self.empty_drafts_refused = False
        self._methods: dict[str, tuple[str, Callable[[Json], Any]]] = {
            name.lower(): (name, getattr(self, f"_api_{name.lower()}")) for name in (
                "getMe getUpdates setWebhook deleteWebhook getWebhookInfo logOut close "
                "sendMessage editMessageText sendMessageDraft sendChatAction setMyCommands "
                "getMyCommands deleteMyCommands answerInlineQuery answerCallbackQuery "
                "deleteMessage getFile sendDocument").split()}

    def _on_stop(self) -> None:
        """Wake pending long polls and waits, so they see ``_stopping`` at once."""
        with self._cond:
            self._cond.notify_all()

    # ----- inspection --------------------------------------------------------------------------

    @property
    def unanswered_callback_queries(self) -> int:
        """How many callback queries the bot has not answered (their buttons still spin)."""
        with self._cond:
            return len(self._callback_queries)

    @property
    def calls(self) -> list[Call]:
        """Every call received so far (including failed ones), oldest first."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls to one Bot API method (name as documented, e.g. "sendMessage")."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def wait_for(self, method: str, *, count: int = 1, timeout: float = 10.0,
                 predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        """Block until ``count`` successful calls to ``method`` match ``predicate``; returns them.

        Raises AssertionError with a summary of the calls received when ``timeout`` passes.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method.lower() == method.lower() and c.ok
                         and (predicate is None or predicate(c))]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    break
                self._cond.wait(left)
            if len(found) >= count:
                return found
            lines = [f"  {c.method} -> {c.status} {str(c.params)[:120]}" for c in self._calls[-30:]]
        raise AssertionError(f"expected {count} successful {method} call(s) in {timeout}s, got "
                             f"{len(found)}; calls so far:\n" + ("\n".join(lines) or "  (none)"))

    async def wait_for_async(self, method: str, **kwargs: Any) -> list[Call]:
        """wait_for() in a worker thread, so an event loop running the bot keeps running.

        Use this (not wait_for) from async tests whose bot runs on the same event loop.
        """
        return await asyncio.to_thread(self.wait_for, method, **kwargs)

    def messages(self, chat_id: int) -> list[Json]:
        """The bot's messages in a chat as they stand now (after edits and deletes), in order.

        ``text``/``caption`` are kept as sent, next to ``parse_mode`` when one was given.
        """
        with self._cond:
            return [copy.deepcopy(m) for m in self._messages.get(chat_id, {}).values()
                    if m["from"]["id"] == self.bot_id]

    # ----- faults ------------------------------------------------------------------------------

    def fail_next(self, method: str, *, status: int = 500, description: str | None = None,
                  retry_after: int | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail; with retry_after: 429 flood wait."""
        if retry_after is not None and status == 500:
            status = 429
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}"
                           if retry_after is not None else "Internal Server Error")
        self._add_fault(method, _Fault("fail", times, status, description, retry_after))

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` end with a closed connection, no reply."""
        self._add_fault(method, _Fault("drop", times))

    def delay(self, method: str, seconds: float) -> None:
        """Delay every call of ``method`` by ``seconds`` before it is handled (0 clears)."""
        with self._cond:
            self._delays[method.lower()] = seconds

    def reject_html_next(self, times: int = 1) -> None:
        """Make the next sendMessage/editMessageText calls with parse_mode HTML fail with 400."""
        with self._cond:
            self._html_rejects += times

    def _add_fault(self, method: str, fault: _Fault) -> None:
        with self._cond:
            self._faults.setdefault(method.lower(), deque()).append(fault)

    def _take_fault(self, method: str, params: Json) -> _Fault | None:
        with self._cond:
            queue = self._faults.get(method.lower())
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.popleft()
                return fault
            html_call = method in ("sendMessage", "editMessageText") and \
                str(params.get("parse_mode", "")).lower() == "html"
            if html_call and self._html_rejects > 0:
                self._html_rejects -= 1
                return _Fault("fail", 1, 400, "Bad Request: can't parse entities: Unsupported "
                              'start tag "injected" at byte offset 0')
        return None

    # ----- request handling ----------------------------------------------------------------------

    def _serve(self, handler: Handler, body: bytes) -> None:
        """Answer one HTTP request; a dropped call (or stop() in a delay) cuts the connection."""
        url = urlsplit(handler.path)
        path = unquote(url.path)
        if path.startswith("/file/bot"):
            return self._download(handler, path[len("/file/bot"):])
        match = re.fullmatch(r"/bot([^/]*)/(\w+)", path)
        if not match:
            return _send_error(handler, 404, "Not Found")
        if match.group(1) != self.token:
            return _send_error(handler, 401, "Unauthorized")
        arrived = time.monotonic()
        name, impl = self._methods.get(match.group(2).lower(), (match.group(2), None))
        try:
            params = parse_params(handler.headers.get("Content-Type", ""), body, url.query)
        except (ValueError, UnicodeDecodeError) as err:
            params, impl = {}, _refuse(f"Bad Request: can't parse request body: {err}")
        if self._stopping.wait(self._delays.get(name.lower(), 0)):
            return handler.cut()
        fault = self._take_fault(name, params)
        if fault is not None and fault.kind == "drop":
            self._record(Call(name, params, arrived, {"dropped": True}, 0))
            return handler.cut()
        status, response = self._invoke(name, impl, params, fault)
        payload = json.dumps(response).encode()
        self._record(Call(name, params, arrived, json.loads(payload), status))
        handler.send_body(status, payload)

    def _invoke(self, name: str, impl: Callable[[Json], Any] | None, params: Json,
                fault: _Fault | None) -> tuple[int, Json]:
        try:
            if fault is not None:
                raise ApiError(fault.status, fault.description, fault.retry_after)
            if impl is None:
                raise ApiError(404, "Not Found")
            with self._cond:
                return 200, {"ok": True, "result": copy.deepcopy(impl(params))}
        except ApiError as err:
            return err.status, err.body()
        except Exception as err:  # a bug in the fake: answer 500 and show the traceback
            traceback.print_exc()
            return 500, ApiError(500, f"Internal Server Error: fake crashed: {err!r}").body()

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _download(self, handler: Handler, rest: str) -> None:
        """Serve a file's bytes for ``/file/bot<token>/<file_path>``."""
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return _send_error(handler, 401, "Unauthorized")
        with self._cond:
            found = [f for f in self._files.values() if f["file_path"] == file_path]
        if not found:
            return _send_error(handler, 404, "Not Found")
        handler.send_body(200, found[0]["content"], content_type="application/octet-stream")

    # ----- Bot API methods (called with the lock held; raise ApiError for error replies) --------

    def _api_getme(self, params: Json) -> Json:
        return {**self._bot_user(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": True,
                "can_connect_to_business": False, "has_main_web_app": False}

    def _api_logout(self, params: Json) -> bool:
        return True

    _api_close = _api_logout

    def _api_sendmessage(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id") or "")
        render_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        check_markup(params.get("reply_markup"))
        return self._send_as_bot(chat, params, {"text": str(params["text"])}, "parse_mode",
                                 "entities", "reply_markup", "link_preview_options")

    def _api_editmessagetext(self, params: Json) -> Json | bool:
        plain, entities = render_text(params.get("text"), params.get("parse_mode"),
                                      params.get("entities"))
        check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params.get("chat_id") or "")
        message = self._messages.get(chat["id"], {}).get(int_param(params, "message_id"))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id or "text" not in message:
            raise ApiError(400, "Bad Request: message can't be edited")
        shown = self._api_form(message)
        if (shown["text"], shown.get("entities", []), message.get("reply_markup")) == (
                plain, entities, params.get("reply_markup")):
            raise ApiError(400, NOT_MODIFIED)
        for key in ("parse_mode", "entities", "reply_markup", "link_preview_options"):
            message.pop(key, None)
        message.update(text=str(params["text"]), edit_date=int(time.time()),
                       **self._optional(params, "parse_mode", "entities", "reply_markup",
                                        "link_preview_options"))
        return self._api_form(message)

    def _api_sendmessagedraft(self, params: Json) -> bool:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool) or chat_id <= 0:
            raise ApiError(400, "Bad Request: chat_id must be the identifier of a private chat")
        draft_id = params.get("draft_id")
        if not isinstance(draft_id, int) or isinstance(draft_id, bool) or draft_id == 0:
            raise ApiError(400, "Bad Request: draft_id must be a non-zero integer")
        if self.empty_drafts_refused and not str(params.get("text") or ""):
            raise ApiError(400, "Bad Request: text must be non-empty")
        render_text(params.get("text"), params.get("parse_mode"), params.get("entities"),
                    allow_empty=True)
        self._chat(chat_id)
        return True

    def _api_sendchataction(self, params: Json) -> bool:
        self._chat(params.get("chat_id") or "")
        check_chat_action(params.get("action"))
        return True

    def _scope(self, params: Json) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _api_setmycommands(self, params: Json) -> bool:
        self._commands[self._scope(params)] = check_commands(params.get("commands"))
        return True

    def _api_getmycommands(self, params: Json) -> list[Json]:
        return self._commands.get(self._scope(params), [])

    def _api_deletemycommands(self, params: Json) -> bool:
        self._commands.pop(self._scope(params), None)
        return True

    def _api_answerinlinequery(self, params: Json) -> bool:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self._inline_queries:
            raise ApiError(400, QUERY_INVALID)
        check_inline_results(params.get("results"))
        check_inline_button(params.get("button"))
        self._inline_queries.discard(query_id)
        return True

    def _api_answercallbackquery(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_queries:
            raise ApiError(400, QUERY_INVALID)
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._callback_queries.discard(query_id)
        return True

    def _api_deletemessage(self, params: Json) -> bool:
        chat = self._chat(params.get("chat_id") or "")
        if self._messages.get(chat["id"], {}).pop(int_param(params, "message_id"), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _api_getfile(self, params: Json) -> Json:
        found = self._files.get(str(params.get("file_id") or ""))
        if found is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {k: found[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}

    def _api_senddocument(self, params: Json) -> Json:
        chat, document = self._chat(params.get("chat_id") or ""), params.get("document")
        if isinstance(document, UploadedFile):
            suffix = document.file_name[document.file_name.rfind("."):]
            meta = self._register_file(document.content, "documents", suffix,
                                       file_name=document.file_name,
                                       mime_type=document.mime_type)
        elif isinstance(document, str) and document in self._files:
            meta = {k: v for k, v in self._files[document].items()
                    if k not in ("content", "file_path")}
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if params.get("caption") is not None:
            render_text(params["caption"], params.get("parse_mode"),
                        params.get("caption_entities"), caption=True, allow_empty=True)
        check_markup(params.get("reply_markup"))
        return self._send_as_bot(chat, params, {"document": meta}, "caption", "parse_mode",
                                 "caption_entities", "reply_markup")
