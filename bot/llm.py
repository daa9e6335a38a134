"""The LLM client: any OpenAI-compatible chat completions API, through the ``openai`` package.

This is the only module that imports ``openai``, and only once a client is made:
the package takes half a second to import, which the offline bot never pays.
Every failure leaves it as an :class:`LLMError` with a ``kind`` the engine can
act on (and log), so callers never see the library's exceptions.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from knowledge.errors import CodedError

if TYPE_CHECKING:
    import openai

ErrorKind = Literal["timeout", "rate_limited", "server", "auth", "connection", "bad_request",
                    "bad_response", "stopped"]
# Errors of the HTTP stack under openai (a connection cut while a reply streams).
_TRANSPORT_PACKAGES = frozenset({"httpx", "httpx2", "httpcore", "httpcore2", "h11", "anyio"})
Message = dict[str, str]


class LLMError(CodedError):
    """The model gave no usable answer; ``code`` says why."""

    code: ErrorKind

    def __init__(self, code: ErrorKind, detail: str):
        super().__init__(code, detail)


@dataclass
class Usage:
    """Tokens a reply used, when the server reports them (filled in as the reply arrives)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def _as_llm_error(error: Exception) -> LLMError:
    """Classify the openai package's exceptions (and malformed replies)."""
    import openai

    match error:
        case openai.APITimeoutError():
            return LLMError("timeout", "the model did not answer in time")
        case openai.RateLimitError():
            return LLMError("rate_limited", "the model's rate limit was hit")
        case openai.AuthenticationError() | openai.PermissionDeniedError():
            return LLMError("auth", "the API key was refused")
        case openai.APIStatusError(status_code=status) if status >= 500:
            return LLMError("server", f"the model server answered {status}")
        case openai.APIStatusError(status_code=status):
            return LLMError("bad_request", f"the model server answered {status}")
        case openai.APIConnectionError():
            return LLMError("connection", "the model server could not be reached")
    if type(error).__module__.split(".")[0] in _TRANSPORT_PACKAGES:
        return LLMError("connection", "the connection to the model server broke")
    return LLMError("bad_response", f"the model's reply could not be read ({type(error).__name__})")


class ChatClient:
    """Sends chat messages to the configured model, whole or streamed."""

    def __init__(self, *, model: str, api_key: SecretStr | None = None, base_url: str | None = None,
                 timeout: float = 30.0, max_retries: int = 2, temperature: float = 0.2,
                 max_tokens: int | None = None):
        # Local servers (Ollama, llama.cpp, vLLM) need no key, but the client insists on one.
        key = api_key.get_secret_value() if api_key else "no-key-needed"
        import openai

        self._client: openai.AsyncOpenAI = openai.AsyncOpenAI(
            api_key=key, base_url=base_url, timeout=timeout, max_retries=max_retries)
        self.model = model
        self.temperature = temperature
        # The length limit of a reply is sent only when one is set.
        self._max_tokens: int | openai.Omit = max_tokens or openai.omit

    async def close(self) -> None:
        """Release the HTTP connections."""
        await self._client.close()

    async def complete(self, messages: list[Message], *, usage: Usage | None = None) -> str:
        """The model's whole reply; raises LLMError. Token counts go into ``usage``."""
        try:
            response = await self._client.chat.completions.create(
                model=self.model, messages=messages,  # type: ignore[arg-type]
                temperature=self.temperature, max_tokens=self._max_tokens)
            text = response.choices[0].message.content
        except Exception as error:  # every failure, including a reply of the wrong shape
            raise _as_llm_error(error) from error
        if not text or not text.strip():
            raise LLMError("bad_response", "the model's reply was empty")
        if usage is not None and response.usage is not None:
            usage.prompt_tokens = response.usage.prompt_tokens
            usage.completion_tokens = response.usage.completion_tokens
        return text

    async def stream(self, messages: list[Message], *,
                     usage: Usage | None = None) -> AsyncGenerator[str, None]:
        """The model's reply as it is written, piece by piece; raises LLMError.

        Token counts, when the server reports them, go into ``usage``: one object per
        call, since many answers stream at the same time.
        """
        received = False
        try:
            stream = await self._client.chat.completions.create(
                model=self.model, messages=messages,  # type: ignore[call-overload]
                temperature=self.temperature, max_tokens=self._max_tokens, stream=True,
                stream_options={"include_usage": True})
        except Exception as error:
            raise _as_llm_error(error) from error
        try:
            async for chunk in stream:
                if chunk.usage is not None and usage is not None:
                    usage.prompt_tokens = chunk.usage.prompt_tokens
                    usage.completion_tokens = chunk.usage.completion_tokens
                piece = _delta_text(chunk)
                if piece:
                    received = True
                    yield piece
        except Exception as error:  # a cut connection surfaces as the HTTP library's error
            raise _as_llm_error(error) from error
        finally:
            await stream.close()
        if not received:
            raise LLMError("bad_response", "the model's reply was empty")


def _delta_text(chunk: Any) -> str:
    if not chunk.choices:
        return ""
    return chunk.choices[0].delta.content or ""
