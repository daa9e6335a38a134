"""The question sets and the engine factory type the tests share (conftest's fixtures too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine

TESTS = Path(__file__).parent.parent
SHARED_EVAL = TESTS.parent.parent / "shared" / "eval" / "dev_qa.jsonl"
OWN_EVAL = TESTS / "data" / "qa.jsonl"
HOLDOUT_EVAL = TESTS / "data" / "qa_holdout.jsonl"
OUTSIDER_TUNING = TESTS / "data" / "qa_outsider_tuning.jsonl"
OUTSIDER_TUNING_2 = TESTS / "data" / "qa_outsider_tuning2.jsonl"
OUTSIDER_TUNING_3 = TESTS / "data" / "qa_tuning3_hans.jsonl"
OUTSIDER_TUNING_4 = TESTS / "data" / "qa_tuning4.jsonl"
OUTSIDER_TUNING_5 = TESTS / "data" / "qa_tuning5.jsonl"
OUTSIDER_TUNING_6 = TESTS / "data" / "qa_tuning6.jsonl"
OUTSIDER_TUNING_7 = TESTS / "data" / "qa_tuning7.jsonl"
OUTSIDER_TUNING_8 = TESTS / "data" / "qa_tuning8.jsonl"
OUTSIDER_TUNING_9 = TESTS / "data" / "qa_tuning9.jsonl"
OUTSIDER_TUNING_10 = TESTS / "data" / "qa_tuning10.jsonl"
OUTSIDER_TUNING_11 = TESTS / "data" / "qa_tuning11.jsonl"
NEAR_MISSES = TESTS / "data" / "qa_nearmiss.jsonl"
OUTSIDER_HOLDOUT = TESTS / "data" / "qa_outsider_holdout.jsonl"
FRESH_HOLDOUT = TESTS / "data" / "qa_holdout3.jsonl"
THIRD_HOLDOUT = TESTS / "data" / "qa_holdout4.jsonl"
SCRIPTS = ("zh-Hant", "zh-Hans", "en")

EngineFactory = Callable[..., Engine]
