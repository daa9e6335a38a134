"""Environment for ``python -m bot`` in a child process, free of the developer's settings."""

from __future__ import annotations

import os
from pathlib import Path

# Settings a developer may have exported that would point a child at a real service.
_INHERITED_SETTINGS = ("OPENAI_", "TELEGRAM_", "LLM_", "WEBHOOK_")


def bot_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without bot settings, its data in ``data_dir``, plus
    ``settings``."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(_INHERITED_SETTINGS)}
    return environment | {"DATA_DIR": str(data_dir), **settings}
