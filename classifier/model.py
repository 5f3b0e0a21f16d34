"""A fitted model as plain data: features, scores, labels via per-label thresholds, and explanations.

Nothing here imports scikit-learn: prediction needs numpy and scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from classifier.features import Vectorizer


@dataclass(frozen=True)
class Contribution:
    """How much one term of a paragraph pushed one label's log-odds up (positive) or down."""

    term: str
    weight: float


@dataclass(frozen=True)
class LabelExplanation:
    label: str
    probability: float
    threshold: float
    assigned: bool
    intercept: float
    up: list[Contribution]
    down: list[Contribution]


@dataclass
class Model:
    """One logistic regression per label over shared TF-IDF features, each with its own threshold."""

    labels: tuple[str, ...]
    vectorizer: Vectorizer
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,)
    metadata: dict = field(default_factory=dict)

    def features(self, texts: list[str]):
        return self.vectorizer.transform(texts)

    def scores_from_features(self, features) -> np.ndarray:
        """Probabilities, shape (paragraphs, labels)."""
        logits = np.asarray(features @ self.coef.T) + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def scores(self, texts: list[str]) -> np.ndarray:
        return self.scores_from_features(self.features(texts))

    def decide(self, scores: np.ndarray) -> list[list[str]]:
        """The labels each row of scores gets: every label whose probability reaches its threshold."""
        chosen = scores >= self.thresholds
        return [[label for label, on in zip(self.labels, row) if on] for row in chosen]

    def predict(self, texts: list[str]) -> tuple[list[list[str]], np.ndarray]:
        scores = self.scores(texts)
        return self.decide(scores), scores

    def explain(self, text: str, top: int = 8) -> list[LabelExplanation]:
        """Per label: the probability and the terms of ``text`` that raised or lowered it most."""
        row = self.features([text])
        probabilities = self.scores_from_features(row)[0]
        names = self._feature_names(text)
        explanations = []
        for index, label in enumerate(self.labels):
            weights = row.data * self.coef[index, row.indices]
            order = np.argsort(-weights, kind="stable")
            terms = [Contribution(names[row.indices[i]], float(weights[i])) for i in order]
            explanations.append(
                LabelExplanation(
                    label=label,
                    probability=float(probabilities[index]),
                    threshold=float(self.thresholds[index]),
                    assigned=bool(probabilities[index] >= self.thresholds[index]),
                    intercept=float(self.intercept[index]),
                    up=[c for c in terms if c.weight > 0][:top],
                    down=[c for c in reversed(terms) if c.weight < 0][:top],
                )
            )
        return explanations

    def _feature_names(self, text: str | None = None) -> list[str]:
        """Feature names; with ``text``, each lexicon feature also names the phrases it found there."""
        names = self.vectorizer.feature_names
        if text is not None:
            groups = list(self.vectorizer.lexicon)
            for group, phrases in self.vectorizer.lexicon_matches(text).items():
                names[len(self.vectorizer.terms) + groups.index(group)] = f"lexicon:{group} ({', '.join(phrases)})"
        return names

    def keywords(self, top: int = 20) -> dict[str, dict[str, list[Contribution]]]:
        """Per label, the terms with the largest positive and negative coefficients."""
        result = {}
        names = self._feature_names()
        for index, label in enumerate(self.labels):
            weights = self.coef[index]
            order = np.argsort(-weights, kind="stable")
            result[label] = {
                "positive": [Contribution(names[i], float(weights[i])) for i in order[:top]],
                "negative": [Contribution(names[i], float(weights[i])) for i in order[::-1][:top]],
            }
        return result
