"""The fake OpenAI-compatible server, driven by the real openai client."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion

from tests.support.fakes.http_server import raw_post
from tests.support.fakes.openai_api import FakeOpenAI


@pytest.fixture
def llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(reply="Default answer [1].") as fake:
        yield fake


def client_for(llm: FakeOpenAI, **kwargs: Any) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=llm.base_url, api_key="sk-test", **kwargs)




# ----- FakeOpenAI -------------------------------------------------------------------------------


async def ask(client: AsyncOpenAI, content: str = "x", model: str = "m") -> ChatCompletion:
    """One non-streaming chat completion with a single user message."""
    return await client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": content}])


def content_of(answer: ChatCompletion) -> str | None:
    return answer.choices[0].message.content


async def test_openai_completion_returns_reply(llm: FakeOpenAI) -> None:
    async with client_for(llm) as client:
        answer = await ask(client, "What is an NPU?", model="gpt-4o-mini")
    assert content_of(answer) == "Default answer [1]."
    assert answer.model == "gpt-4o-mini" and answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and answer.usage.completion_tokens == 19 // 4 + 1
    assert llm.requests[0]["messages"][0]["content"] == "What is an NPU?"
    assert llm.request_headers[0]["authorization"] == "Bearer sk-test"


async def test_openai_callable_reply_and_empty(llm: FakeOpenAI) -> None:
    llm.reply = lambda request: f"echo: {request['messages'][-1]['content']}"
    async with client_for(llm) as client:
        assert content_of(await ask(client, "ping")) == "echo: ping"
        llm.empty_next()
        assert content_of(await ask(client, "ping")) == ""
        assert [m.id for m in (await client.models.list()).data] == ["gpt-4o-mini", "gpt-4o"]


async def test_openai_streaming_with_usage(llm: FakeOpenAI) -> None:
    llm.chunk_delay = 0.01
    async with client_for(llm) as client:
        stream = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True,
            stream_options={"include_usage": True})
        chunks = [chunk async for chunk in stream]
    pieces = [c.choices[0].delta.content for c in chunks if c.choices]
    contents = [piece for piece in pieces if piece]
    assert "".join(contents) == "Default answer [1]." and len(contents) >= 8
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == (2 // 4 + 1) + (19 // 4 + 1)


async def test_openai_server_error_then_success_with_retry(llm: FakeOpenAI) -> None:
    llm.fail_next(500)
    async with client_for(llm, max_retries=1) as client:
        assert content_of(await ask(client)) == "Default answer [1]."
    assert len(llm.requests) == 2


async def test_openai_rate_limit_with_retry_after(llm: FakeOpenAI) -> None:
    llm.fail_next(429, retry_after=0.3)
    async with client_for(llm, max_retries=0) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            await ask(client)
    assert caught.value.response.headers["retry-after"] == "0.3"
    assert caught.value.code == "rate_limit_exceeded"
    llm.fail_next(429, retry_after=0.3)
    started = time.monotonic()
    async with client_for(llm, max_retries=1) as client:
        await ask(client)
    assert time.monotonic() - started >= 0.3 and len(llm.requests) == 3


async def test_openai_malformed_json(llm: FakeOpenAI) -> None:
    llm.malformed_next(content_type="text/html", body=b"<html>502 Bad Gateway</html>")
    async with client_for(llm, _strict_response_validation=True) as client:
        with pytest.raises(openai.APIResponseValidationError) as caught:
            await ask(client)
    assert isinstance(caught.value, openai.APIError)
    llm.malformed_next()
    async with client_for(llm) as client:  # the default client lets json's own error through
        with pytest.raises(json.JSONDecodeError):
            await ask(client)


async def test_openai_hang_beyond_client_timeout(llm: FakeOpenAI) -> None:
    llm.hang_next(5)
    started = time.monotonic()
    async with client_for(llm, max_retries=0, timeout=0.5) as client:
        with pytest.raises(openai.APITimeoutError):
            await ask(client)
    assert time.monotonic() - started < 2


async def test_openai_cut_stream_raises(llm: FakeOpenAI) -> None:
    llm.cut_stream_next(after_chunks=2)
    async with client_for(llm, max_retries=0) as client:
        assert content_of(await ask(client)) == "Default answer [1]."  # not consumed
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}], stream=True)
        received: list[Any] = []
        with pytest.raises(openai.APIConnectionError):
            async for chunk in stream:
                received.append(chunk)
    assert len(received) == 2


async def test_openai_latency_requests_run_concurrently(llm: FakeOpenAI) -> None:
    llm.latency = 0.5
    started = time.monotonic()
    async with client_for(llm) as client:
        await asyncio.gather(*(ask(client) for _ in range(3)))
    assert 0.5 <= time.monotonic() - started < 1.4


def test_openai_require_key_and_bad_request() -> None:
    with FakeOpenAI(require_key=True) as llm:
        url = f"{llm.base_url}/chat/completions"
        status, body = raw_post(url, b'{"model": "m", "messages": []}')
        assert status == 401 and body["error"]["type"] == "invalid_request_error"
    with FakeOpenAI() as llm:
        status, body = raw_post(f"{llm.base_url}/chat/completions", b'{"model": "m"}')
        assert status == 400 and "messages" in body["error"]["message"]
