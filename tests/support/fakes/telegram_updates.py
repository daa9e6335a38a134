"""The update side of FakeBotApi: chats, messages, files and the updates users send.

``UpdatesMixin`` holds the fake's chat, message and file store and the queue of pending updates.
Its builders (user_text, user_command, user_document, inline_query, callback_query, ...) play
users: each stores what the user sent and queues it as an update, which the bot fetches with
getUpdates or a test hands to a webhook with deliver_webhook. Only the standard library is used.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from tests.support.fakes.http_server import Json
from tests.support.fakes.telegram_html import ApiError, int_param, render_text, utf16_len

_DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# The user Telegram shows as the sender of an anonymous group admin's messages.
ANONYMOUS_ADMIN = 1087968824


class UpdatesMixin:
    """Chats, messages, files and pending updates of FakeBotApi, plus the update builders.

    The host class provides the bot's identity, ``_cond`` (the lock all state is guarded by,
    notified whenever updates arrive) and ``_stopping``, and calls ``_init_updates()``.
    """

    bot_id: int
    username: str
    first_name: str
    _cond: threading.Condition
    _stopping: threading.Event

    def _init_updates(self) -> None:
        """Start empty: no chats, messages, files, open queries, webhook or pending updates."""
        self._updates: list[Json] = []
        self._next_update_id = 100_000
        self._allowed_updates: list[str] | None = None
        self._webhook: Json | None = None
        self._chats: dict[int, Json] = {}
        self._messages: dict[int, dict[int, Json]] = {}
        self._next_message_id: dict[int, int] = {}
        self._files: dict[str, Json] = {}
        self._inline_queries: set[str] = set()
        self._callback_queries: set[str] = set()
        self._counter = 0

    # ----- feeding updates -----------------------------------------------------------------------

    def _new_id(self, kind: str) -> int:
        with self._cond:
            if kind == "update":
                self._next_update_id += 1
                return self._next_update_id
            self._counter += 1
            return self._counter

    def push_update(self, update: Json) -> Json:
        """Queue an update (any Update fields but update_id); returns it with its new update_id."""
        with self._cond:
            full = {"update_id": self._new_id("update"), **copy.deepcopy(update)}
            self._updates.append(full)
            self._cond.notify_all()
            return copy.deepcopy(full)

    def pending_updates(self) -> int:
        """How many pushed updates no getUpdates offset (or webhook delivery) has confirmed."""
        with self._cond:
            return len(self._updates)

    # ----- chats and messages ---------------------------------------------------------------------

    def _user(self, user_id: int, first_name: str, language_code: str | None,
              username: str | None) -> Json:
        user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        user.update({k: v for k, v in (("username", username), ("language_code", language_code))
                     if v})
        return user

    def _chat(self, chat_id: int | str, chat_type: str | None = None,
              user: Json | None = None) -> Json:
        """The chat with this id, created on first use (positive ids are private chats)."""
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            named = [c for c in self._chats.values() if f"@{c.get('username')}" == chat_id]
            if not named:
                raise ApiError(400, "Bad Request: chat not found")
            return named[0]
        if chat_type is None or (chat_type == "private" and chat_id < 0):
            if chat_id in self._chats:
                return self._chats[chat_id]
            chat_type = ("private" if chat_id > 0 else
                         "supergroup" if chat_id <= -10**12 else "group")
        chat: Json = {"id": chat_id, "type": chat_type}
        if chat["type"] == "private":
            chat["first_name"] = (user or {}).get("first_name", "User")
            if (user or {}).get("username"):
                chat["username"] = user["username"]  # type: ignore[index]
        else:
            chat["title"] = f"Test {chat['type']} {abs(chat_id)}"
        self._chats[chat_id] = chat
        return chat

    def _store(self, chat: Json, sender: Json, content: Json) -> Json:
        """Give a message the chat's next message_id, store it and return the stored dict."""
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        message = {"message_id": message_id, "from": sender, "chat": chat,
                   "date": int(time.time()), **content}
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def _bot_user(self) -> Json:
        """The bot as the ``from`` User of its own messages."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name,
                "username": self.username}

    def _reply_to(self, chat_id: int, params: Json) -> Json:
        """The reply_to_message field for reply_parameters / reply_to_message_id, if any."""
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]} if params.get("reply_to_message_id")
            else None)
        if not reply:
            return {}
        target = self._messages.get(chat_id, {}).get(int_param(reply, "message_id"))
        if target is not None:
            return {"reply_to_message": {k: v for k, v in self._api_form(target).items()
                                         if k != "reply_to_message"}}
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return {}
        raise ApiError(400, "Bad Request: message to be replied not found")

    def _optional(self, params: Json, *keys: str) -> Json:
        """The given ``params`` that are set (not None), to copy into a stored message."""
        return {k: params[k] for k in keys if params.get(k) is not None}

    def _send_as_bot(self, chat: Json, params: Json, content: Json, *optional: str) -> Json:
        """Store a message from the bot (content, reply, set ``optional`` params); API form."""
        content = {**content, **self._reply_to(chat["id"], params),
                   **self._optional(params, *optional)}
        return self._api_form(self._store(chat, self._bot_user(), content))

    # ----- update builders (what users send) ------------------------------------------------------

    def _push_message(self, chat_id: int, content: Json, *, user_id: int | None = None,
                      chat_type: str = "private", first_name: str = "Ann",
                      language_code: str | None = "en", username: str | None = None,
                      reply_to_message: Json | None = None,
                      sender_chat: int | None = None) -> Json:
        """Store a message from a user in a chat and push it as an update; returns the update.

        ``sender_chat``: the message is sent on behalf of that chat, as an anonymous group
        admin does (its ``from`` is then Telegram's GroupAnonymousBot).
        """
        if sender_chat is not None:
            user_id, first_name, username = ANONYMOUS_ADMIN, "Group", "GroupAnonymousBot"
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 1001
        with self._cond:
            user = self._user(user_id, first_name, language_code, username)
            chat = self._chat(chat_id, chat_type, user)
            if reply_to_message is not None:
                content = {**content, "reply_to_message": reply_to_message}
            if sender_chat is not None:
                content = {**content, "sender_chat": {"id": sender_chat, "type": chat_type,
                                                      "title": f"Group {sender_chat}"}}
            message = self._store(chat, user, content)
            return self.push_update({"message": message})

    def user_text(self, chat_id: int = 1, text: str = "hi", user_id: int | None = None,
                  chat_type: str = "private", first_name: str = "Ann",
                  language_code: str | None = "en", entities: list[Json] | None = None,
                  reply_to_message: Json | None = None, username: str | None = None,
                  sender_chat: int | None = None) -> Json:
        """Push a user's text message (private, group or supergroup chat); returns the update."""
        content: Json = {"text": text, **({"entities": entities} if entities else {})}
        return self._push_message(chat_id, content, user_id=user_id, chat_type=chat_type,
                                  first_name=first_name, language_code=language_code,
                                  username=username, reply_to_message=reply_to_message,
                                  sender_chat=sender_chat)

    def user_command(self, chat_id: int, command: str, args: str = "", **who: Any) -> Json:
        """Push "/command args" with a bot_command entity at offset 0; returns the update."""
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
        return self.user_text(chat_id, f"{command} {args}" if args else command,
                              entities=[entity], **who)

    def reply_to_bot(self, chat_id: int, bot_message: Json, text: str, **who: Any) -> Json:
        """Push a user's text that replies to one of the bot's messages; returns the update."""
        with self._cond:
            current = self._messages.get(chat_id, {}).get(bot_message["message_id"], bot_message)
            replied = self._api_form(current)
        return self.user_text(chat_id, text, reply_to_message=replied, **who)

    def edited_text(self, chat_id: int, message_id: int, text: str) -> Json:
        """Edit a user's stored message and push it as an edited_message update."""
        with self._cond:
            message = self._messages[chat_id][message_id]
            message.update(text=text, edit_date=int(time.time()))
            message.pop("entities", None)
            return self.push_update({"edited_message": message})

    def _register_file(self, content: bytes, folder: str, extension: str, **extra: Any) -> Json:
        number = self._new_id("file")
        meta = {"file_id": f"FAKE{folder[:3].upper()}{number:06d}{self.bot_id}",
                "file_unique_id": f"AgAD{number:04d}", "file_size": len(content), **extra}
        with self._cond:
            self._files[meta["file_id"]] = {**meta, "content": content,
                                            "file_path": f"{folder}/file_{number}{extension}"}
        return meta

    def user_document(self, chat_id: int, *, file_name: str, content: bytes, mime_type: str,
                      user_id: int | None = None, caption: str | None = None,
                      declared_size: int | None = None, **who: Any) -> Json:
        """Push a document message; the file becomes available to getFile and download.

        ``declared_size``: the size the message and getFile claim, if not the real one.
        """
        suffix = file_name[file_name.rfind("."):] if "." in file_name else ""
        meta = self._register_file(content, "documents", suffix, file_name=file_name,
                                   mime_type=mime_type)
        if declared_size is not None:
            with self._cond:
                self._files[meta["file_id"]]["file_size"] = declared_size
            meta = {**meta, "file_size": declared_size}
        body = {"document": meta, **({"caption": caption} if caption is not None else {})}
        return self._push_message(chat_id, body, user_id=user_id, **who)

    def user_photo(self, chat_id: int, *, content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
                   caption: str | None = None, **who: Any) -> Json:
        """Push a photo message (two PhotoSizes sharing the downloadable bytes)."""
        sizes = [self._register_file(content, "photos", ".jpg", width=w, height=w)
                 for w in (90, 800)]
        body = {"photo": sizes, **({"caption": caption} if caption is not None else {})}
        return self._push_message(chat_id, body, **who)

    def user_voice(self, chat_id: int, *, content: bytes = b"OggS\x00fake-voice",
                   duration: int = 2, **who: Any) -> Json:
        """Push a voice message (audio/ogg) whose bytes can be downloaded."""
        meta = self._register_file(content, "voice", ".oga", duration=duration,
                                   mime_type="audio/ogg")
        return self._push_message(chat_id, {"voice": meta}, **who)

    def user_sticker(self, chat_id: int, *, emoji: str = "\N{THUMBS UP SIGN}", **who: Any) -> Json:
        """Push a (static, regular) sticker message."""
        meta = self._register_file(b"RIFF\x00\x00\x00\x00WEBPfake", "stickers", ".webp",
                                   type="regular", width=512, height=512, is_animated=False,
                                   is_video=False, emoji=emoji)
        return self._push_message(chat_id, {"sticker": meta}, **who)

    def inline_query(self, user_id: int, query: str, *, offset: str = "",
                     first_name: str = "Ann", language_code: str | None = "en") -> Json:
        """Push an inline_query update (its id is a string answerInlineQuery must use)."""
        query_id = str(4_000_000_000 + self._new_id("query"))
        with self._cond:
            self._inline_queries.add(query_id)
        return self.push_update({"inline_query": {
            "id": query_id, "from": self._user(user_id, first_name, language_code, None),
            "query": query, "offset": offset, "chat_type": "sender"}})

    def callback_query(self, chat_id: int, bot_message: Json, data: str,
                       user_id: int | None = None, *, first_name: str = "Ann",
                       language_code: str | None = "en") -> Json:
        """Push a callback_query from an inline button under one of the bot's messages."""
        query_id = str(5_000_000_000 + self._new_id("query"))
        with self._cond:
            self._callback_queries.add(query_id)
            message = self._api_form(self._messages[chat_id][bot_message["message_id"]])
        sender = self._user(user_id or (chat_id if chat_id > 0 else 1001), first_name,
                            language_code, None)
        return self.push_update({"callback_query": {
            "id": query_id, "from": sender, "message": message,
            "chat_instance": f"ci{chat_id}", "data": data}})

    def _api_form(self, stored: Json) -> Json:
        """A stored message as the Bot API shows it: HTML rendered to text plus entities."""
        message = copy.deepcopy(stored)
        mode = message.pop("parse_mode", None)
        for field, entities in (("text", "entities"), ("caption", "caption_entities")):
            if field in message and str(mode or "").lower() == "html":
                message[field], found = render_text(message[field], mode, allow_empty=True)
                message.pop(entities, None)
                message.update({entities: found} if found else {})
        markup = message.get("reply_markup")
        if markup is not None and "inline_keyboard" not in markup:
            del message["reply_markup"]
        return message

    # ----- delivering updates --------------------------------------------------------------------

    def deliver_webhook(self, url: str, update: Json, *, secret_token: str | None = None) -> int:
        """POST ``update`` as JSON to ``url`` like Telegram's webhook delivery; returns the status.

        A 2xx answer confirms the update (it leaves the pending queue). Updates without an
        update_id get a fresh one.
        """
        if "update_id" not in update:
            update = {"update_id": self._new_id("update"), **update}
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as err:
            status = err.code
        if 200 <= status < 300:
            with self._cond:
                self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
        return status

    async def deliver_webhook_async(self, url: str, update: Json, **kwargs: Any) -> int:
        """deliver_webhook() in a worker thread, for receivers running on the current loop."""
        return await asyncio.to_thread(self.deliver_webhook, url, update, **kwargs)

    # ----- Bot API methods for updates (run by FakeBotApi with the lock held) ------------------

    def _api_getupdates(self, params: Json) -> list[Json]:
        if self._webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int_param(params, "offset", 0)
        limit = min(max(int_param(params, "limit", 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        while True:
            batch = [u for u in self._updates if self._wanted(u)][:limit]
            left = deadline - time.monotonic()
            if batch or left <= 0 or self._stopping.is_set():
                return batch
            self._cond.wait(left)

    def _wanted(self, update: Json) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_EXCLUDED

    def _api_setwebhook(self, params: Json) -> bool:
        url, secret = str(params.get("url") or ""), params.get("secret_token")
        if url and not re.match(r"https?://", url):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                                "webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        self._webhook = {"url": url, "secret_token": secret} if url else None
        return True

    def _api_deletewebhook(self, params: Json) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        return True

    def _api_getwebhookinfo(self, params: Json) -> Json:
        info: Json = {"url": (self._webhook or {}).get("url", ""), "has_custom_certificate": False,
                      "pending_update_count": len(self._updates)}
        if self._webhook:
            info["max_connections"] = 40
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info
