"""Offline answers scored on the question sets, the way the project is judged.

A fact question passes when its ``expect`` strings appear, a cited fact comes
from one of its paragraphs and the answer is in the question's script; an
off-topic question passes when it is declined. The figures are printed (run
pytest with -s) and must stay above the floors below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.evaluation import evaluate, format_summary, read_question_set, summarize
from tests.support.data import (
    FRESH_HOLDOUT,
    HOLDOUT_EVAL,
    NEAR_MISSES,
    OUTSIDER_HOLDOUT,
    OUTSIDER_TUNING,
    OUTSIDER_TUNING_2,
    OUTSIDER_TUNING_3,
    OUTSIDER_TUNING_4,
    OUTSIDER_TUNING_5,
    OUTSIDER_TUNING_6,
    OUTSIDER_TUNING_7,
    OUTSIDER_TUNING_8,
    OUTSIDER_TUNING_9,
    OUTSIDER_TUNING_10,
    OUTSIDER_TUNING_11,
    OWN_EVAL,
    SCRIPTS,
    SHARED_EVAL,
    THIRD_HOLDOUT,
    EngineFactory,
)
from tests.support.fakes.openai_api import FakeOpenAI, quote_every_fact
from tests.support.models import chat_client_for

# Each test here answers a whole question set (seconds each): not in make test-fast.
pytestmark = pytest.mark.slow

# (question set, floor for facts per language, floor for declines per language). The
# decision model is fitted on all but the two outsider holdouts (see bot/calibration.py).
FLOORS = {
    "own": (OWN_EVAL, 0.9, 0.8),
    "shared": (SHARED_EVAL, 0.95, 1.0),
    "earlier holdout": (HOLDOUT_EVAL, 0.8, 0.75),
    "outsider tuning": (OUTSIDER_TUNING, 0.7, 0.66),
    "outsider tuning 2": (OUTSIDER_TUNING_2, 0.65, 0.7),
    # Mainland chat Simplified only (60), written by an outsider for tuning.
    "outsider tuning 3": (OUTSIDER_TUNING_3, 0.85, 0.6),
    # Paraphrases that name nothing (那个做别针的公司, "the company that makes the pin"): 90
    # questions for tuning, the hardest kind left (figures in the README).
    "outsider tuning 4": (OUTSIDER_TUNING_4, 0.25, 0.5),
    # Chat paraphrases, described entities and near misses, 40 a script (for tuning).
    "outsider tuning 5": (OUTSIDER_TUNING_5, 0.7, 0.75),
    # Mainland group chat (60, Simplified only), for tuning.
    "outsider tuning 6": (OUTSIDER_TUNING_6, 0.8, 0.8),
    # Near misses that use the article's names, each beside a fact about the same thing
    # (120, for tuning): declines were 45-75% a script on 3be2872.
    "outsider tuning 7": (OUTSIDER_TUNING_7, 0.75, 0.7),
    # Group-chat slang, paraphrase and pinyin typos, 60 of 100 Simplified (for tuning).
    "outsider tuning 8": (OUTSIDER_TUNING_8, 0.75, 0.75),
    # Small talk, and questions wrapped in it (150, for tuning): its facts here; its small
    # talk in test_small_talk_floor below.
    "outsider tuning 9": (OUTSIDER_TUNING_9, 0.9, 0.0),
    # Follow-ups (120) and questions in parts (120), for tuning.
    "outsider tuning 10": (OUTSIDER_TUNING_10, 0.8, 0.7),
    "outsider tuning 11": (OUTSIDER_TUNING_11, 0.75, 0.7),
    "near misses": (NEAR_MISSES, 0.0, 0.55),
    # Written by an outsider who never saw the knowledge, never fitted or tuned on: the
    # honest figure.
    "outsider holdout": (OUTSIDER_HOLDOUT, 0.7, 0.8),
    # A second one, written later by another outsider (102 questions); same rule.
    "fresh holdout": (FRESH_HOLDOUT, 0.75, 0.6),
    # A third (107 questions), committed before the changes it was scored against.
    "third holdout": (THIRD_HOLDOUT, 0.8, 0.75),
}


@pytest.mark.parametrize("name", FLOORS)
async def test_offline_answers_meet_the_floor_on_question_set(offline_engine: Engine,
                                                              name: str) -> None:
    path, fact_floor, decline_floor = FLOORS[name]
    if path == SHARED_EVAL and not path.exists():
        pytest.skip("../shared is not part of a user's clone")
    results = await evaluate(offline_engine, read_question_set(Path(path)))
    summary = summarize(results)
    print(f"\n{name}:\n{format_summary(summary)}")
    simplified_only = path in (OUTSIDER_TUNING_3, OUTSIDER_TUNING_6)
    assert set(summary) == ({"zh-Hans"} if simplified_only else set(SCRIPTS))
    for kinds in summary.values():
        passed, total = kinds["fact"]
        assert total == 0 or passed / total >= fact_floor, format_summary(summary)
        passed, total = kinds["offtopic"]
        assert total == 0 or passed / total >= decline_floor, format_summary(summary)


async def test_small_talk_floor_on_the_small_talk_set(offline_engine: Engine) -> None:
    """Small talk of every kind gets the friendly reply (Traditional was 20% on a9db01f)."""
    summary = summarize(await evaluate(offline_engine, read_question_set(OUTSIDER_TUNING_9)))
    for kinds in summary.values():
        passed, total = kinds["smalltalk"]
        assert passed / total >= 0.6, format_summary(summary)


# The facts the LLM path hands the model, answered by a fake model that repeats them all:
# a model can only answer right when these pass (declines are the model's own, not measured).
CONTEXT_FLOORS = {"own": (OWN_EVAL, 0.95), "fresh holdout": (FRESH_HOLDOUT, 0.9),
                  "third holdout": (THIRD_HOLDOUT, 0.9)}


@pytest.mark.parametrize("name", CONTEXT_FLOORS)
async def test_model_prompt_holds_the_answer_on_question_set(
        make_engine: EngineFactory, fake_model: FakeOpenAI, name: str) -> None:
    path, floor = CONTEXT_FLOORS[name]
    fake_model.reply = quote_every_fact
    engine = make_engine(client=chat_client_for(fake_model), memory_turns=6)
    summary = summarize(await evaluate(engine, read_question_set(Path(path))))
    print(f"\n{name} (facts handed to the model):\n{format_summary(summary)}")
    for kinds in summary.values():
        passed, total = kinds["fact"]
        assert passed / total >= floor, format_summary(summary)
