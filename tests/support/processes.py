"""Child processes of ``python -m bot``, as users and operators run it, free of the
developer's settings: a command to completion, or ``serve`` until it is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings a developer may have exported that would point a child at a real service.
INHERITED_SETTINGS = ("OPENAI_", "TELEGRAM_", "LLM_", "WEBHOOK_", "EMBEDDINGS_")


def bot_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without bot settings, its data in ``data_dir``, plus
    ``settings``."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(INHERITED_SETTINGS)}
    return environment | {"DATA_DIR": str(data_dir), **settings}


def run_bot(*args: str, data_dir: Path, stdin: str | None = None,
            env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot`` to completion with its data in ``data_dir`` and no model."""
    environment = bot_environment(data_dir, **(env or {}))
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, env=environment, timeout=timeout)


def start_serve(data_dir: Path, **env: str) -> subprocess.Popen[str]:
    """Start the bot in a child process with DEBUG logs on stderr."""
    environment = bot_environment(data_dir, **{"LOG_LEVEL": "DEBUG", **env})
    return subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen[str], *, timeout: float = 10.0) -> tuple[int, str, str]:
    """SIGTERM the bot (as docker stop does) and collect its exit status and output."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return finish(process, timeout=timeout)


def finish(process: subprocess.Popen[str], *, timeout: float = 60.0) -> tuple[int, str, str]:
    """Wait for the bot to exit by itself; collect its exit status and output."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


def wait_for_port(port: int, *, timeout: float = 30.0) -> None:
    """Wait until something listens on the port (the bot's webhook server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
