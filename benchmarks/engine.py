"""The offline engine: answers per second in one process, start-up time, memory."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.progress import progress
from bot.engine import Engine
from knowledge.store import KnowledgeStore
from knowledge.versions import load_at_startup
from tests.processes import bot_environment

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class EngineResult:
    """Throughput of the offline engine, time to a first answer, peak memory."""

    questions: int
    answers_per_second: float
    startup_seconds: float
    peak_rss_mb: float


def answers_per_second(knowledge_path: Path, questions: list[str], workdir: Path, *,
                       rounds: int) -> float:
    """Answer every question ``rounds`` times in this process; return answers per second."""
    store = KnowledgeStore.open(workdir / "engine.db")
    load_at_startup(store, knowledge_path)
    engine = Engine(store)

    async def answer_all() -> float:
        batch = [q for _ in range(rounds) for q in questions]
        started = time.perf_counter()
        for question in progress(batch, total=len(batch), label="offline engine"):
            await engine.answer(question)
        return len(batch) / (time.perf_counter() - started)

    try:
        return asyncio.run(answer_all())
    finally:
        store.close()


def _run_bot(args: list[str], data_dir: Path, stdin: str | None = None) -> tuple[float, float]:
    """Run ``python -m bot ARGS`` to the end; its wall time (s) and its own peak memory (MB).

    ``wait4`` reports the resources of this one child, not the largest of all children
    (the full run's 100,000-passage build would otherwise count as the engine's memory).
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=bot_environment(data_dir))
    process.stdin.write(stdin or "")  # type: ignore[union-attr]
    process.stdin.close()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def measure_engine(knowledge_path: Path, questions: list[str], workdir: Path, *,
                   rounds: int, startups: int) -> EngineResult:
    """Throughput in one process; then, in fresh processes, time to the first answer
    (interpreter start, imports, opening the database, answering) and peak memory."""
    throughput = answers_per_second(knowledge_path, questions, workdir, rounds=rounds)
    data_dir = workdir / "startup"
    _run_bot(["knowledge", "build"], data_dir)
    startup = statistics.median(
        _run_bot(["ask", "--json", questions[0]], data_dir)[0]
        for _ in progress(range(startups), total=startups, label="start-up to first answer"))
    _, peak = _run_bot(["ask", "--json"], data_dir, stdin="\n".join(questions))
    return EngineResult(len(questions) * rounds, throughput, startup, peak)
