"""The real ``openai`` client pointed at a fake OpenAI-compatible server."""

from __future__ import annotations

from pydantic import SecretStr

from bot.llm import ChatClient
from tests.support.fakes.openai_api import FakeOpenAI

TEST_KEY = "sk-test-secret"


def chat_client_for(fake: FakeOpenAI, *, timeout: float = 5.0, max_retries: int = 1,
                    max_tokens: int | None = None) -> ChatClient:
    """A client of the fake server, as the bot builds one from its settings."""
    return ChatClient(model="gpt-4o-mini", api_key=SecretStr(TEST_KEY), base_url=fake.base_url,
                      timeout=timeout, max_retries=max_retries, max_tokens=max_tokens)
