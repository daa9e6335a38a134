"""Writing the results: a Markdown table per benchmark and one PNG chart."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.bot import LoadResult, OverheadResult
from benchmarks.engine import EngineResult
from benchmarks.feedback import CHUNK_SECONDS, FIRST_PIECE_SECONDS, FeedbackResult
from benchmarks.retrieval import RetrievalResult

TARGET_CHAT_SECONDS = {1: 1.5, 20: 3.0, 100: 5.0}


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def markdown(retrieval: list[RetrievalResult], engine: EngineResult, overhead: OverheadResult,
             load: list[LoadResult], feedback: list[FeedbackResult],
             previous: dict[int, FeedbackResult], *, quick: bool) -> str:
    """The whole report as Markdown."""
    lines = [
        "# Benchmarks", "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
        + (" (quick run: smaller sizes, shorter model delay)" if quick else "") + ".",
        "Reproduce with `make bench` (or `python -m benchmarks`); `--quick` for a smoke run.",
        *_retrieval_section(retrieval), *_engine_section(engine),
        *_bot_section(overhead, load, quick=quick), *feedback_section(feedback, previous),
    ]
    return "\n".join(lines) + "\n\n![Benchmarks](benchmarks.png)\n"


def _retrieval_section(retrieval: list[RetrievalResult]) -> list[str]:
    lines = [
        "", "## Retrieval", "",
        "Real facts plus generated passages (Zipf-distributed words from the real vocabulary); "
        "the project's questions, each asked several times (its vector is then remembered: "
        "the times are the search's, lexical and semantic). The generated passages get random "
        "unit vectors instead of embedded ones: embedding 200,000 statements with the bundled "
        "model would take hours. The real facts' vectors are the shipped ones.", "",
        "| passages | generated vectors | build | database | p50 | p99 | queries | target |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in retrieval:
        target = f"p99 < 100 ms {_mark(r.p99_ms < 100)}" if r.passages >= 100_000 else ""
        lines.append(f"| {r.passages:,} | {r.generated_vectors:,} | {r.build_seconds:.1f} s | "
                     f"{r.database_mb:.1f} MB | {r.p50_ms:.2f} ms | {r.p99_ms:.2f} ms | "
                     f"{r.queries} | {target} |")
    return lines


def _engine_section(engine: EngineResult) -> list[str]:
    return [
        "", "## Offline engine", "",
        "| measure | value | target |", "| --- | ---: | --- |",
        f"| answers per second, one process ({engine.questions} questions) | "
        f"{engine.answers_per_second:.0f} | |",
        f"| one offline answer, question embedding included: p50 | {engine.p50_ms:.1f} ms | "
        f"< 50 ms {_mark(engine.p50_ms < 50)} |",
        f"| start-up to first answer (`python -m bot ask`, fresh process) | "
        f"{engine.startup_seconds:.2f} s | < 1.5 s {_mark(engine.startup_seconds < 1.5)} |",
        # The embedding model (multilingual-e5-small, 4-bit) takes about 120 MB of it.
        f"| peak resident memory of that process answering a batch | {engine.peak_rss_mb:.0f} MB"
        f" | < 300 MB {_mark(engine.peak_rss_mb < 300)} |",
    ]


def _bot_section(overhead: OverheadResult, load: list[LoadResult], *, quick: bool) -> list[str]:
    lines = [
        "", "## The bot end to end", "",
        "`python -m bot serve` in its own process, a fake Bot API and a fake OpenAI-compatible "
        "model on 127.0.0.1; time from handing the update to the Bot API to the bot's "
        "`sendMessage` arriving there. Per-message times are one message at a time, paced at "
        "25 a second (under Telegram's 30, which the bot's rate limiter enforces); throughput "
        "is all the chats at once, so it shows that limit.", "",
        "| measure | value | target |", "| --- | ---: | --- |",
        f"| per message, instant model: p50 | {overhead.p50_ms:.1f} ms | "
        f"< 50 ms {_mark(overhead.p50_ms < 50)} |",
        f"| per message, instant model: p95 | {overhead.p95_ms:.1f} ms | |",
        f"| throughput, {overhead.messages} chats at once | {overhead.throughput:.0f} messages/s"
        " | (Telegram allows about 30 messages/s overall) |",
        "", "| chats at once | model delay | handling | p50 | slowest | target |",
        "| ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for run in load:
        limit = TARGET_CHAT_SECONDS.get(run.chats) if run.concurrent and not quick else None
        verdict = f"< {limit:g} s {_mark(run.max_seconds < limit)}" if limit else ""
        lines.append(f"| {run.chats} | {run.llm_seconds:g} s | "
                     f"{'concurrent' if run.concurrent else 'one at a time'} | "
                     f"{run.p50_seconds:.2f} s | {run.max_seconds:.2f} s | {verdict} |")
    return lines


def feedback_section(feedback: list[FeedbackResult],
                     previous: dict[int, FeedbackResult]) -> list[str]:
    """What users see while a slow model writes, beside the previous run's figures."""
    lines = [
        "", "### While the model writes", "",
        f"A streaming model whose first piece comes after {FIRST_PIECE_SECONDS:g} s and the "
        f"rest {CHUNK_SECONDS:g} s apart (about 3 s in all); users asking at once in private "
        "chats. First feedback: the first draft or chat action in the chat; first text: the "
        "first draft (or message) holding the answer's words; answer: the final message. "
        "p50 / slowest, in seconds; the previous run's figures in brackets.", "",
        "| users at once | first feedback | first text | answer | target |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    for run in feedback:
        before = previous.get(run.chats)
        cells = " | ".join(_timing_cell(run, before, field)
                           for field in ("feedback", "text", "answer"))
        lines.append(f"| {run.chats} | {cells} | feedback < 0.5 s "
                     f"{_mark(run.feedback_max < 0.5)} |")
    return lines


def _timing_cell(run: FeedbackResult, before: FeedbackResult | None, field: str) -> str:
    """'p50 / slowest' of one measure, with the previous run's in brackets."""
    def pair(result: FeedbackResult) -> str:
        return f"{getattr(result, field + '_p50'):.2f} / {getattr(result, field + '_max'):.2f}"

    return pair(run) + (f" ({pair(before)})" if before is not None else "")


def chart(retrieval: list[RetrievalResult], load: list[LoadResult], path: Path) -> bool:
    """Draw retrieval latency by size and reply times by load; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    sizes = [r.passages for r in retrieval]
    left.plot(sizes, [r.p50_ms for r in retrieval], "o-", label="p50")
    left.plot(sizes, [r.p99_ms for r in retrieval], "s--", label="p99")
    left.set(xscale="log", xlabel="passages", ylabel="ms per question",
             title="Retrieval latency")
    left.legend()
    counts = sorted({r.chats for r in load})
    for offset, concurrent in ((-0.2, True), (0.2, False)):
        slowest = [next(r.max_seconds for r in load if r.chats == c and r.concurrent == concurrent)
                   for c in counts]
        right.bar([i + offset for i in range(len(counts))], slowest, width=0.4,
                  label="concurrent" if concurrent else "one at a time")
    right.set(xticks=range(len(counts)), xticklabels=[str(c) for c in counts],
              xlabel="chats asking at once", ylabel="slowest reply (s)", yscale="log",
              title=f"Bot with a {load[0].llm_seconds:g} s model")
    right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
