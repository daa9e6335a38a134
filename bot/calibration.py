"""``python -m bot calibrate``: fit the answer-or-decline model on labelled questions.

A ``fact`` question is one the knowledge answers; an ``offtopic`` one is not.
Follow-ups are searched with the question they follow.
Never give it the holdout sets: they exist to judge the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.evaluation import read_question_set
from bot.runtime import open_store, prepare_database
from bot.settings import Settings
from knowledge import decision
from knowledge.retrieval import question_signals
from knowledge.store import KnowledgeStore


def labelled_signals(store: KnowledgeStore, rows: list[dict]) -> tuple[list, list[bool]]:
    """The signals of every fact and off-topic question, with its label."""
    signals, labels = [], []
    for row in rows:
        if row["kind"] not in ("fact", "offtopic"):
            continue
        history = row.get("history") or []
        found = question_signals(store, row["q"], context=history[-1] if history else None)
        if found is not None:
            signals.append(found)
            labels.append(row["kind"] == "fact")
    return signals, labels


def run_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    """Fit the model on the question sets; with --write, ship it with the package."""
    prepare_database(settings)
    store = open_store(settings)
    try:
        rows = [row for name in args.files for row in read_question_set(Path(name))]
        signals, labels = labelled_signals(store, rows)
    finally:
        store.close()
    model = decision.fit(signals, labels)
    mistakes = sum((model.probability(s) >= model.answer_at) != label
                   for s, label in zip(signals, labels, strict=True))
    print(f"{len(labels)} questions ({sum(labels)} answerable): {mistakes} on the wrong side")
    for name, weight in zip(decision.FEATURES, model.weights, strict=True):
        print(f"  {name:14} {weight:+.3f}")
    print(f"  bias {model.bias:+.3f}; answer at p >= {model.answer_at}")
    if args.write:
        model.save()
        print(f"written to {decision.MODEL_FILE}", file=sys.stderr)
    return 0
