"""Scoring the engine on a question set (the format of ../shared/eval/dev_qa.jsonl).

A ``fact`` question passes when the answer is given, every ``expect`` group has
a string in the answer (after OpenCC t2s and lower-casing), one of the cited
facts comes from one of ``paras``, and the answer is in the question's script.
An ``offtopic`` question passes when it is declined with no facts cited. A
``smalltalk`` message (a greeting, thanks, "what can you do?") passes when it
gets a reply that is neither a decline nor a list of facts, in its script.
A row with ``history`` is a follow-up: those messages are asked first, in the
same conversation, and only the answer to ``q`` is scored.
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

KINDS = ("fact", "offtopic", "smalltalk")
DECLINES = ("not_covered", "refused")


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
    follow_up: bool = False


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
    return detect_language(text) == "zh-Hant"


def expectations_met(text: str, groups: list[list[str]]) -> bool:
    """Tell whether every group has one of its strings in the text, as the judges check:
    after plain OpenCC t2s (no regional phrasing) and lower-casing."""
    folded = converter("t2s").convert(text).lower()
    return all(any(option.lower() in folded for option in group) for group in groups)


def score(row: dict, answer: Answer) -> Result:
    """Judge one answer against its question-set row."""
    script_ok = script_matches(answer.text, row["lang"])
    common = {"id": row["id"], "lang": row["lang"], "kind": row["kind"],
              "script_ok": script_ok, "answered": answer.answered, "answer": answer.text,
              "follow_up": bool(row.get("history"))}
    if row["kind"] == "offtopic":
        declined = not answer.answered and not answer.citations
        return Result(passed=declined, expect_ok=True, cites_ok=True, **common)
    if row["kind"] == "smalltalk":
        replied = answer.outcome not in DECLINES and not answer.citations
        return Result(passed=replied and script_ok, expect_ok=True, cites_ok=True, **common)
    expect_ok = expectations_met(answer.text, row.get("expect", []))
    cited = {number for citation in answer.citations for number in citation.paragraphs}
    cites_ok = bool(cited & set(row.get("paras", [])))
    passed = answer.answered and expect_ok and cites_ok and script_ok
    return Result(passed=passed, expect_ok=expect_ok, cites_ok=cites_ok, **common)


async def answer_row(engine: Engine, row: dict) -> Answer:
    """The engine's answer to a row's question, after its history in one conversation."""
    history = row.get("history") or []
    if not history:
        return await engine.answer(row["q"])
    conversation = f"eval:{row['id']}"
    await engine.reset(conversation)
    for earlier in history:
        await engine.answer(earlier, conversation)
    try:
        return await engine.answer(row["q"], conversation)
    finally:
        await engine.reset(conversation)


async def evaluate(engine: Engine, rows: list[dict]) -> list[Result]:
    """Answer every question (each on its own, follow-ups after their history) and score."""
    return [score(row, await answer_row(engine, row)) for row in rows]


Summary = dict[str, dict[str, list[int]]]


def summarize(results: list[Result]) -> Summary:
    """Passed and total counts per language: per kind, follow-ups, and for fact questions
    the answers citing a right paragraph; for every question the answers in its script."""
    summary: Summary = defaultdict(lambda: {name: [0, 0] for name in (
        *KINDS, "follow_up", "cites", "script")})
    for result in results:
        counts = summary[result.lang]
        for name, passed, counted in (
                (result.kind, result.passed, True),
                ("follow_up", result.passed, result.follow_up),
                ("cites", result.cites_ok, result.kind == "fact"),
                ("script", result.script_ok, True)):
            if counted:
                counts[name][0] += passed
                counts[name][1] += 1
    return {lang: summary[lang] for lang in LANGUAGES if lang in summary}


def share(counts: list[int]) -> str:
    """``passed/total (percent)``, or ``-`` when nothing was counted."""
    passed, total = counts
    return f"{passed}/{total} ({100 * passed / total:.0f}%)" if total else "-"


def format_summary(summary: Summary) -> str:
    """One line per language: each kind, follow-ups, right citations and right scripts."""
    labels = {"fact": "facts", "offtopic": "declines", "smalltalk": "small talk",
              "follow_up": "follow-ups", "cites": "cites", "script": "script"}
    return "\n".join(
        f"{lang:8} " + "  ".join(f"{label} {share(kinds[name])}" for name, label in labels.items()
                                 if kinds[name][1] or name in ("fact", "offtopic"))
        for lang, kinds in summary.items())


def failures_as_json(results: list[Result]) -> list[str]:
    """The failed results, one JSON line each."""
    return [json.dumps(asdict(result), ensure_ascii=False) for result in results
            if not result.passed]
