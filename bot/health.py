"""``python -m bot health``: is this bot able to answer? (The container's HEALTHCHECK.)

While ``serve`` runs it keeps a heartbeat file: rewritten whenever the Bot API
answers, holding the problem that keeps the bot from being reached when there is
one (the Bot API cannot be reached yet, Telegram cannot deliver to the webhook).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from bot.settings import Settings
from knowledge.store import StoreError, inspect_database


def record_heartbeat(path: Path, *, problem: str | None = None) -> None:
    """Record that the Bot API answered just now (``problem``: what is wrong nonetheless),
    or, with a problem and no answer, that the bot cannot be reached."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(json.dumps({"problem": problem}), encoding="utf-8")
        os.replace(partial, path)  # a reader never sees half a file
    except OSError:
        pass  # a read-only data folder must not stop the bot; health will say it is stale


def clear_heartbeat(path: Path) -> None:
    """Remove the heartbeat (the bot stopped cleanly: nothing is running to check)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def heartbeat_problem(path: Path) -> str | None:
    """The problem the running bot recorded, if any."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    problem = recorded.get("problem") if isinstance(recorded, dict) else None
    return str(problem) if problem else None


def health_problems(settings: Settings, *, now: float | None = None) -> tuple[list[str], str]:
    """What is wrong (nothing when healthy), and a one-line summary of what was checked.

    The settings loaded (or this would not run); the database opens read-only and
    serves knowledge; and when ``serve`` is running (its heartbeat file exists), the
    Bot API answered it recently and it recorded no problem.
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
        if problem := heartbeat_problem(heartbeat):
            problems.append(problem)
        elif age > settings.heartbeat_max_age:
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
