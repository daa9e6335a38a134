"""The offline engine: answers per second in one process, start-up time, memory."""

from __future__ import annotations

import asyncio
import os
import resource
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


def _run_bot(args: list[str], data_dir: Path, stdin: str | None = None) -> float:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("OPENAI_", "TELEGRAM_", "LLM_"))}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, text=True,
                   capture_output=True, check=True, env=environment | {"DATA_DIR": str(data_dir)})
    return time.perf_counter() - started


def measure_engine(knowledge_path: Path, questions: list[str], workdir: Path, *,
                   rounds: int, startups: int) -> EngineResult:
    """Throughput in one process; then, in fresh processes, time to the first answer
    (interpreter start, imports, opening the database, answering) and peak memory."""
    throughput = answers_per_second(knowledge_path, questions, workdir, rounds=rounds)
    data_dir = workdir / "startup"
    _run_bot(["knowledge", "build"], data_dir)
    startup = statistics.median(
        _run_bot(["ask", "--json", questions[0]], data_dir)
        for _ in progress(range(startups), total=startups, label="start-up to first answer"))
    _run_bot(["ask", "--json"], data_dir, stdin="\n".join(questions))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return EngineResult(len(questions) * rounds, throughput, startup, peak)
