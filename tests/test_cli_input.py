"""Bad input at the command line, as a new user gives it: empty questions, pipes, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.processes import bot_environment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run ``main`` in this process with its data in a temporary folder and no model."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "TELEGRAM_", "LLM_", "WEBHOOK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return tmp_path


@pytest.mark.parametrize("question", ["", " ", "？？"])
def test_cli_ask_empty_question_gets_the_polite_request(
        data_dir: Path, capsys: pytest.CaptureFixture[str], question: str) -> None:
    assert main(["ask", question]) == 0
    out = capsys.readouterr().out
    assert "Please type a question" in out and "•" in out


def test_cli_ask_json_echoes_each_question_so_answers_match_their_input(
        data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        "When was Figure AI founded?\n\n   \nWho is Jim Keller?\n"))
    assert main(["ask", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["question"] for line in lines] == ["When was Figure AI founded?",
                                                    "Who is Jim Keller?"]


@pytest.mark.slow
def test_cli_ask_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    questions = "When was Figure AI founded?\n" * 200
    environment = bot_environment(tmp_path)
    result = subprocess.run(f"{sys.executable} -m bot ask | head -n 1", shell=True, cwd=ROOT,
                            input=questions, capture_output=True, text=True, env=environment,
                            timeout=120)
    assert "2022" in result.stdout
    assert "Traceback" not in result.stderr and "Broken" not in result.stderr, result.stderr


@pytest.mark.slow
def test_cli_chat_ctrl_c_at_the_prompt_exits_at_once(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "bot", "chat"], cwd=ROOT,
                               env=bot_environment(tmp_path), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        while "backend:" not in process.stdout.readline():  # the banner: the prompt is next
            pass
        time.sleep(0.3)  # let it reach the prompt; stdin stays open, as a terminal's would
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        process.kill()
        stderr = process.communicate()[1]
    assert took < 3 and status in (0, 130) and "Traceback" not in stderr
