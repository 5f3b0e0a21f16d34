"""The shipped training data: its format, its size and spread, and no paragraph written twice."""

import collections
import json
import re

from conftest import TRAINING_DATA, cli
from classifier.data import label_counts, read_labelled
from classifier.labels import LABELS


def test_training_data_meets_the_size_and_spread_the_model_needs():
    counts = label_counts(read_labelled(TRAINING_DATA))
    assert counts["paragraphs"] >= 1500
    assert all(counts[label] >= 200 for label in LABELS), counts
    assert counts["none"] >= 600 and counts["multi"] >= 150


def test_every_line_is_a_valid_labelled_paragraph_in_canonical_label_order():
    for path in sorted(TRAINING_DATA.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            item = json.loads(line)
            assert set(item) == {"text", "labels"}, f"{path.name}:{number}"
            assert item["labels"] == [label for label in LABELS if label in item["labels"]], f"{path.name}:{number}"
            assert item["text"] == item["text"].strip() and item["text"], f"{path.name}:{number}"


def test_no_paragraph_repeats_with_only_names_or_numbers_swapped():
    def skeleton(text):
        text = re.sub(r"\d[\d,.]*", "0", text)
        text = re.sub(r"\b[A-Z][\w'-]*", "X", text)
        return re.sub(r"\W+", " ", text.lower()).strip()

    seen = collections.Counter(skeleton(e.text) for e in read_labelled(TRAINING_DATA))
    assert [key for key, count in seen.items() if count > 1] == []


def test_the_shipped_model_was_trained_on_the_shipped_data():
    from classifier.data import data_fingerprint
    from classifier.store import default_model_dir, read_metadata

    metadata = read_metadata(default_model_dir())
    assert metadata["training_data_sha256"] == data_fingerprint(read_labelled(TRAINING_DATA)), (
        "training_data changed: retrain the default model with `classifier train`"
    )
