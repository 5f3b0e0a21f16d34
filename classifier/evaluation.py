"""Metrics of multi-label predictions: per-label precision, recall, F1 and support, micro and macro F1."""

from __future__ import annotations

import numpy as np


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def multilabel_metrics(truth: np.ndarray, predicted: np.ndarray, labels: tuple[str, ...]) -> dict:
    """Metrics of 0/1 arrays of shape (paragraphs, labels), as one JSON-ready dict."""
    truth = np.asarray(truth, dtype=bool)
    predicted = np.asarray(predicted, dtype=bool)
    per_label = {}
    totals = np.zeros(3)
    for index, label in enumerate(labels):
        t, p = truth[:, index], predicted[:, index]
        tp, fp, fn = float(np.sum(t & p)), float(np.sum(~t & p)), float(np.sum(t & ~p))
        totals += (tp, fp, fn)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        per_label[label] = {
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
            "support": int(t.sum()),
        }
    tp, fp, fn = totals
    micro_precision, micro_recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "n": int(truth.shape[0]),
        "macro_f1": float(np.mean([m["f1"] for m in per_label.values()])),
        "micro_f1": _f1(micro_precision, micro_recall),
        "micro_precision": micro_precision,
        "micro_recall": micro_recall,
        "exact_match": float(np.mean(np.all(truth == predicted, axis=1))) if len(truth) else 0.0,
        "labels": per_label,
    }


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The threshold on ``scores`` that maximises F1 for binary ``truth``, and that F1.

    The threshold sits halfway between the lowest score called positive and the next score below it, so it does not
    sit right on one training paragraph's score.
    """
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], truth[order].astype(bool)
    true_positives = np.cumsum(hits)
    called = np.arange(1, len(ranked) + 1)
    positives = hits.sum()
    # Only cut where the score changes, so tied scores fall on the same side.
    cut = np.r_[ranked[1:] < ranked[:-1], True]
    f1 = np.where(cut, 2 * true_positives / (called + positives), -1.0)
    best = int(np.argmax(f1))
    below = ranked[best + 1] if best + 1 < len(ranked) else 0.0
    return float((ranked[best] + below) / 2), float(f1[best])
