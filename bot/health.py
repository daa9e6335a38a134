"""``python -m bot health``: is this bot able to answer? (The container's HEALTHCHECK.)"""

from __future__ import annotations

import argparse
import sys
import time

from bot.settings import Settings
from knowledge.store import StoreError, inspect_database


def health_problems(settings: Settings, *, now: float | None = None) -> tuple[list[str], str]:
    """What is wrong (nothing when healthy), and a one-line summary of what was checked.

    The settings loaded (or this would not run); the database opens read-only and
    serves knowledge; and when ``serve`` is running (its heartbeat file exists), the
    Bot API answered it recently.
    """
    now = time.time() if now is None else now
    try:
        facts, version = inspect_database(settings.database_file)
    except StoreError as error:
        return [str(error)], ""
    problems = [] if facts and version else ["the database serves no knowledge yet"]
    summary = f"version {version}, {facts} facts"
    heartbeat = settings.heartbeat_file
    if heartbeat.exists():
        age = now - heartbeat.stat().st_mtime
        summary += f", Bot API answered {age:.0f} s ago"
        if age > settings.heartbeat_max_age:
            problems.append(f"the Bot API last answered {age:.0f} s ago "
                            f"(limit {settings.heartbeat_max_age:.0f} s)")
    return problems, summary


def run_health(args: argparse.Namespace, settings: Settings) -> int:
    """Print ``ok`` and exit 0 when healthy; print the problems and exit 1 otherwise."""
    problems, summary = health_problems(settings)
    if problems:
        print("unhealthy: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"ok: {summary}")
    return 0
