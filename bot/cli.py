"""The command line: ``python -m bot <command>``.

Each command is a function ``run_<name>(args, settings) -> int`` returning the
exit status. Errors from the lower layers are turned into one-line messages here.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.knowledge_admin import AdminError
from bot.knowledge_cli import add_knowledge_commands
from bot.runtime import create_engine, open_knowledge_base
from bot.settings import Settings
from knowledge.loading import KnowledgeFileError
from knowledge.store import StoreError

Command = Callable[[argparse.Namespace, Settings], int]


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot (long polling, or a webhook server when WEBHOOK_URL is set)."""
    if settings.telegram_bot_token is None:
        print("error: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather",
              file=sys.stderr)
        return 2
    # The composition root: the one place the command line reaches into handlers.
    from handlers.lifecycle import ServeError, protect_logs, serve

    webhook_secret = protect_logs(settings)
    knowledge = open_knowledge_base(settings)
    try:
        serve(settings, create_engine(settings, knowledge), webhook_secret=webhook_secret)
    except ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        knowledge.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="A Telegram bot answering questions about OpenAI's hardware ecosystem.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_knowledge_commands(commands)

    ask = commands.add_parser("ask", help="answer a question, or each line of standard input")
    ask.add_argument("question", nargs="?", help="the question (default: read lines from stdin)")
    ask.add_argument("--json", action="store_true", help="print each answer as one JSON line")
    _add_backend_option(ask)
    ask.add_argument("--conversation", default=None,
                     help="remember the questions under this conversation id (follow-ups)")
    ask.set_defaults(handler=_lazy("bot.terminal", "run_ask"))

    chat = commands.add_parser("chat", help="an interactive chat in the terminal")
    _add_backend_option(chat)
    chat.set_defaults(handler=_lazy("bot.terminal", "run_chat"))

    serve = commands.add_parser("serve", help="run the Telegram bot")
    serve.set_defaults(handler=run_serve)

    health = commands.add_parser("health", help="exit 0 when the bot can answer (HEALTHCHECK)")
    health.set_defaults(handler=_lazy("bot.health", "run_health"))

    calibrate = commands.add_parser(
        "calibrate", help="fit the answer-or-decline model on labelled question sets")
    calibrate.add_argument("files", nargs="+", help="question sets (never the holdout ones)")
    calibrate.add_argument("--write", action="store_true",
                           help="ship the fitted model with the package")
    calibrate.set_defaults(handler=_lazy("bot.calibration", "run_calibrate"))

    evaluate = commands.add_parser("eval", help="score the answers on a question set")
    evaluate.add_argument("files", nargs="+", help="question sets in the dev_qa.jsonl format")
    _add_backend_option(evaluate)
    evaluate.add_argument("--failures", action="store_true", help="print each failed question")
    evaluate.set_defaults(handler=_lazy("bot.terminal", "run_eval"))
    return parser


def _add_backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=["auto", "offline", "openai"], default=None,
                        help="auto (default: LLM_BACKEND) uses openai when a model is configured")


def _lazy(module: str, name: str) -> Command:
    """A command whose module is imported only when it runs, keeping start-up quick."""
    def run(args: argparse.Namespace, settings: Settings) -> int:
        import importlib

        command: Command = getattr(importlib.import_module(module), name)
        return command(args, settings)
    return run


def _load_settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as error:
        # Only field names and messages: the values may be secrets.
        fields = ", ".join(".".join(str(p) for p in item["loc"]) + f" ({item['msg']})"
                           for item in error.errors())
        print(f"error: invalid settings: {fields}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = build_parser().parse_args(argv)
    settings = _load_settings()
    if settings is None:
        return 2
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler: Command = args.handler
    try:
        return handler(args, settings)
    except BrokenPipeError:  # before OSError, of which it is one
        return quiet_broken_pipe()
    except KnowledgeFileError as error:
        print(f"error: the knowledge file is invalid:\n{error}", file=sys.stderr)
        return 1
    except AdminError as error:
        print(f"error: {explain_admin_error(error)}", file=sys.stderr)
        return 1
    except (StoreError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def explain_admin_error(error: AdminError) -> str:
    """One refusal of an admin command, for the terminal: nothing was changed."""
    if error.code == "invalid_knowledge":
        return f"the knowledge file is invalid:\n{error.detail}"
    if error.code == "unsupported":
        return f"{error.detail}: expected a file ending in {', '.join(error.expected)}"
    return str(error)


def quiet_broken_pipe() -> int:
    """The reader of our output went away (``ask … | head``): exit quietly, as Unix tools do.

    Python would report the failed flush of stdout at exit: point stdout at /dev/null first.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + signal.SIGPIPE
