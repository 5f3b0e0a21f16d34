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

    ``scores`` is one row of scores, or one row per repetition of a cross-validation (shape (repeats, paragraphs)):
    then the F1 is averaged over the rows at every threshold and the threshold with the best mean is chosen, as
    scikit-learn's ``TunedThresholdClassifierCV`` averages its objective over splits; one lucky split cannot move it.
    Candidate thresholds sit halfway between consecutive distinct scores, so a threshold does not sit right on one
    training paragraph's score; among equal F1s the highest threshold wins.
    """
    runs = np.atleast_2d(scores)
    hits = truth.astype(bool)
    distinct = np.unique(runs)  # ascending
    candidates = (distinct + np.r_[0.0, distinct[:-1]]) / 2
    mean_f1 = np.zeros(len(candidates))
    for run in runs:
        order = np.argsort(run, kind="stable")
        ranked = run[order]
        positives_from = np.r_[np.cumsum(hits[order][::-1])[::-1], 0]  # true paragraphs at or above each rank
        first_called = np.searchsorted(ranked, candidates, side="left")
        called = len(ranked) - first_called
        mean_f1 += 2 * positives_from[first_called] / (called + hits.sum())
    mean_f1 /= len(runs)
    best = len(candidates) - 1 - int(np.argmax(mean_f1[::-1]))
    return float(candidates[best]), float(mean_f1[best])


NONE = "none"


def label_confusion(truth: np.ndarray, predicted: np.ndarray, labels: tuple[str, ...]) -> dict:
    """How often each true label (or none) came with each predicted label (or none), counted per paragraph.

    ``result[true][predicted]``: a paragraph about ``layoffs`` that was given ``funding`` adds one to
    ``result["layoffs"]["funding"]``; a paragraph with labels that was given none adds to ``result[label]["none"]``.
    """
    names = list(labels) + [NONE]
    result = {t: dict.fromkeys(names, 0) for t in names}
    truth, predicted = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    for true_row, predicted_row in zip(truth, predicted):
        true_names = [labels[i] for i in np.flatnonzero(true_row)] or [NONE]
        predicted_names = [labels[i] for i in np.flatnonzero(predicted_row)] or [NONE]
        for t in true_names:
            for p in predicted_names:
                result[t][p] += 1
    return result


def brier_score(scores: np.ndarray, truth: np.ndarray) -> float:
    """Mean squared difference between probability and outcome: 0 is perfect."""
    return float(np.mean((np.asarray(scores, dtype=float) - np.asarray(truth, dtype=float)) ** 2)) if len(scores) else 0.0


def reliability_table(scores: np.ndarray, truth: np.ndarray, bins: int = 10) -> list[dict]:
    """Per probability bin: paragraphs, mean predicted probability, and the fraction that truly had the label."""
    scores, truth = np.asarray(scores, dtype=float), np.asarray(truth, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(scores, edges[1:-1]), 0, bins - 1)
    table = []
    for index in range(bins):
        inside = which == index
        count = int(inside.sum())
        table.append({
            "low": float(edges[index]), "high": float(edges[index + 1]), "n": count,
            "mean_score": float(scores[inside].mean()) if count else None,
            "fraction_positive": float(truth[inside].mean()) if count else None,
        })
    return table


def threshold_tradeoff(scores: np.ndarray, truth: np.ndarray, threshold: float,
                       offsets: tuple[float, ...] = (-0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2)) -> list[dict]:
    """Precision, recall and F1 at thresholds around the model's own, to show what moving it would trade."""
    truth = np.asarray(truth, dtype=bool)
    rows = []
    for offset in offsets:
        cut = float(min(max(threshold + offset, 0.0), 1.0))
        called = np.asarray(scores) >= cut
        tp, fp, fn = int(np.sum(called & truth)), int(np.sum(called & ~truth)), int(np.sum(~called & truth))
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        rows.append({"threshold": cut, "precision": precision, "recall": recall, "f1": _f1(precision, recall),
                     "is_model_threshold": offset == 0.0})
    return rows


def precision_recall_curve(scores: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recall and precision as the threshold goes down through every score (for plotting)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    hits = np.asarray(truth, dtype=bool)[order]
    true_positives = np.cumsum(hits)
    called = np.arange(1, len(hits) + 1)
    return true_positives / max(hits.sum(), 1), true_positives / called


def full_report(truth: np.ndarray, scores: np.ndarray, thresholds: np.ndarray, labels: tuple[str, ...]) -> dict:
    """The metrics, plus label confusion, Brier scores, reliability tables and threshold trade-offs."""
    predicted = scores >= thresholds
    metrics = multilabel_metrics(truth, predicted, labels)
    metrics["confusion"] = label_confusion(truth, predicted, labels)
    for index, label in enumerate(labels):
        entry = metrics["labels"][label]
        entry["threshold"] = float(thresholds[index])
        entry["brier"] = brier_score(scores[:, index], truth[:, index])
        entry["reliability"] = reliability_table(scores[:, index], truth[:, index])
        entry["tradeoff"] = threshold_tradeoff(scores[:, index], truth[:, index], float(thresholds[index]))
    return metrics
