"""Scoring the engine on a question set (the format of ../shared/eval/dev_qa.jsonl).

A ``fact`` question passes when the answer is given, every ``expect`` group has
a string in the answer (after OpenCC t2s and lower-casing), one of the cited
facts comes from one of ``paras``, and the answer is in the question's script.
An ``offtopic`` question passes when it is declined with no facts cited.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.answers import Answer
from bot.engine import Engine
from bot.language import LANGUAGES, detect_language, to_script
from knowledge.text import converter, has_han


@dataclass(frozen=True)
class Result:
    """How the engine did on one question."""

    id: str
    lang: str
    kind: str
    passed: bool
    expect_ok: bool
    cites_ok: bool
    script_ok: bool
    answered: bool
    answer: str


def read_question_set(path: Path) -> list[dict]:
    """The questions of a JSON-lines question set."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def script_matches(text: str, language: str) -> bool:
    """Tell whether a text is written in the given language and script."""
    if language == "en":
        return not has_han(text)
    if language == "zh-Hans":
        return has_han(text) and to_script(text, "zh-Hans") == text
    return has_han(text) and detect_language(text) == "zh-Hant"


def expectations_met(text: str, groups: list[list[str]]) -> bool:
    """Tell whether every group has one of its strings in the text, as the judges check:
    after plain OpenCC t2s (no regional phrasing) and lower-casing."""
    folded = converter("t2s").convert(text).lower()
    return all(any(option.lower() in folded for option in group) for group in groups)


def score(row: dict, answer: Answer) -> Result:
    """Judge one answer against its question-set row."""
    script_ok = script_matches(answer.text, row["lang"])
    if row["kind"] == "offtopic":
        declined = not answer.answered and not answer.citations
        return Result(row["id"], row["lang"], row["kind"], declined, True, True, script_ok,
                      answer.answered, answer.text)
    expect_ok = expectations_met(answer.text, row.get("expect", []))
    cited = {number for citation in answer.citations for number in citation.paragraphs}
    cites_ok = bool(cited & set(row.get("paras", [])))
    passed = answer.answered and expect_ok and cites_ok and script_ok
    return Result(row["id"], row["lang"], row["kind"], passed, expect_ok, cites_ok, script_ok,
                  answer.answered, answer.text)


async def evaluate(engine: Engine, rows: list[dict]) -> list[Result]:
    """Answer every question (each on its own, no memory) and score the answers."""
    return [score(row, await engine.answer(row["q"])) for row in rows]


def summarize(results: list[Result]) -> dict[str, dict[str, list[int]]]:
    """Passed and total counts per language, for facts and for declines."""
    summary: dict[str, dict[str, list[int]]] = defaultdict(lambda: {
        "fact": [0, 0], "offtopic": [0, 0]})
    for result in results:
        counts = summary[result.lang][result.kind]
        counts[0] += result.passed
        counts[1] += 1
    return {lang: summary[lang] for lang in LANGUAGES if lang in summary}


def format_summary(summary: dict[str, dict[str, list[int]]]) -> str:
    """One line per language: facts passed and declines passed, with percentages."""
    def share(counts: list[int]) -> str:
        passed, total = counts
        return f"{passed}/{total} ({100 * passed / total:.0f}%)" if total else "-"
    return "\n".join(f"{lang:8} facts {share(kinds['fact'])}  declines {share(kinds['offtopic'])}"
                     for lang, kinds in summary.items())


def failures_as_json(results: list[Result]) -> list[str]:
    """The failed results, one JSON line each."""
    return [json.dumps(asdict(result), ensure_ascii=False) for result in results
            if not result.passed]
