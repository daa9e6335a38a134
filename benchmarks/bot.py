"""The bot end to end: ``python -m bot serve`` against a fake Bot API and a fake model.

The bot runs in its own process, as deployed; the fakes run here, on 127.0.0.1.
Latency is measured from the moment an update is handed to the fake Bot API to
the moment the bot's ``sendMessage`` for it arrives there.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.progress import progress
from knowledge.usage import percentile
from tests.support.fakes.openai_api import FakeOpenAI
from tests.support.fakes.telegram_api import FakeBotApi
from tests.support.processes import bot_environment
from tests.support.telegram import BOT_ID, BOT_USERNAME, TOKEN

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How much did OpenAI raise in its latest round?"
REPLY = "OpenAI raised US$6.6 billion in its latest round [1]."

OVERHEAD_PACE = 1 / 25


@dataclass(frozen=True)
class LoadResult:
    """Chats asking at once: how long until each was answered."""

    chats: int
    llm_seconds: float
    concurrent: bool
    p50_seconds: float
    max_seconds: float


@dataclass(frozen=True)
class OverheadResult:
    """With an instant model: time per message, and messages per second under load."""

    messages: int
    p50_ms: float
    p95_ms: float
    throughput: float


async def answer_times(api: FakeBotApi, chats: list[int]) -> list[float]:
    """Send one question from each chat at once; seconds until each chat's reply."""
    already = len(api.calls_to("sendMessage"))
    pushed = {}
    for chat in chats:
        pushed[chat] = time.monotonic()
        api.user_text(chat, QUESTION, user_id=chat)
    calls = await api.wait_for_async("sendMessage", count=already + len(chats), timeout=600)
    replied: dict[int, float] = {}
    for call in calls:
        chat = int(call.params["chat_id"])
        if chat in pushed:
            replied.setdefault(chat, call.time)
    return [replied[chat] - pushed[chat] for chat in chats]


class BotBench:
    """Runs the bot as a separate ``serve`` process for each configuration (the bot of
    ``root``: this checkout, or another one to compare with)."""

    def __init__(self, workdir: Path, *, root: Path = ROOT):
        self.workdir = workdir
        self.root = root
        self.runs = 0

    @contextlib.asynccontextmanager
    async def session(self, *, llm_seconds: float, concurrent: bool, reply: str = REPLY,
                      chunk_seconds: float = 0.0) -> AsyncIterator[FakeBotApi]:
        """A running bot whose model takes ``llm_seconds`` before its first piece (and
        ``chunk_seconds`` between pieces); yields the Bot API."""
        self.runs += 1
        with FakeBotApi(token=TOKEN, bot_id=BOT_ID, username=BOT_USERNAME) as api, \
                FakeOpenAI(reply=reply) as model:
            model.latency = llm_seconds
            model.chunk_delay = chunk_seconds
            environment = bot_environment(
                self.workdir / f"bot-{self.runs}",
                TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.root,
                OPENAI_BASE_URL=model.base_url, OPENAI_API_KEY="sk-bench", LLM_MAX_RETRIES="0",
                RATE_LIMIT_PER_MINUTE="100000", LOG_LEVEL="WARNING",
                MAX_CONCURRENT_UPDATES="256" if concurrent else "1")
            process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=self.root,
                                       env=environment, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            try:
                # Polling starts right after the webhook is cleared.
                await api.wait_for_async("deleteWebhook", timeout=60)
                yield api
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.to_thread(process.wait, 15)
                except subprocess.TimeoutExpired:
                    process.kill()  # never leave a bot polling after the benchmark
                    await asyncio.to_thread(process.wait)


async def measure_load(bench: BotBench, chat_counts: list[int],
                       llm_seconds: float) -> list[LoadResult]:
    """Each number of chats asking at once, handled concurrently and one at a time."""
    results = []
    runs = [(chats, concurrent) for chats in chat_counts for concurrent in (True, False)]
    for chats, concurrent in progress(runs, total=len(runs), label="chats at once"):
        async with bench.session(llm_seconds=llm_seconds, concurrent=concurrent) as api:
            await answer_times(api, [1])  # warm up
            times = await answer_times(api, list(range(10_000, 10_000 + chats)))
        results.append(LoadResult(chats, llm_seconds, concurrent, percentile(times, 0.5),
                                  max(times)))
    return results


async def measure_overhead(bench: BotBench, messages: int) -> OverheadResult:
    """With an instant model: one message at a time, then all of them at once."""
    async with bench.session(llm_seconds=0.0, concurrent=True) as api:
        await answer_times(api, [1])  # warm up connections and caches
        single = []
        for chat in progress(range(100, 100 + messages), total=messages,
                             label="per-message overhead"):
            single += await answer_times(api, [chat])
            # Paced under Telegram's 30 messages/s, which the bot's rate limiter enforces:
            # faster, the figure would be the limiter's queue, measured below as throughput.
            await asyncio.sleep(OVERHEAD_PACE)
        await asyncio.sleep(1.0)  # let the limiter's bucket refill before the burst
        started = time.monotonic()
        await answer_times(api, list(range(20_000, 20_000 + messages)))
        throughput = messages / (time.monotonic() - started)
    return OverheadResult(messages, percentile(single, 0.5) * 1000,
                          percentile(single, 0.95) * 1000, throughput)


def run_bot_benchmarks(workdir: Path, *, quick: bool) -> tuple[OverheadResult, list[LoadResult]]:
    """All end-to-end measurements."""
    bench = BotBench(workdir)

    async def everything() -> tuple[OverheadResult, list[LoadResult]]:
        overhead = await measure_overhead(bench, 20 if quick else 100)
        load = await measure_load(bench, [1, 5] if quick else [1, 20, 100],
                                  0.2 if quick else 1.0)
        return overhead, load

    return asyncio.run(everything())
