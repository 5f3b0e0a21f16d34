"""Flag training paragraphs that retell the events of dev-set paragraphs.

    python bench/dev_similarity.py [--threshold 0.22] [--data training_data]

The shared overlap hook catches copied runs of eight words; this catches the subtler leak of a training paragraph
written about the same event as a dev paragraph in other words, which inflates the dev figures without helping on
news nobody has seen. Similarity is the cosine of TF-IDF unigram vectors (English stop words removed, sublinear tf)
fitted on both sets. Prints each flagged paragraph beside its nearest dev paragraph and exits 1 when any is found.
Reads `../shared/data/dev/bbc_dev.jsonl`; never used for training.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "data" / "dev" / "bbc_dev.jsonl"


def training_paragraphs(folder: Path) -> list[tuple[str, int, str]]:
    """(file name, line number from 1, text) of every labelled paragraph under `folder`."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                found.append((path.name, number, json.loads(line)["text"]))
    return found


def nearest_dev(train_texts: list[str], dev_texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each training text, the highest cosine to any dev text and that dev text's index."""
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(train_texts + dev_texts)
    similarity = (vectorizer.transform(train_texts) @ vectorizer.transform(dev_texts).T).toarray()
    return similarity.max(axis=1), similarity.argmax(axis=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.22)
    parser.add_argument("--data", type=Path, default=REPO / "training_data")
    args = parser.parse_args()
    paragraphs = training_paragraphs(args.data)
    dev_texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    best, index = nearest_dev([text for _, _, text in paragraphs], dev_texts)
    flagged = np.flatnonzero(best >= args.threshold)
    for position in flagged[np.argsort(-best[flagged])]:
        name, number, text = paragraphs[position]
        print(f"{best[position]:.2f} {name}:{number}\n  training: {text[:150]}\n  dev #{index[position]}: "
              f"{dev_texts[index[position]][:150]}")
    print(f"{len(flagged)} of {len(paragraphs)} training paragraphs at cosine >= {args.threshold} "
          f"(highest {best.max():.2f})")
    return 1 if len(flagged) else 0


if __name__ == "__main__":
    sys.exit(main())
