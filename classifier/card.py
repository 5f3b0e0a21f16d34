"""The model card: a short README.md written beside every saved model."""

from __future__ import annotations

from classifier.labels import LABELS


def model_card(metadata: dict, thresholds: dict[str, float]) -> str:
    """Markdown describing what the model is, what it was trained on and how well it did in cross-validation."""
    counts = metadata.get("training_counts", {})
    cv = metadata.get("cv_metrics", {})
    settings = metadata.get("settings", {})
    lines = [
        "# Privacy-risk news classifier model",
        "",
        "TF-IDF word unigrams and bigrams plus one lexicon feature per label, and one logistic regression per",
        "label, each with its own probability threshold tuned for F1 on out-of-fold scores and its scores",
        "calibrated (Platt scaling) on the same out-of-fold scores. Labels follow LABELS.md: a paragraph gets",
        "every label whose probability reaches its threshold, or none. Terms with rare proper nouns or common",
        "personal names are left out of the vocabulary; digits are never part of a term.",
        "",
        f"- classifier {metadata.get('package_version')}, scikit-learn {metadata.get('sklearn_version')}",
        f"- training data: {counts.get('paragraphs')} paragraphs, sha256 `{metadata.get('training_data_sha256')}`",
        f"- paragraphs with no label: {counts.get('none')}, with two or more: {counts.get('multi')}",
        "",
        "| label | positives | C | threshold | CV precision | CV recall | CV F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in LABELS:
        m = cv.get("labels", {}).get(label, {})
        lines.append(
            f"| {label} | {counts.get(label)} | {metadata.get('regularisation_c', {}).get(label)} "
            f"| {thresholds[label]:.3f} | {m.get('precision', 0):.3f} | {m.get('recall', 0):.3f} "
            f"| {m.get('f1', 0):.3f} |"
        )
    lines += [
        "",
        f"Cross-validated macro-F1 {cv.get('macro_f1', 0):.3f}, micro-F1 {cv.get('micro_f1', 0):.3f}, the mean of "
        f"{settings.get('repeats', 1)} repeats of {settings.get('folds')}-fold cross-validation "
        "(the same folds chose C and the thresholds, so these figures lean optimistic).",
        "",
        "## Use and limits",
        "For finding and counting news paragraphs about government access to personal data, workforce cuts,",
        "lawsuits and money. It is a keyword model: it reads words, not meaning, and is wrong on paragraphs whose",
        "words point one way and whose sense points another. Check what matters by reading the paragraph.",
        "",
    ]
    return "\n".join(lines)
