"""The label set (see LABELS.md) and its validation."""

from __future__ import annotations

from collections.abc import Iterable

from classifier.errors import DataError

LABELS: tuple[str, ...] = ("data_access", "layoffs", "litigation", "funding")


def validate_labels(labels: Iterable[object], where: str = "") -> list[str]:
    """Return the labels in canonical order, or raise DataError naming the first unknown one."""
    found = []
    for label in labels:
        if label not in LABELS:
            prefix = f"{where}: " if where else ""
            raise DataError(f"{prefix}unknown label {label!r} (known: {', '.join(LABELS)})")
        found.append(label)
    return [label for label in LABELS if label in found]
