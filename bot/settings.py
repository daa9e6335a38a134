"""Every setting of the bot, read once from the environment and an optional ``.env`` file.

Build one :class:`Settings` at the entry point and pass it down. Secrets are
``SecretStr`` so they never show up in a repr, a log line or an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_KNOWLEDGE = PROJECT_ROOT / "knowledge" / "data" / "openai-hardware.yaml"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

IdSet = Annotated[frozenset[int], NoDecode]
BackendChoice = Literal["auto", "offline", "openai"]


class Settings(BaseSettings):
    """The bot's configuration. Field names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Storage and knowledge
    data_dir: Path = Field(DEFAULT_DATA_DIR, description="Folder for the database and uploads.")
    database_path: Path | None = Field(
        None, description="SQLite database file (default: DATA_DIR/bot.db).")
    knowledge_path: Path = Field(BUNDLED_KNOWLEDGE, description="The curated knowledge file.")
    heartbeat_path: Path | None = Field(
        None, description="File the running bot touches when the Bot API answers.")
    heartbeat_max_age: float = Field(
        120.0, gt=0, description="Seconds after which `health` calls the heartbeat stale.")

    # Answer engine
    llm_backend: BackendChoice = Field(
        "auto", description="auto uses openai when OPENAI_API_KEY or OPENAI_BASE_URL is set.")
    openai_api_key: SecretStr | None = Field(None, description="Key for the OpenAI-compatible API.")
    openai_base_url: str | None = Field(
        None, description="Root of any OpenAI-compatible API, e.g. http://localhost:11434/v1.")
    openai_model: str = Field("gpt-4o-mini", description="Chat model name.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before an LLM request gives up.")
    llm_max_retries: int = Field(2, ge=0, le=10,
                                 description="Retries on 429 and 5xx, with backoff.")
    llm_temperature: float = Field(0.2, ge=0, le=2)
    llm_max_tokens: int = Field(800, ge=16, le=32_000,
                                description="Most tokens the model may write for one answer.")
    embeddings_base_url: str | None = Field(
        None, description="OpenAI-compatible embeddings API (unset: the bundled model).")
    embeddings_model: str = Field("text-embedding-3-small",
                                  description="Embedding model name at EMBEDDINGS_BASE_URL.")
    embeddings_api_key: SecretStr | None = Field(None, description="Key for that API.")
    memory_turns: int = Field(6, ge=0, le=50, description="Turns remembered per conversation.")
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused.")

    # Telegram
    telegram_bot_token: SecretStr | None = Field(None, description="Token from @BotFather.")
    telegram_api_base_url: str = Field(
        "https://api.telegram.org",
        description="Bot API server root; the bot uses {root}/bot and {root}/file/bot.")
    admin_user_ids: IdSet = Field(frozenset(), description="Comma-separated admin user ids.")
    allowed_user_ids: IdSet = Field(frozenset(), description="If set, only these users may ask.")
    allowed_chat_ids: IdSet = Field(frozenset(), description="If set, only these chats may ask.")
    rate_limit_per_minute: int = Field(10, ge=1, description="Questions a user may ask per minute.")
    max_concurrent_updates: int = Field(
        256, ge=1, le=4096, description="Updates handled at once (1: one at a time).")
    webhook_url: str | None = Field(None, description="Public HTTPS URL; enables webhook mode.")
    webhook_listen: str = Field(
        "127.0.0.1", description="Address the webhook server binds to (the image: 0.0.0.0).")
    webhook_port: int = Field(8443, ge=1, le=65535)
    webhook_secret_token: SecretStr | None = Field(
        None, description="Checked on every webhook request (generated when unset).")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_user_text: bool = Field(
        False, description="Also log what users write and what the bot answers (DEBUG).")

    @field_validator("admin_user_ids", "allowed_user_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(";", ",").split(",")
            return frozenset(int(part) for part in parts if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("openai_base_url", "webhook_url", "openai_api_key", "telegram_bot_token",
                     "webhook_secret_token", "embeddings_base_url", "embeddings_api_key",
                     mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def database_file(self) -> Path:
        """Where the SQLite database lives."""
        return self.database_path or self.data_dir / "bot.db"

    @property
    def heartbeat_file(self) -> Path:
        """Where ``serve`` records that the Bot API answered."""
        return self.heartbeat_path or self.data_dir / "heartbeat"

    def resolve_backend(self, choice: BackendChoice) -> Literal["offline", "openai"]:
        """The backend a choice stands for: ``auto`` is openai when an LLM is configured."""
        if choice != "auto":
            return choice
        return "openai" if self.openai_api_key or self.openai_base_url else "offline"
