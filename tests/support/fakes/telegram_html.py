"""Text rendering and request parameters for FakeBotApi, the fake Telegram Bot API.

Covers Telegram's HTML parse mode (supported tags, HTML entities, the visible text and message
entities it yields, lengths counted in UTF-16 code units), the decoding of request parameters sent
as a query string, form, multipart upload or JSON body, and the validation of parameters (reply
markup, chat actions, bot commands, inline query results). Errors are raised as ApiError.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from typing import Any, NoReturn
from urllib.parse import parse_qsl

from tests.support.fakes.http_server import Json

MAX_TEXT, MAX_CAPTION = 4096, 1024
_STRING_KEYS = frozenset(  # parameters PTB sends as plain strings
    "text caption parse_mode query inline_query_id callback_query_id file_id url secret_token "
    "inline_message_id description language_code action next_offset ip_address title "
    "message_text emoji business_connection_id".split())
_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split())
_TAG_ENTITY = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
               "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
               "del": "strikethrough", "span": "spoiler", "tg-spoiler": "spoiler",
               "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
               "tg-emoji": "custom_emoji"}
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|"
                     r"[^\s\"'>]+))?)*)\s*>")
_ATTR_RE = re.compile(r"([\w-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_SPECIAL_RE = re.compile(r"[<&]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ApiError(Exception):
    """A Bot API error reply: raised by method implementations, turned into the JSON error body."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> Json:
        """The ``{"ok": false, ...}`` body Telegram sends for this error."""
        out: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the client uploaded it."""

    field_name: str
    file_name: str
    content: bytes
    mime_type: str


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlParser:
    """Telegram's HTML parse mode: visible text plus entities, or ApiError for invalid markup."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0
        self.out: list[str] = []
        self.stack: list[tuple[str, int, dict[str, str]]] = []
        self.entities: list[Json] = []

    def fail(self, reason: str, index: int | None = None) -> NoReturn:
        where = "" if index is None else f" at byte offset {len(self.text[:index].encode())}"
        raise ApiError(400, f"Bad Request: can't parse entities: {reason}{where}")

    def run(self) -> tuple[str, list[Json]]:
        """Parse the whole text; returns (visible text, entities sorted by offset)."""
        i = 0
        while i < len(self.text):
            nxt = _SPECIAL_RE.search(self.text, i)
            j = nxt.start() if nxt else len(self.text)
            self.emit(self.text[i:j])
            if j < len(self.text):
                j = self.tag(j) if self.text[j] == "<" else self.entity(j)
            i = j
        if self.stack:
            self.fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos += utf16_len(chunk)

    def entity(self, i: int) -> int:
        m = _ENTITY_RE.match(self.text, i)
        if not m:
            self.fail('Character "&" must be escaped as "&amp;"', i)
        if m.group(1):
            self.emit(_NAMED[m.group(1)])
        else:
            code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                self.fail("Invalid numeric HTML entity", i)
            self.emit(chr(code))
        return m.end()

    def tag(self, i: int) -> int:
        m = _TAG_RE.match(self.text, i)
        if not m:
            if ">" not in self.text[i:]:
                self.fail("Unclosed start tag", i)
            word = re.match(r"</?([\w-]*)", self.text[i:])
            self.fail(f'Unsupported start tag "{word.group(1) if word else ""}"', i)
        name = m.group(2).lower()
        if m.group(1):
            self.close(name, i)
            return m.end()
        if name not in _TAG_ENTITY:
            self.fail(f'Unsupported start tag "{name}"', i)
        attrs = {a.group(1).lower(): html.unescape(a.group(2) or a.group(3) or a.group(4) or "")
                 for a in _ATTR_RE.finditer(m.group(3))}
        if name == "span" and attrs.get("class") != "tg-spoiler":
            self.fail('Tag "span" must have class "tg-spoiler"', i)
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            self.fail('Tag "tg-emoji" must have attribute "emoji-id"', i)
        self.stack.append((name, self.pos, attrs))
        return m.end()

    def close(self, name: str, i: int) -> None:
        if not self.stack:
            self.fail(f'Unexpected end tag "{name}"', i)
        top, start, attrs = self.stack.pop()
        if top != name:
            self.fail(f'Unmatched end tag, expected "</{top}>", found "</{name}>"', i)
        if name == "code" and self.stack and self.stack[-1][0] == "pre":
            lang = attrs.get("class", "")
            if lang.startswith("language-"):
                self.stack[-1][2]["language"] = lang[len("language-"):]
            return
        entity: Json = {"type": _TAG_ENTITY[name], "offset": start, "length": self.pos - start}
        extra = {"a": ("url", attrs.get("href")), "pre": ("language", attrs.get("language")),
                 "tg-emoji": ("custom_emoji_id", attrs.get("emoji-id"))}.get(name)
        if extra and extra[1]:
            entity[extra[0]] = extra[1]
        elif name == "a":
            return
        if name == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        if entity["length"] > 0:
            self.entities.append(entity)


def render_text(text: Any, parse_mode: Any, entities: Any = None, *, caption: bool = False,
                allow_empty: bool = False) -> tuple[str, list[Json]]:
    """Validate a message text (or caption) like Telegram; returns (visible text, entities)."""
    what = "message caption" if caption else "message text"
    text = "" if text is None else str(text)
    mode = str(parse_mode or "").lower()
    if mode == "html":
        plain, ents = _HtmlParser(text).run()
    elif mode in ("", "markdown", "markdownv2"):
        plain, ents = text, list(entities or [])
    else:
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    if not plain.strip() and not allow_empty:
        raise ApiError(400, f"Bad Request: {what} is empty")
    if utf16_len(plain) > (MAX_CAPTION if caption else MAX_TEXT):
        raise ApiError(400, f"Bad Request: message {'caption ' if caption else ''}is too long")
    return plain, ents


def _decode_value(key: str, raw: str) -> Any:
    """A form field as PTB encodes it: strings stay strings, everything else is JSON."""
    if key in _STRING_KEYS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def parse_params(content_type: str, body: bytes, query: str) -> Json:
    """Decode the query string plus a form, multipart or JSON body into one params dict."""
    params: Json = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return params
    if ctype == "application/json":
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        params.update(data)
    elif ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = str(part.get_param("name", header="content-disposition"))
            payload = bytes(part.get_payload(decode=True) or b"")
            if part.get_filename() is not None:
                params[name] = UploadedFile(name, str(part.get_filename()), payload,
                                            part.get_content_type())
            else:
                params[name] = _decode_value(name, payload.decode("utf-8"))
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.get(value[len("attach://"):], value)
    else:
        params.update({k: _decode_value(k, v)
                       for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)})
    return params


def int_param(params: Json, key: str, default: int | None = None) -> int:
    """An integer parameter, or ApiError 400 when it is missing or not a number."""
    value = params.get(key, default)
    if value is None or value == "":
        raise ApiError(400, f"Bad Request: {key} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def check_markup(markup: Any) -> None:
    """Validate a reply_markup object (shape and callback_data of inline buttons)."""
    kinds = {"inline_keyboard", "keyboard", "remove_keyboard", "force_reply"}
    if markup is None:
        return
    if not isinstance(markup, dict) or not kinds & markup.keys():
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: can't parse inline keyboard button")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def check_chat_action(action: Any) -> None:
    """Validate sendChatAction's action (one of the documented chat actions)."""
    if action not in _CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")


def check_commands(commands: Any) -> list[Json]:
    """Validate setMyCommands' commands; returns them reduced to command and description."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not re.fullmatch(r"[a-z0-9_]{1,32}",
                                                             str(command.get("command"))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "").strip()) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


def check_inline_button(button: Any) -> None:
    """Validate answerInlineQuery's button: a text and a deep-link start parameter."""
    if button is None:
        return
    if not isinstance(button, dict) or not button.get("text"):
        raise ApiError(400, "Bad Request: can't parse inline query results button")
    parameter = str(button.get("start_parameter") or "")
    if "web_app" not in button and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", parameter):
        raise ApiError(400, "Bad Request: START_PARAM_INVALID")


def check_inline_results(results: Any) -> None:
    """Validate answerInlineQuery's results: count, unique ids, articles, texts and markup."""
    if not isinstance(results, list):
        raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
    if len(results) > 50:
        raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict) or not result.get("type") or not result.get("id"):
            raise ApiError(400, "Bad Request: can't parse inline query result")
        if str(result["id"]) in seen:
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        seen.add(str(result["id"]))
        content = result.get("input_message_content")
        if result["type"] == "article" and (not result.get("title")
                                            or not isinstance(content, dict)):
            raise ApiError(400, "Bad Request: article result needs title and "
                                "input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            render_text(content["message_text"], content.get("parse_mode"),
                        content.get("entities"))
        check_markup(result.get("reply_markup"))
