"""Answer or decline: one calibrated decision from several signals, not a single veto.

Semantic similarity alone does not tell a near-miss ("how many employees does OpenAI
have?") from an answerable question, and word overlap alone breaks on typos and slang.
So each signal below is a feature, and a logistic model fitted on labelled questions
(``fit``, run by ``python -m bot knowledge calibrate``) weighs them. Its weights ship in
``data/decision.json``; retrieval turns the probability into a relevance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "decision.json"
# Similarity enters only as how far the best fact stands above the rest (dense_z): its
# scale differs from one embedder to another, which must not move the decision.
FEATURES = ("dense_z", "coverage", "unknown", "asks_unknown", "kind_missing", "off_subject",
            "agree", "asked_missing", "subject_lacks")


@dataclass(frozen=True)
class Signals:
    """What retrieval knows about a question and its best fact."""

    dense_z: float  # how many standard deviations above the mean fact it stands
    coverage: float  # the share of the question's content the best fact holds
    unknown: float  # the share of the question's content no fact mentions at all
    asks_unknown: float  # 1 when the thing asked for is something no fact mentions
    kind_missing: float  # 1 when a figure or date is asked for and the fact has none
    off_subject: float  # 1 when the fact is about another company than the question
    agree: float  # 1 when the semantic and the lexical rankings put the same fact first
    asked_missing: float  # 1 when the thing asked for is known, but not in the best fact
    subject_lacks: float  # 1 when no fact about the question's subject holds what is asked

    def vector(self) -> np.ndarray:
        values = asdict(self)
        return np.array([values[name] for name in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class DecisionModel:
    """Logistic weights over the signals, and the probabilities that make an answer."""

    weights: tuple[float, ...]
    bias: float
    answer_at: float  # at least this: answered
    weak_at: float  # at least this: worth handing to a model, which may still decline

    def probability(self, signals: Signals) -> float:
        """How likely the knowledge answers the question, given the signals."""
        score = float(np.dot(self.weights, signals.vector())) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write the model (what ``load`` reads)."""
        path.write_text(json.dumps({"features": FEATURES, **asdict(self)}, indent=2) + "\n",
                        encoding="utf-8")


def load(path: Path = MODEL_FILE) -> DecisionModel:
    """The shipped model (refitted by ``python -m bot knowledge calibrate``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on other features: calibrate again")
    return DecisionModel(tuple(data["weights"]), data["bias"], data["answer_at"],
                         data["weak_at"])


def fit(signals: Sequence[Signals], labels: Sequence[bool], *, decline_cost: float = 1.0,
        l2: float = 1.0, steps: int = 50) -> DecisionModel:
    """Fit the weights on labelled questions (True: the knowledge answers it).

    Logistic regression by Newton's method on standardised signals, with a little L2 so
    that a few questions cannot pull a weight far. The answer threshold is then the one
    that makes the fewest mistakes on these questions, answering an off-topic question
    counting ``decline_cost`` times as much as declining an answerable one.
    """
    raw = np.stack([s.vector() for s in signals])
    y = np.array(labels, dtype=np.float64)
    mean, spread = raw.mean(axis=0), raw.std(axis=0)
    spread[spread == 0] = 1.0
    x = np.c_[(raw - mean) / spread, np.ones(len(y))]
    penalty = np.diag([l2] * (x.shape[1] - 1) + [0.0])
    theta = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (p - y) + penalty @ theta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        theta -= np.linalg.solve(hessian, gradient)
    weights = theta[:-1] / spread
    bias = float(theta[-1] - np.sum(theta[:-1] * mean / spread))
    probabilities = 1.0 / (1.0 + np.exp(-(raw @ weights + bias)))
    answer_at = _best_threshold(probabilities, y, decline_cost)
    return DecisionModel(tuple(round(float(w), 4) for w in weights), round(bias, 4),
                         answer_at, round(answer_at / 4, 4))


def _best_threshold(probabilities: np.ndarray, labels: np.ndarray, cost: float) -> float:
    """The threshold with the lowest cost, midway between the neighbouring probabilities."""
    ordered = np.sort(np.unique(probabilities))
    candidates = np.r_[0.0, (ordered[1:] + ordered[:-1]) / 2, 1.0]
    costs = [cost * np.sum((probabilities >= t) & (labels == 0))
             + np.sum((probabilities < t) & (labels == 1)) for t in candidates]
    return round(float(candidates[int(np.argmin(costs))]), 4)
