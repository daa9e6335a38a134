"""The offline engine: answers per second in one process, start-up time, memory."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.progress import progress
from bot.engine import Engine
from knowledge.serving import KnowledgeService
from knowledge.store import KnowledgeStore
from knowledge.versions import load_at_startup
from tests.support.processes import bot_environment

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class EngineResult:
    """Throughput of the offline engine, time to a first answer, peak memory."""

    questions: int
    answers_per_second: float
    startup_seconds: float
    peak_rss_mb: float
    p50_ms: float = 0.0


def answers_per_second(knowledge_path: Path, questions: list[str], workdir: Path, *,
                       rounds: int) -> tuple[float, float]:
    """Answer every question ``rounds`` times in this process; return answers per second and
    the median time of one answer (ms), the question's embedding included."""
    store = KnowledgeStore.open(workdir / "engine.db")
    load_at_startup(store, knowledge_path)
    store.close()
    knowledge = KnowledgeService(workdir / "engine.db")
    engine = Engine(knowledge)

    async def answer_all() -> tuple[float, float]:
        # Distinct questions each round, so that no answer comes from remembered vectors.
        batch = [f"{q} {'?' * round_}" for round_ in range(rounds) for q in questions]
        timings = []
        started = time.perf_counter()
        for question in progress(batch, total=len(batch), label="offline engine"):
            one = time.perf_counter()
            await engine.answer(question)
            timings.append((time.perf_counter() - one) * 1000)
        return len(batch) / (time.perf_counter() - started), statistics.median(timings)

    try:
        return asyncio.run(answer_all())
    finally:
        knowledge.close()


# Runs ``python -m bot`` and then reports the process's own peak memory (VmHWM). The rusage a
# parent gets for a child is no good here: Linux carries the parent's peak over into the child
# at exec, so a child of a large benchmark process would seem as large.
_REPORT_PEAK = """
import runpy, sys
sys.argv = ["bot", *sys.argv[1:]]
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    print("PEAK_KB", peak.split()[1], file=sys.stderr)
"""


def _run_bot(args: list[str], data_dir: Path, stdin: str | None = None) -> tuple[float, float]:
    """Run ``python -m bot ARGS`` to the end; its wall time (s) and its own peak memory (MB)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _REPORT_PEAK, *args], cwd=ROOT, input=stdin,
                            text=True, capture_output=True, check=True,
                            env=bot_environment(data_dir))
    took = time.perf_counter() - started
    peaks = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("PEAK_KB")]
    return took, int(peaks[-1]) / 1024 if peaks else float("nan")


def measure_engine(knowledge_path: Path, questions: list[str], workdir: Path, *,
                   rounds: int, startups: int) -> EngineResult:
    """Throughput in one process; then, in fresh processes, time to the first answer
    (interpreter start, imports, opening the database, answering) and peak memory."""
    throughput, p50 = answers_per_second(knowledge_path, questions, workdir, rounds=rounds)
    data_dir = workdir / "startup"
    _run_bot(["knowledge", "build"], data_dir)
    startup = statistics.median(
        _run_bot(["ask", "--json", questions[0]], data_dir)[0]
        for _ in progress(range(startups), total=startups, label="start-up to first answer"))
    _, peak = _run_bot(["ask", "--json"], data_dir, stdin="\n".join(questions))
    return EngineResult(len(questions) * rounds, throughput, startup, peak, p50)
