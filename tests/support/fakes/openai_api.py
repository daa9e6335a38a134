"""A fake OpenAI-compatible HTTP server for tests that use the real ``openai`` client.

Serves ``POST /v1/chat/completions`` (plain JSON or SSE streaming), ``POST /v1/embeddings``
and ``GET /v1/models`` on 127.0.0.1 with an OS-assigned port, records every request and can
inject faults (HTTP errors, hangs, malformed bodies, empty answers, streams cut mid-way).
Only the standard library is used.
"""

from __future__ import annotations

import json
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.fakes.http_server import FakeHttpServer, Handler, Json

Reply = str | Callable[[Json], str]
_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory",
          "Country, region, or territory not supported."),
    404: ("invalid_request_error", None, "The requested resource was not found."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
    500: ("server_error", None, "The server had an error while processing your request."),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}
MALFORMED_BODY = b'{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"mess'


def error_body(status: int, message: str | None = None) -> Json:
    """An OpenAI-style error object ``{"error": {message, type, param, code}}`` for a status."""
    kind, code, default = _ERRORS.get(status, ("server_error", None, f"HTTP {status}"))
    return {"error": {"message": message or default, "type": kind, "param": None, "code": code}}


def count_tokens(text: str) -> int:
    """The fake's rough token count: one token per four characters, plus one."""
    return len(text) // 4 + 1


def split_reply(text: str) -> list[str]:
    """Cut a reply into the content pieces of a stream: a few characters each, >= 8 pieces."""
    size = max(1, min(6, len(text) // 8))
    return [text[i:i + size] for i in range(0, len(text), size)]


def embedding_of(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector for a text: its characters and pairs of characters hashed
    into ``dimensions`` buckets, so texts sharing words get close vectors."""
    import hashlib
    import math

    vector = [0.0] * dimensions
    lowered = text.lower()
    for piece in [*lowered, *(lowered[i:i + 2] for i in range(len(lowered) - 1))]:
        bucket = int.from_bytes(hashlib.blake2b(piece.encode(), digest_size=4).digest(), "big")
        vector[bucket % dimensions] += 1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


_FACTS = re.compile(r"<<<FACTS\n(.*?)\nFACTS>>>", re.S)
_FACT_LINE = re.compile(r"^\[(\d+)\](?: \(as of [^)]*\))? (.*)$")


def quote_every_fact(request: Json) -> str:
    """A reply for ``FakeOpenAI``: every fact of the prompt, each with its citation, as a
    model would answer that uses all it was given (what the LLM path hands the model)."""
    block = _FACTS.search(request["messages"][0]["content"])
    lines = block.group(1).splitlines() if block else []
    facts = [match for line in lines if (match := _FACT_LINE.match(line))]
    return " ".join(f"{fact.group(2)} [{fact.group(1)}]" for fact in facts)


def _send(handler: Handler, status: int, body: bytes, *,
          content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
    """Send a complete response carrying an ``x-request-id`` header, as OpenAI does."""
    handler.send_body(status, body, content_type=content_type,
                      headers={"x-request-id": f"req_fake_{id(handler):x}", **(headers or {})})


@dataclass
class _Fault:
    kind: str  # fail | hang | malformed | empty | cut
    remaining: int
    status: int = 500
    retry_after: float | None = None
    body: Json | str | None = None
    seconds: float = 0.0
    after_chunks: int = 2
    content_type: str = "application/json"


class FakeOpenAI(FakeHttpServer):
    """An OpenAI chat-completions server; use as a context manager (or start()/stop()).

    ``reply`` is the assistant text, or a callable getting the request JSON and returning it.
    ``latency`` delays every answer, ``chunk_delay`` spaces stream chunks; both may change at
    any time. Requests are served concurrently, each in its own thread.
    """

    def __init__(self, reply: Reply = "Default answer [1].", *, require_key: bool = False,
                 models: tuple[str, ...] = ("gpt-4o-mini", "gpt-4o")) -> None:
        super().__init__()
        self.reply: Reply = reply
        self.require_key = require_key
        self.models = models
        self.latency = 0.0
        # Set when a client stops reading a stream before it ends (it gave up on the answer).
        self.client_left = threading.Event()
        self.chunk_delay = 0.0
        self.requests: list[Json] = []
        self.request_headers: list[dict[str, str]] = []
        self.embedding_requests: list[Json] = []
        self.embedding_dimensions = 48
        # Delays embedding requests for more than one text (passages at an ingest), not the
        # one-text requests of questions.
        self.batch_latency = 0.0
        self._lock = threading.Lock()
        self._faults: deque[_Fault] = deque()
        self._counter = 0

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, the value for ``AsyncOpenAI(base_url=...)``."""
        return f"{self.root}/v1"

    # ----- faults (consumed in the order they were added, one per request) -----------------------

    def fail_next(self, status: int = 500, *, times: int = 1, retry_after: float | None = None,
                  body: Json | str | None = None) -> None:
        """Answer the next ``times`` completions with ``status`` and an OpenAI error JSON.

        ``retry_after`` adds a Retry-After header (seconds); ``body`` replaces the error JSON.
        """
        self._add(_Fault("fail", times, status=status, retry_after=retry_after, body=body))

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """Read the next requests and send nothing for ``seconds`` (then answer normally)."""
        self._add(_Fault("hang", times, seconds=seconds))

    def malformed_next(self, times: int = 1, *, content_type: str = "application/json",
                       body: bytes = MALFORMED_BODY) -> None:
        """Answer 200 with a body that is not valid JSON (stream requests: a broken SSE event)."""
        self._add(_Fault("malformed", times, body=body.decode(), content_type=content_type))

    def empty_next(self, times: int = 1) -> None:
        """Answer with a valid completion whose content is "" (streams: no content deltas)."""
        self._add(_Fault("empty", times))

    def cut_stream_next(self, after_chunks: int = 2, times: int = 1) -> None:
        """For the next streaming requests, send ``after_chunks`` events and drop the connection.

        Non-streaming requests do not consume this fault.
        """
        self._add(_Fault("cut", times, after_chunks=after_chunks))

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take(self, stream: bool) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind != "cut" or stream:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # ----- serving -------------------------------------------------------------------------------

    def _serve(self, handler: Handler, body: bytes) -> None:
        """Route one request: completions, models, or an OpenAI-style 404."""
        path = handler.path.split("?")[0].rstrip("/")
        try:
            if handler.command == "POST" and path == "/v1/chat/completions":
                self._completion(handler, body)
            elif handler.command == "POST" and path == "/v1/embeddings":
                self._embeddings(handler, body)
            elif handler.command == "GET" and path == "/v1/models":
                self._send_json(handler, 200, {"object": "list", "data": [
                    {"id": m, "object": "model", "created": 1700000000, "owned_by": "fake"}
                    for m in self.models]})
            else:
                message = f"Invalid URL ({handler.command} {handler.path})"
                self._send_json(handler, 404, error_body(404, message))
        except OSError:  # the connection broke: Handler.dispatch closes it
            raise
        except Exception as err:  # a bug in the fake: answer 500 and show the traceback
            traceback.print_exc()
            self._send_json(handler, 500, error_body(500, f"fake crashed: {err!r}"))

    def _embeddings(self, handler: Handler, raw: bytes) -> None:
        """Answer an embeddings request (faults apply as to completions)."""
        request = json.loads(raw or b"{}")
        with self._lock:
            self.embedding_requests.append(request)
        fault = self._take(False)
        if fault and fault.kind in ("fail", "malformed"):
            return self._send_fault(handler, fault, False)
        texts = request.get("input")
        texts = [texts] if isinstance(texts, str) else texts
        if isinstance(texts, list) and len(texts) > 1 and self._stopping.wait(self.batch_latency):
            return None
        if not isinstance(texts, list) or not texts:
            return self._send_json(handler, 400, error_body(400, "'input' must not be empty"))
        data = [{"object": "embedding", "index": i,
                 "embedding": embedding_of(str(text), self.embedding_dimensions)}
                for i, text in enumerate(texts)]
        self._send_json(handler, 200, {"object": "list", "data": data,
                                       "model": request.get("model", "fake-embedding"),
                                       "usage": {"prompt_tokens": 1, "total_tokens": 1}})

    def _send_json(self, handler: Handler, status: int, body: Json,
                   headers: dict[str, str] | None = None) -> None:
        _send(handler, status, json.dumps(body).encode(), headers=headers)

    def _completion(self, handler: Handler, raw: bytes) -> None:
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            request = None
        with self._lock:
            self.requests.append(request if isinstance(request, dict) else {"_raw": raw.decode(
                "utf-8", "replace")})
            self.request_headers.append({k.lower(): v for k, v in handler.headers.items()})
        auth = handler.headers.get("Authorization", "")
        if self.require_key and (not auth.startswith("Bearer ") or not auth[7:].strip()):
            message = ("You didn't provide an API key. You need to provide your API key in an "
                       "Authorization header using Bearer auth (i.e. Authorization: Bearer KEY).")
            return self._send_json(handler, 401, error_body(401, message))
        stream = isinstance(request, dict) and request.get("stream") is True
        fault = self._take(stream)
        if self._stopping.wait(self.latency) or (
                fault and fault.kind == "hang" and self._stopping.wait(fault.seconds)):
            return handler.cut()
        if fault and fault.kind in ("fail", "malformed"):
            return self._send_fault(handler, fault, stream)
        problem = self._validate(request)
        if problem:
            return self._send_json(handler, 400, error_body(400, problem))
        assert isinstance(request, dict)
        text = "" if fault and fault.kind == "empty" else self._reply_text(request)
        if stream:
            return self._stream(handler, request, text, fault.after_chunks if fault and
                                fault.kind == "cut" else None)
        self._send_json(handler, 200, self._completion_body(request, text))

    def _validate(self, request: Any) -> str | None:
        """Why a request body is invalid for chat completions, or None when it is fine."""
        if not isinstance(request, dict):
            return "We could not parse the JSON body of your request."
        if not isinstance(request.get("model"), str) or not request["model"]:
            return "you must provide a model parameter"
        messages = request.get("messages")
        if not isinstance(messages, list) or not messages:
            return "'messages' must be a non-empty array"
        if any(not isinstance(m, dict) or "role" not in m for m in messages):
            return "Invalid value for 'messages': each message needs a 'role'."
        return None

    def _send_fault(self, handler: Handler, fault: _Fault, stream: bool) -> None:
        if fault.kind == "malformed":
            body = str(fault.body)
            if stream:
                handler.start_stream()
                handler.send_chunk(f"data: {body}\n\n".encode())
                return handler.send_chunk(b"")
            return _send(handler, 200, body.encode(), content_type=fault.content_type)
        headers = {}
        if fault.retry_after is not None:
            value = fault.retry_after
            headers["Retry-After"] = str(int(value)) if value == int(value) else str(value)
        if isinstance(fault.body, str):
            return _send(handler, fault.status, fault.body.encode(), headers=headers)
        self._send_json(handler, fault.status, fault.body or error_body(fault.status), headers)

    def _reply_text(self, request: Json) -> str:
        reply = self.reply
        return reply(request) if callable(reply) else reply

    def _ids(self, request: Json) -> Json:
        with self._lock:
            self._counter += 1
            number = self._counter
        return {"id": f"chatcmpl-fake{number:06d}", "created": int(time.time()),
                "model": request.get("model", "gpt-4o-mini"), "system_fingerprint": "fp_fake"}

    def _usage(self, request: Json, text: str) -> Json:
        prompt = "".join(str(m.get("content") or "") for m in request.get("messages", []))
        prompt_tokens, completion_tokens = count_tokens(prompt), count_tokens(text)
        return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens}

    def _completion_body(self, request: Json, text: str) -> Json:
        """A complete ChatCompletion object answering ``request`` with ``text``."""
        return {**self._ids(request), "object": "chat.completion", "choices": [{
            "index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
            "logprobs": None, "finish_reason": "stop"}], "usage": self._usage(request, text)}

    def _stream(self, handler: Handler, request: Json, text: str, cut_after: int | None) -> None:
        """Send the reply as SSE chunks; with ``cut_after``, drop the connection after that many."""
        base = {**self._ids(request), "object": "chat.completion.chunk"}
        usage_wanted = bool((request.get("stream_options") or {}).get("include_usage"))
        extra = {"usage": None} if usage_wanted else {}

        def chunk(delta: Json, finish: str | None = None) -> Json:
            return {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                         "finish_reason": finish}], **extra}

        events = [chunk({"role": "assistant", "content": "", "refusal": None})]
        events += [chunk({"content": piece}) for piece in split_reply(text)]
        events.append(chunk({}, "stop"))
        if usage_wanted:
            events.append({**base, "choices": [], "usage": self._usage(request, text)})
        try:
            handler.start_stream()
            for number, event in enumerate(events):
                if cut_after is not None and number >= cut_after:
                    return handler.cut()
                if number and self._stopping.wait(self.chunk_delay):
                    return handler.cut()
                handler.send_chunk(f"data: {json.dumps(event)}\n\n".encode())
            handler.send_chunk(b"data: [DONE]\n\n")
            handler.send_chunk(b"")
        except OSError:
            self.client_left.set()  # the client closed the stream before its end
            raise
