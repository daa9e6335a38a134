"""Settings: parsing, secrets and documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_settings_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in readme]
    assert missing == []


def test_settings_id_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USER_IDS", "12, 34;56")
    monkeypatch.setenv("ALLOWED_CHAT_IDS", "-100123")
    settings = Settings(_env_file=None)
    assert settings.admin_user_ids == {12, 34, 56}
    assert settings.allowed_chat_ids == {-100123}
    assert settings.allowed_user_ids == frozenset()


def test_settings_secrets_never_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token")
    settings = Settings(_env_file=None)
    assert "sk-secret-value" not in repr(settings) and "secret-token" not in str(settings)
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-secret-value"


def test_settings_blank_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("OPENAI_BASE_URL", " ")
    settings = Settings(_env_file=None)
    assert settings.openai_api_key is None and settings.openai_base_url is None
    assert settings.resolve_backend("auto") == "offline"


def test_settings_database_defaults_into_the_data_folder(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_PATH", raising=False)
    assert Settings(_env_file=None).database_file == tmp_path / "bot.db"
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "other.db"))
    assert Settings(_env_file=None).database_file == tmp_path / "other.db"
