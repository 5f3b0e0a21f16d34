"""The fast feature path equals scikit-learn's fitted pipeline; thresholds are chosen for F1."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from classifier.data import read_labelled
from classifier.evaluation import best_f1_threshold
from classifier.features import FeatureSettings, Vectorizer, sklearn_vectorizer
from classifier.store import load_model

EDGE_CASES = [
    "", "   ", "1234 5678", "Ünïcödé café naïve façade — “quotes” and ‘apostrophes’",
    "state state state state", "A", "word\nnext\tline\r\nagain", "x" * 5000, "Çà ΑΘΗΝΑ Москва 東京 data",
]


def test_fast_features_and_scores_equal_the_sklearn_pipeline(small_training_file):
    examples = read_labelled(small_training_file)
    texts = [e.text for e in examples]
    settings = FeatureSettings()
    fitted = sklearn_vectorizer(settings)
    features = fitted.fit_transform(texts)
    fast = Vectorizer.from_sklearn(fitted, settings)
    probe = texts[::3] + EDGE_CASES + [texts[0] + " " + texts[1]]
    expected, got = fitted.transform(probe), fast.transform(probe)
    assert expected.shape == got.shape
    assert abs(expected - got).max() <= 1e-12
    assert (expected != 0).nnz == (got != 0).nnz

    truth = np.array(["layoffs" in e.labels for e in examples])
    regression = LogisticRegression(C=3.0, max_iter=1000).fit(features, truth)
    ours = 1 / (1 + np.exp(-(got @ regression.coef_.T + regression.intercept_)))
    assert np.allclose(ours.ravel(), regression.predict_proba(fitted.transform(probe))[:, 1], atol=1e-12)


def test_saved_model_features_and_scores_equal_the_sklearn_pipeline(trained_model, small_training_file):
    from scipy import sparse

    model = load_model(trained_model)
    texts = [e.text for e in read_labelled(small_training_file)][:80] + EDGE_CASES
    fitted = sklearn_vectorizer(model.vectorizer.settings)
    fitted.vocabulary_ = {term: i for i, term in enumerate(model.vectorizer.terms)}
    fitted.idf_ = model.vectorizer.idf
    ours = model.features(texts)
    n_terms = len(model.vectorizer.terms)
    assert abs(fitted.transform(texts) - ours[:, :n_terms]).max() <= 1e-12

    pipeline_features = sparse.hstack([fitted.transform(texts), ours[:, n_terms:]], format="csr")
    for index in range(len(model.labels)):
        regression = LogisticRegression()
        regression.classes_ = np.array([0, 1])
        regression.coef_ = model.coef[index : index + 1]
        regression.intercept_ = model.intercept[index : index + 1]
        expected = regression.predict_proba(pipeline_features)[:, 1]
        assert np.allclose(model.scores(texts)[:, index], expected, rtol=0, atol=1e-12)


def test_lexicon_features_count_each_groups_phrases():
    settings = FeatureSettings(lexicon_weight=2.0)
    vectorizer = Vectorizer(["court"], np.array([1.0]), settings,
                            {"litigation": ["court", "class action"], "layoffs": ["laid off"]})
    rows = vectorizer.transform(["A class action in court, then another court.", "Staff were laid off.", "Nothing."])
    assert vectorizer.feature_names == ["court", "lexicon:litigation", "lexicon:layoffs"]
    assert np.allclose(rows.toarray()[:, 1:], [[2 * np.log1p(3), 0], [0, 2 * np.log1p(1)], [0, 0]])
    assert vectorizer.lexicon_matches("They were laid off after the class action.") == {
        "litigation": ["class action"], "layoffs": ["laid off"]}


def test_best_f1_threshold_separates_classes():
    scores = np.array([0.9, 0.8, 0.7, 0.4, 0.3, 0.1])
    truth = np.array([1, 1, 1, 0, 0, 0])
    threshold, f1 = best_f1_threshold(scores, truth)
    assert f1 == 1.0 and 0.4 < threshold < 0.7
    threshold, f1 = best_f1_threshold(np.array([0.9, 0.6, 0.5, 0.2]), np.array([1, 0, 1, 0]))
    assert abs(f1 - 0.8) < 1e-12 and 0.2 < threshold <= 0.5


def test_threshold_over_repeated_cross_validation_maximises_the_mean_f1():
    truth = np.array([1, 1, 0, 1, 0, 0])
    # Alone, the first run is best cut below 0.6 (F1 1.0) and the second below 0.4 (F1 1.0).
    runs = np.array([[0.9, 0.8, 0.5, 0.6, 0.2, 0.1],
                     [0.9, 0.8, 0.7, 0.4, 0.3, 0.1]])
    assert 0.5 < best_f1_threshold(runs[0], truth)[0] < 0.6
    assert 0.3 < best_f1_threshold(runs[1], truth)[0] < 0.4
    threshold, mean_f1 = best_f1_threshold(runs, truth)
    each = [2 * ((run >= threshold) & (truth == 1)).sum() / ((run >= threshold).sum() + truth.sum()) for run in runs]
    assert abs(mean_f1 - np.mean(each)) < 1e-12
    assert abs(mean_f1 - max(np.mean([2 * ((run >= t) & (truth == 1)).sum() / ((run >= t).sum() + truth.sum())
                                      for run in runs]) for t in np.linspace(0, 1, 1001))) < 1e-12


def test_tied_scores_fall_on_the_same_side_of_the_threshold():
    scores = np.array([0.8, 0.5, 0.5, 0.5, 0.1])
    truth = np.array([1, 1, 0, 0, 0])
    threshold, f1 = best_f1_threshold(scores, truth)
    predicted = scores >= threshold
    assert predicted[1] == predicted[2] == predicted[3]
    assert abs(f1 - 2 * (truth & predicted).sum() / (truth.sum() + predicted.sum())) < 1e-12


def test_platt_scaling_makes_overconfident_scores_honest():
    from classifier.training import _logit, _sigmoid, platt_scaling

    rng = np.random.default_rng(0)
    honest = rng.uniform(0.01, 0.99, 20000)
    truth = rng.random(20000) < honest  # a label turns up exactly as often as its honest probability says
    inflated = _sigmoid(3 * _logit(honest) + 1.5)  # too sure and too high, as class-balanced training makes them
    slope, shift = platt_scaling(inflated, truth)
    calibrated = _sigmoid(slope * _logit(inflated) + shift)
    assert abs(slope - 1 / 3) < 0.03 and abs(shift + 0.5) < 0.05
    assert abs(calibrated.mean() - truth.mean()) < 0.01
    assert np.mean((calibrated - truth) ** 2) < np.mean((inflated - truth) ** 2)
    order = np.argsort(inflated)
    assert (np.diff(calibrated[order]) >= 0).all()  # monotone: the same ranking, so the same labels at the threshold


def test_a_trained_model_records_its_calibration(trained_model):
    import json

    metadata = json.loads((trained_model / "metadata.json").read_text())
    assert all(entry["slope"] > 0 for entry in metadata["calibration"].values())
