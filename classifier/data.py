"""Reading and checking labelled JSON Lines: ``{"text": "...", "labels": [...]}`` per line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from classifier.errors import DataError
from classifier.labels import LABELS, validate_labels


@dataclass(frozen=True)
class Example:
    """One labelled paragraph."""

    text: str
    labels: tuple[str, ...]


def labelled_files(path: Path) -> list[Path]:
    """The JSON Lines files at ``path``: the file itself, or every ``*.jsonl`` below a folder, sorted."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if not any(part.startswith(".") for part in p.parts))
        if not files:
            raise DataError(f"{path}: no .jsonl files in this folder")
        return files
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    return [path]


def parse_line(line: str, where: str) -> Example:
    """Parse one JSON line into an Example; ``where`` names the file and line in errors."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise DataError(f"{where}: expected a JSON object")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{where}: 'text' must be a non-empty string")
    labels = item.get("labels")
    if not isinstance(labels, list):
        raise DataError(f"{where}: 'labels' must be a list (use [] for none)")
    return Example(text=text, labels=tuple(validate_labels(labels, where)))


def read_labelled(path: Path) -> list[Example]:
    """Read every labelled paragraph at ``path`` (a file or a folder of ``.jsonl``), in a stable order."""
    examples: list[Example] = []
    for file in labelled_files(Path(path)):
        try:
            with open(file, encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        examples.append(parse_line(line, f"{file}:{number}"))
        except UnicodeDecodeError:
            raise DataError(f"{file}: not UTF-8 text") from None
        except OSError as exc:
            raise DataError(f"{file}: cannot read ({exc.strerror})") from None
    if not examples:
        raise DataError(f"{path}: no labelled paragraphs")
    return examples


def label_matrix(examples: list[Example]):
    """A (paragraphs x labels) 0/1 numpy array in the order of LABELS."""
    import numpy as np

    matrix = np.zeros((len(examples), len(LABELS)), dtype=np.int8)
    for row, example in enumerate(examples):
        for label in example.labels:
            matrix[row, LABELS.index(label)] = 1
    return matrix


def data_fingerprint(examples: list[Example]) -> str:
    """A SHA-256 of the examples' texts and labels, in order: the same data gives the same hash."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps([example.text, list(example.labels)], ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def label_counts(examples: list[Example]) -> dict[str, int]:
    """Positives per label, plus paragraphs with no label and with two or more."""
    counts = {label: sum(label in e.labels for e in examples) for label in LABELS}
    counts["none"] = sum(not e.labels for e in examples)
    counts["multi"] = sum(len(e.labels) > 1 for e in examples)
    counts["paragraphs"] = len(examples)
    return counts
