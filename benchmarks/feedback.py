"""What a user sees while a slow model writes: the time to the first sign that the bot is
working (a draft or "typing…"), to the first words of the answer, and to the answer."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.bot import QUESTION, BotBench
from benchmarks.progress import progress
from knowledge.usage import percentile
from tests.support.fakes.telegram_api import Call, FakeBotApi

FIRST_PIECE_SECONDS = 0.8
# The fake model streams about six characters a piece: this reply takes about 3 s.
LONG_REPLY = ("OpenAI raised US$6.6 billion in its latest funding round, led by Thrive Capital "
              "with Microsoft, Nvidia and SoftBank joining, which valued the company at US$157 "
              "billion after the money came in [1].")
CHUNK_SECONDS = 0.1
FEEDBACK_ENDPOINTS = ("sendMessageDraft", "sendChatAction", "sendMessage")
PLACEHOLDERS = ("", "…")


@dataclass(frozen=True)
class FeedbackResult:
    """For a number of users asking at once: seconds to first feedback, first text, answer."""

    chats: int
    feedback_p50: float
    feedback_max: float
    text_p50: float
    text_max: float
    answer_p50: float
    answer_max: float


def first_time(calls: list[Call], chat: int, *, text: bool) -> float:
    """When a chat first saw something (with ``text``: the answer's first words)."""
    return min(call.time for call in calls if int(call.params.get("chat_id", 0)) == chat
               and (not text or call.method == "sendMessage"
                    or str(call.params.get("text") or "") not in PLACEHOLDERS))


async def feedback_times(api: FakeBotApi, chats: list[int]) -> FeedbackResult:
    """One question from each chat at once, and what each saw when."""
    asked = {}
    for chat in chats:
        asked[chat] = time.monotonic()
        api.user_text(chat, QUESTION, user_id=chat)
    await api.wait_for_async("sendMessage", count=len(chats), timeout=600,
                             predicate=lambda call: int(call.params["chat_id"]) in asked)
    calls = [call for call in api.calls if call.method in FEEDBACK_ENDPOINTS and call.ok]
    answers = [call for call in calls if call.method == "sendMessage"]
    feedback = [first_time(calls, chat, text=False) - asked[chat] for chat in chats]
    text = [first_time(calls, chat, text=True) - asked[chat] for chat in chats]
    final = [first_time(answers, chat, text=True) - asked[chat] for chat in chats]
    return FeedbackResult(len(chats), percentile(feedback, 0.5), max(feedback),
                          percentile(text, 0.5), max(text), percentile(final, 0.5), max(final))


async def measure_feedback(bench: BotBench, chat_counts: list[int]) -> list[FeedbackResult]:
    """Each number of users asking at once, with a model slow to start and to finish."""
    results = []
    for count in progress(chat_counts, total=len(chat_counts), label="first feedback"):
        async with bench.session(llm_seconds=FIRST_PIECE_SECONDS, concurrent=True,
                                 reply=LONG_REPLY, chunk_seconds=CHUNK_SECONDS) as api:
            await feedback_times(api, [1])  # warm up
            results.append(await feedback_times(api, list(range(30_000, 30_000 + count))))
    return results


def save_feedback(results: list[FeedbackResult], path: Path) -> None:
    """Keep the figures, for the next run's table to show beside its own."""
    path.write_text(json.dumps([asdict(result) for result in results], indent=1) + "\n",
                    encoding="utf-8")


def load_feedback(path: Path) -> dict[int, FeedbackResult]:
    """The figures a previous run kept, by number of users (none when there are none)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {row["chats"]: FeedbackResult(**row) for row in rows}
    except (OSError, ValueError, TypeError, KeyError):
        return {}
