"""``python -m benchmarks [--quick] [--output DIR]``: run every benchmark, write the report."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from benchmarks.bot import BotBench, run_bot_benchmarks
from benchmarks.engine import measure_engine
from benchmarks.feedback import (
    FeedbackResult,
    load_feedback,
    measure_feedback,
    save_feedback,
)
from benchmarks.report import chart, feedback_section, markdown
from benchmarks.retrieval import measure_retrieval
from bot.evaluation import read_question_set
from bot.settings import BUNDLED_KNOWLEDGE
from knowledge.loading import load_knowledge_file

ROOT = Path(__file__).resolve().parent.parent
FEEDBACK_FILE = "benchmarks-feedback.json"
QUESTION_SETS = [ROOT / "tests" / "data" / "qa.jsonl", ROOT / "tests" / "data" / "qa_holdout.jsonl"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write ``benchmarks.md`` and ``benchmarks.png``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and short runs, for a smoke test (under a minute)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs",
                        help="folder for benchmarks.md and benchmarks.png (default: docs/)")
    parser.add_argument("--feedback-only", action="store_true",
                        help="only the time to first feedback, saved for the next full run")
    parser.add_argument("--bot-root", type=Path, default=ROOT,
                        help="the checkout whose bot is measured end to end (default: this)")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    saved = args.output / FEEDBACK_FILE
    previous = load_feedback(saved)
    if args.feedback_only:
        feedback = run_feedback(args.bot_root, quick=args.quick)
        save_feedback(feedback, saved)
        print("\n".join(feedback_section(feedback, previous)))
        return 0
    questions = [row["q"] for path in QUESTION_SETS for row in read_question_set(path)]
    base = load_knowledge_file(BUNDLED_KNOWLEDGE)
    sizes = [100, 2_000] if args.quick else [100, 10_000, 100_000]
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        # The fake Bot API and model run in this process: measure the bot before the large
        # retrieval corpora swell this process's heap (and its garbage collections).
        overhead, load = run_bot_benchmarks(workdir, quick=args.quick)
        feedback = run_feedback(args.bot_root, quick=args.quick)
        engine = measure_engine(BUNDLED_KNOWLEDGE, questions, workdir,
                                rounds=1 if args.quick else 5, startups=2 if args.quick else 5)
        retrieval = [measure_retrieval(base, questions, size, workdir,
                                       rounds=1 if args.quick else 3) for size in sizes]
    report = markdown(retrieval, engine, overhead, load, feedback, previous, quick=args.quick)
    save_feedback(feedback, saved)
    (args.output / "benchmarks.md").write_text(report, encoding="utf-8")
    drawn = chart(retrieval, load, args.output / "benchmarks.png")
    print(report)
    if not drawn:
        print("(matplotlib is not installed: no chart drawn)", file=sys.stderr)
    return 0


def run_feedback(bot_root: Path, *, quick: bool) -> list[FeedbackResult]:
    """The time to first feedback for 1, 20 and 100 users at once (1 and 5 when quick)."""
    with tempfile.TemporaryDirectory() as work:
        bench = BotBench(Path(work), root=bot_root)
        return asyncio.run(measure_feedback(bench, [1, 5] if quick else [1, 20, 100]))


if __name__ == "__main__":
    raise SystemExit(main())
