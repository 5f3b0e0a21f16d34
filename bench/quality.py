"""Quality side by side: the shipped model, keyword rules, fastText, and the model retrained with each change tried.

    python bench/quality.py [--out bench/results/quality.md] [--variants baseline,no-lexicon,...]

Each row is scored on the BBC dev set (`../shared/data/dev/bbc_dev.jsonl`, real news nobody here wrote; never
trained or tuned on) and by 5-fold cross-validation on `training_data/` (the model rows: the mean of the 10 repeats
they are trained with; the same folds for every row). The dev set is read only for these figures. Needs the `bench`
extra (fastText) and `../shared/data`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "data" / "dev" / "bbc_dev.jsonl"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from keyword_rules import keyword_labels  # noqa: E402

from classifier.data import label_matrix, read_labelled  # noqa: E402
from classifier.evaluation import brier_score, multilabel_metrics  # noqa: E402
from classifier.features import FeatureSettings  # noqa: E402
from classifier.labels import LABELS  # noqa: E402
from classifier import training as training_module  # noqa: E402
from classifier.training import TrainSettings, train  # noqa: E402

BASE = TrainSettings(jobs=2)
VARIANTS = {
    "shipped settings": BASE,
    "3 repeats of the cross-validation, not 10": replace(BASE, repeats=3),
    "no lexicon": replace(BASE, features=replace(BASE.features, lexicon_weight=0.0)),
    "lexicon weight 0.5": replace(BASE, features=replace(BASE.features, lexicon_weight=0.5)),
    "lexicon weight 2": replace(BASE, features=replace(BASE.features, lexicon_weight=2.0)),
    "unigrams only": replace(BASE, features=replace(BASE.features, ngram_max=1)),
    "trigrams": replace(BASE, features=replace(BASE.features, ngram_max=3)),
    "min_df 1": replace(BASE, features=replace(BASE.features, min_df=1)),
    "min_df 3": replace(BASE, features=replace(BASE.features, min_df=3)),
    "max_df 0.3": replace(BASE, features=replace(BASE.features, max_df=0.3)),
    "raw tf (no sublinear)": replace(BASE, features=replace(BASE.features, sublinear_tf=False)),
    "C chosen by log-loss": replace(BASE, select_c_by="log_loss"),
    "no class weights": replace(BASE, class_weight=None),
    "wider C grid 0.3-100": replace(BASE, c_grid=(0.3, 1.0, 3.0, 10.0, 30.0, 100.0)),
}


CHARACTER_GRAMS = "character 3-5-grams added"
_fit_word_features = training_module._fit_vectorizer


class _WithCharacterGrams:
    """The shipped features followed by TF-IDF character 3- to 5-grams inside word boundaries (an experiment)."""

    def __init__(self, words, characters):
        self.words, self.characters = words, characters

    def transform(self, texts):
        from scipy.sparse import hstack

        return hstack([self.words.transform(texts), self.characters.transform(texts)]).tocsr()


def _fit_with_character_grams(texts, settings):
    from sklearn.feature_extraction.text import TfidfVectorizer

    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_df=0.6, sublinear_tf=True)
    return _WithCharacterGrams(_fit_word_features(texts, settings), characters.fit(texts))


def train_with_character_grams(training):
    """Train with the shipped settings but character n-grams beside the word features. Runs the folds in this
    process (jobs=1), because the features are swapped in for this process only."""
    from unittest import mock

    with mock.patch.object(training_module, "_fit_vectorizer", _fit_with_character_grams):
        return train(training, replace(BASE, jobs=1))


def _row(name: str, dev_metrics: dict, cv_macro: float | None, brier: float | None) -> dict:
    return {"name": name, "dev_macro_f1": dev_metrics["macro_f1"], "cv_macro_f1": cv_macro, "dev_brier": brier,
            **{f"dev_{label}": dev_metrics["labels"][label]["f1"] for label in LABELS}}


def model_row(name: str, model, dev) -> dict:
    scores = model.scores([e.text for e in dev])
    truth = label_matrix(dev)
    metrics = multilabel_metrics(truth, scores >= model.thresholds, LABELS)
    brier = float(np.mean([brier_score(scores[:, i], truth[:, i]) for i in range(len(LABELS))]))
    return _row(name, metrics, model.metadata["cv_metrics"]["macro_f1"], brier)


def keyword_row(dev, training) -> dict:
    def metrics(examples):
        predicted = np.array([[label in keyword_labels(e.text) for label in LABELS] for e in examples])
        return multilabel_metrics(label_matrix(examples), predicted, LABELS)

    return _row("(b) keyword rules", metrics(dev), metrics(training)["macro_f1"], None)


def _fasttext_fit_predict(train_examples, test_examples) -> np.ndarray:
    import fasttext

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        for example in train_examples:
            tags = " ".join(f"__label__{label}" for label in example.labels) or "__label__none"
            handle.write(f"{tags} {' '.join(example.text.lower().split())}\n")
    model = fasttext.train_supervised(handle.name, loss="ova", epoch=25, wordNgrams=2, lr=0.5, dim=50, seed=1,
                                      thread=1, verbose=0)
    Path(handle.name).unlink()
    predicted, probabilities = model.predict([" ".join(e.text.lower().split()) for e in test_examples], k=-1,
                                             threshold=0.0)
    scores = np.zeros((len(test_examples), len(LABELS)))
    for row, (names, values) in enumerate(zip(predicted, probabilities)):
        for name, value in zip(names, values):
            label = name.replace("__label__", "")
            if label in LABELS:
                scores[row, LABELS.index(label)] = value
    return scores


def fasttext_row(dev, training) -> dict:
    from sklearn.model_selection import StratifiedKFold

    truth = label_matrix(training)
    strata = np.where(truth.any(axis=1), truth.argmax(axis=1), truth.shape[1])
    oof = np.zeros(truth.shape)
    for train_rows, test_rows in StratifiedKFold(5, shuffle=True, random_state=0).split(truth, strata):
        oof[test_rows] = _fasttext_fit_predict([training[i] for i in train_rows], [training[i] for i in test_rows])
    cv = multilabel_metrics(truth, oof >= 0.5, LABELS)["macro_f1"]
    dev_scores = _fasttext_fit_predict(training, dev)
    dev_truth = label_matrix(dev)
    metrics = multilabel_metrics(dev_truth, dev_scores >= 0.5, LABELS)
    brier = float(np.mean([brier_score(dev_scores[:, i], dev_truth[:, i]) for i in range(len(LABELS))]))
    return _row("(c) fastText, same training data", metrics, cv, brier)


def table(rows: list[dict]) -> str:
    lines = ["| model | dev macro-F1 | " + " | ".join(f"dev {label} F1" for label in LABELS)
             + " | dev Brier (mean) | training-data CV macro-F1 |",
             "|---" * (4 + len(LABELS)) + "|"]
    for r in rows:
        brier = f"{r['dev_brier']:.4f}" if r["dev_brier"] is not None else ""
        lines.append(f"| {r['name']} | {r['dev_macro_f1']:.3f} | "
                     + " | ".join(f"{r[f'dev_{label}']:.3f}" for label in LABELS)
                     + f" | {brier} | {r['cv_macro_f1']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--variants", help=f"comma-separated subset of: {', '.join([*VARIANTS, CHARACTER_GRAMS])}")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "default")
    args = parser.parse_args()
    if not DEV.exists():
        raise SystemExit(f"{DEV} not found: the quality benchmark needs the shared dev set")
    from classifier.store import load_model

    dev = read_labelled(DEV)
    training = read_labelled(REPO / "training_data")
    rows = [model_row("(a) shipped model", load_model(args.model), dev), keyword_row(dev, training)]
    print(json.dumps(rows[-1]), flush=True)
    rows.append(fasttext_row(dev, training))
    print(json.dumps(rows[-1]), flush=True)
    chosen = args.variants.split(",") if args.variants else [*VARIANTS, CHARACTER_GRAMS]
    for name in chosen:
        model = train_with_character_grams(training) if name == CHARACTER_GRAMS else train(training, VARIANTS[name])
        rows.append(model_row(f"(d) retrained: {name}", model, dev))
        print(json.dumps(rows[-1]), flush=True)
    text = table(rows)
    print(text)
    if args.out:
        args.out.write_text("# Quality benchmark\n\nCommand: `python bench/quality.py`. Dev set: 417 BBC paragraphs "
                            "(2004-2005), never trained or tuned on. CV: 5-fold cross-validation on the training "
                            "data, for the model rows the mean of 10 repeats (they choose C and thresholds on the "
                            f"same folds, so their CV figures lean optimistic).\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
