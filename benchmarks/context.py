"""What the LLM path hands the model: do the facts in the prompt hold the answer?

No model runs here. A local OpenAI-compatible server plays an extractive model that
answers with every fact it was given, each with its citation, so the real engine,
prompt and ``openai`` client run, and the usual scoring (every ``expect`` group in the
answer, a right paragraph cited, the question's script) measures the facts handed to
the model: a fact question can only be answered right by a model when this passes.
Declines are not measured: the extractive model never declines on its own, so only
questions that the engine keeps from the model are declined.

    python -m benchmarks.context tests/data/qa_holdout3.jsonl ...
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bot import evaluation
from bot.runtime import create_engine, open_knowledge_base
from bot.settings import Settings
from tests.support.fakes.openai_api import FakeOpenAI, quote_every_fact


def format_context(summary: evaluation.Summary) -> str:
    """One line per language: fact questions whose prompt held the answer, and the prompts
    holding a right paragraph."""
    return "\n".join(
        f"{lang:8} facts {evaluation.share(kinds['fact'])}  "
        f"cites {evaluation.share(kinds['cites'])}"
        for lang, kinds in summary.items())


async def _score_files(settings: Settings, files: list[Path]) -> list[tuple[Path, str]]:
    knowledge = open_knowledge_base(settings)
    engine = create_engine(settings, knowledge, backend="openai")
    try:
        return [(path, format_context(evaluation.summarize(
            await evaluation.evaluate(engine, evaluation.read_question_set(path)))))
            for path in files]
    finally:
        await engine.aclose()
        knowledge.close()


def measure_context(files: list[Path], workdir: Path) -> list[tuple[Path, str]]:
    """Per question set, the summary of answers made of exactly the facts in the prompt."""
    with FakeOpenAI(reply=quote_every_fact) as model:
        settings = Settings(data_dir=workdir, openai_base_url=model.base_url,
                            openai_api_key="context-benchmark", llm_max_retries=0,
                            _env_file=None)  # type: ignore[call-arg]
        return asyncio.run(_score_files(settings, files))


def main(argv: list[str] | None = None) -> int:
    """Print, per question set, how often the facts handed to the model hold the answer."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.context",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="question sets (dev_qa format)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="context-") as workdir:
        for path, summary in measure_context(args.files, Path(workdir)):
            print(f"{path} (facts handed to the model):\n{summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
