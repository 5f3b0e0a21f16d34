"""Training: TF-IDF features and one logistic regression per label, with C and threshold chosen per label from the
out-of-fold scores of a repeated cross-validation. Uses scikit-learn; the result is a plain
:class:`~classifier.model.Model`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from classifier import __version__
from classifier.data import Example, data_fingerprint, label_counts, label_matrix
from classifier.errors import DataError
from classifier.evaluation import best_f1_threshold, multilabel_metrics
from classifier.features import FeatureSettings, Vectorizer, sklearn_vectorizer
from classifier.labels import LABELS
from classifier.lexicon import LEXICON
from classifier.model import Model
from classifier.privacy import common_names, prune_vocabulary, rare_proper_nouns


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides the model besides the data."""

    features: FeatureSettings = field(default_factory=lambda: FeatureSettings(lexicon_weight=1.0))
    lexicon: dict = field(default_factory=lambda: dict(LEXICON))
    c_grid: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0)
    folds: int = 5
    repeats: int = 10  # the cross-validation is repeated on this many shuffles; C and thresholds use their mean
    seed: int = 0
    jobs: int = 1
    proper_noun_min_documents: int = 5  # rarer capitalised words are left out of the vocabulary
    calibrate: bool = True  # Platt scaling of each label's scores, fitted on the out-of-fold scores
    select_c_by: str = "f1"  # "f1": best F1 at the best threshold; "log_loss": best out-of-fold log-loss
    class_weight: str | None = "balanced"  # a label's positives weigh as much as its negatives; None: all alike


def _regression(c: float, class_weight: str | None):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight=class_weight, solver="lbfgs", max_iter=2000)


def _fit_coefficients(features, truth: np.ndarray, c_per_label: list[float],
                      class_weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((truth.shape[1], features.shape[1]))
    intercept = np.zeros(truth.shape[1])
    for index, c in enumerate(c_per_label):
        fitted = _regression(c, class_weight).fit(features, truth[:, index])
        coef[index], intercept[index] = fitted.coef_[0], fitted.intercept_[0]
    return coef, intercept


def _fit_vectorizer(texts: list[str], settings: TrainSettings) -> Vectorizer:
    """Fit the TF-IDF vocabulary and idf with scikit-learn, less terms with a rare proper noun or a common personal
    name (see classifier.privacy); features are then computed by the fast path."""
    fitted = sklearn_vectorizer(settings.features)
    fitted.fit(texts)
    prune_vocabulary(fitted, rare_proper_nouns(texts, settings.proper_noun_min_documents) | common_names())
    lexicon = settings.lexicon if settings.features.lexicon_weight > 0 else None
    return Vectorizer.from_sklearn(fitted, settings.features, lexicon)


def _fold_scores(texts, truth, train_rows, test_rows, settings: TrainSettings) -> np.ndarray:
    """Scores of the held-out rows for every C in the grid: shape (len(c_grid), held-out rows, labels)."""
    vectorizer = _fit_vectorizer([texts[i] for i in train_rows], settings)
    train_features = vectorizer.transform([texts[i] for i in train_rows])
    test_features = vectorizer.transform([texts[i] for i in test_rows])
    result = np.zeros((len(settings.c_grid), len(test_rows), truth.shape[1]))
    for grid_index, c in enumerate(settings.c_grid):
        coef, intercept = _fit_coefficients(train_features, truth[train_rows], [c] * truth.shape[1],
                                            settings.class_weight)
        result[grid_index] = 1.0 / (1.0 + np.exp(-(np.asarray(test_features @ coef.T) + intercept)))
    return result


def _logit(p):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def platt_scaling(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Slope and shift of the log-odds that make out-of-fold probabilities match outcomes (Platt, 1999).

    Class-balanced training inflates the probability of the rarer class; this undoes that. A slope that is not
    positive (a degenerate fit) leaves the scores as they are.
    """
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(_logit(scores).reshape(-1, 1), truth)
    slope, shift = float(fitted.coef_[0, 0]), float(fitted.intercept_[0])
    return (slope, shift) if slope > 0 else (1.0, 0.0)


def log_loss(scores: np.ndarray, truth: np.ndarray) -> float:
    """Mean negative log-likelihood of binary ``truth`` under probabilities ``scores``."""
    clipped = np.clip(scores, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.where(truth == 1, np.log(clipped), np.log(1 - clipped))))


def _check_trainable(truth: np.ndarray, folds: int) -> None:
    for index, label in enumerate(LABELS):
        positives = int(truth[:, index].sum())
        if positives < folds or len(truth) - positives < folds:
            raise DataError(
                f"label {label!r} has {positives} positive and {len(truth) - positives} negative paragraphs; "
                f"each needs at least {folds} for {folds}-fold cross-validation"
            )


def out_of_fold_scores(texts: list[str], truth: np.ndarray, settings: TrainSettings) -> np.ndarray:
    """Cross-validated scores of every paragraph for every C, once per repetition of the cross-validation:
    shape (repeats, len(c_grid), paragraphs, labels)."""
    from joblib import Parallel, delayed
    from sklearn.model_selection import RepeatedStratifiedKFold

    # Stratify on the first label of each paragraph (or none), so every fold sees every label.
    strata = np.where(truth.any(axis=1), truth.argmax(axis=1), truth.shape[1])
    splitter = RepeatedStratifiedKFold(n_splits=settings.folds, n_repeats=settings.repeats,
                                       random_state=settings.seed)
    splits = list(splitter.split(np.zeros(len(texts)), strata))
    parts = Parallel(n_jobs=settings.jobs)(
        delayed(_fold_scores)(texts, truth, train_rows, test_rows, settings) for train_rows, test_rows in splits
    )
    scores = np.zeros((settings.repeats, len(settings.c_grid), len(texts), truth.shape[1]))
    for number, ((_, test_rows), part) in enumerate(zip(splits, parts)):
        scores[number // settings.folds][:, test_rows] = part
    return scores


def _mean_metrics(runs: list[dict]) -> dict:
    """Metrics of several repetitions averaged: numbers that differ between runs become their mean."""
    first = runs[0]
    if isinstance(first, dict):
        return {key: _mean_metrics([run[key] for run in runs]) for key in first}
    if isinstance(first, float):
        return float(np.mean(runs))
    return first


def train(examples: list[Example], settings: TrainSettings = TrainSettings()) -> Model:
    """Fit the model on ``examples``; its metadata holds the cross-validated metrics and the chosen settings."""
    import sklearn

    texts = [example.text for example in examples]
    truth = label_matrix(examples)
    _check_trainable(truth, settings.folds)
    oof = out_of_fold_scores(texts, truth, settings)

    repeated_truth = np.tile(truth, (settings.repeats, 1))
    chosen_c, thresholds, calibration = [], [], []
    cv_predicted = np.zeros((settings.repeats,) + truth.shape, dtype=truth.dtype)
    for index in range(len(LABELS)):
        candidates = [best_f1_threshold(oof[:, g, :, index], truth[:, index]) for g in range(len(settings.c_grid))]
        if settings.select_c_by == "log_loss":
            losses = [log_loss(oof[:, g, :, index].ravel(), repeated_truth[:, index])
                      for g in range(len(settings.c_grid))]
            best = min(range(len(candidates)), key=lambda g: (round(losses[g], 9), g))
        else:
            best = max(range(len(candidates)), key=lambda g: (round(candidates[g][1], 6), -g))
        chosen_c.append(settings.c_grid[best])
        thresholds.append(candidates[best][0])
        cv_predicted[:, :, index] = oof[:, best, :, index] >= thresholds[-1]
        calibration.append(platt_scaling(oof[:, best, :, index].ravel(), repeated_truth[:, index])
                           if settings.calibrate else (1.0, 0.0))

    vectorizer = _fit_vectorizer(texts, settings)
    features = vectorizer.transform(texts)
    coef, intercept = _fit_coefficients(features, truth, chosen_c, settings.class_weight)
    # Calibration is a monotone map of the log-odds, folded into the coefficients: the same labels, truer scores.
    for index, (slope, shift) in enumerate(calibration):
        coef[index] *= slope
        intercept[index] = slope * intercept[index] + shift
        thresholds[index] = float(_sigmoid(slope * _logit(thresholds[index]) + shift))
    metadata = {
        "package_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "training_data_sha256": data_fingerprint(examples),
        "training_counts": label_counts(examples),
        "cv_metrics": _mean_metrics([multilabel_metrics(truth, run, LABELS) for run in cv_predicted]),
        "settings": {"c_grid": list(settings.c_grid), "folds": settings.folds, "repeats": settings.repeats,
                     "seed": settings.seed, "select_c_by": settings.select_c_by,
                     "class_weight": settings.class_weight,
                     "proper_noun_min_documents": settings.proper_noun_min_documents},
        "regularisation_c": dict(zip(LABELS, chosen_c)),
        "calibration": {label: {"slope": a, "shift": b} for label, (a, b) in zip(LABELS, calibration)},
    }
    return Model(
        labels=LABELS,
        vectorizer=vectorizer,
        coef=coef,
        intercept=intercept,
        thresholds=np.array(thresholds),
        metadata=metadata,
    )
