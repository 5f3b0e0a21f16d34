"""Batch tagging: documents stream in, paragraphs are scored in chunks (in worker processes with ``jobs > 1``) and
rows stream out in input order, with repeated paragraphs scored once and a resume that skips finished rows."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from classifier.errors import OutputError
from classifier.labels import LABELS
from classifier.paragraphs import fingerprint
from classifier.readers import Document, Problem

#: The label tuple for each bit mask of labels reached (bit i set when LABELS[i] reached its threshold).
_LABEL_SETS = [tuple(label for bit, label in enumerate(LABELS) if mask >> bit & 1) for mask in range(1 << len(LABELS))]
_BITS = 1 << np.arange(len(LABELS))


class Row(NamedTuple):
    """One tagged paragraph."""

    document: str
    paragraph: int
    labels: tuple[str, ...]
    scores: list[float]  # in the order of LABELS
    repeat_of: str | None
    text: str | None


@dataclass(frozen=True)
class TagOptions:
    jobs: int = 1
    chunk_size: int = 2000
    with_text: bool = False
    repeat_window: int = 500_000  # repeats are found among about this many most recent distinct paragraphs


@dataclass
class TagStats:
    documents: int = 0
    paragraphs: int = 0
    repeats: int = 0
    problems: int = 0
    label_counts: dict = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def line(self) -> str:
        counts = ", ".join(f"{label} {count}" for label, count in self.label_counts.items())
        return (
            f"{self.documents} documents, {self.paragraphs} paragraphs ({self.repeats} repeats); {counts}; "
            f"{self.problems} errors; {self.seconds:.1f}s"
        )


class _First:
    """The first occurrence of a paragraph, shared by its repeats; labels and scores arrive when it is scored."""

    __slots__ = ("reference", "labels", "scores")

    def __init__(self, reference: str):
        self.reference = reference
        self.labels: tuple[str, ...] = ()
        self.scores: list[float] = []


class RepeatIndex:
    """Fingerprints of recent distinct paragraphs, in two generations so that memory stays bounded.

    When the newer generation is full the older one is dropped, so a repeat is found when its first occurrence is
    among the last ``window / 2`` to ``window`` distinct paragraphs; an older one is scored again as new.
    """

    def __init__(self, window: int):
        self.half = max(window // 2, 1)
        self.current: dict[int, _First] = {}
        self.previous: dict[int, _First] = {}

    def get(self, key: int) -> _First | None:
        first = self.current.get(key)
        return first if first is not None else self.previous.get(key)

    def add(self, key: int, first: _First) -> None:
        if len(self.current) >= self.half:
            self.previous, self.current = self.current, {}
        self.current[key] = first


@dataclass
class _Chunk:
    # In input order: Documents (boundaries), Problems, and paragraphs as (document, index, text, first, state,
    # repeat) where state is NEW (to be scored), REPEAT or DONE (already written by an interrupted run).
    items: list = field(default_factory=list)
    texts: list = field(default_factory=list)  # the NEW paragraphs' texts, to score


NEW, REPEAT, DONE = 0, 1, 2


class _Planner:
    """Turns the document stream into chunks, finding repeats and skipping rows a resumed run already wrote."""

    def __init__(self, options: TagOptions, done_rows: Iterator[dict] | None):
        self.options = options
        self.repeats = RepeatIndex(options.repeat_window)
        self.done_rows = done_rows

    def chunks(self, items: Iterable[Document | Problem]) -> Iterator[_Chunk]:
        chunk = _Chunk()
        for item in items:
            chunk.items.append(item)
            if isinstance(item, Document):
                for index, text in enumerate(item.paragraphs):
                    self._plan(chunk, item.id, index, text)
                    if len(chunk.texts) >= self.options.chunk_size:
                        yield chunk
                        chunk = _Chunk()
        if chunk.items:
            yield chunk

    def _plan(self, chunk: _Chunk, document: str, index: int, text: str) -> None:
        key = fingerprint(text)
        first = self.repeats.get(key)
        repeat_of = None if first is None else first.reference
        if first is None:
            first = _First(f"{document}#{index}")
            self.repeats.add(key, first)
        state = NEW if repeat_of is None else REPEAT
        done = self._next_done_row()
        if done is not None:
            self._check_done(done, document, index)
            if state == NEW:
                first.scores = [float(done[label]) for label in LABELS]
                first.labels = tuple(label for label in LABELS if label in done["labels"])
            state = DONE
        chunk.items.append((document, index, text, first, state, repeat_of))
        if state == NEW:
            chunk.texts.append(text)

    def _next_done_row(self) -> dict | None:
        if self.done_rows is None:
            return None
        row = next(self.done_rows, None)
        if row is None:
            self.done_rows = None
        return row

    @staticmethod
    def _check_done(done: dict, document: str, index: int) -> None:
        if (done.get("document"), done.get("paragraph")) != (document, index) or not all(
            isinstance(done.get(label), (int, float)) for label in LABELS
        ) or not isinstance(done.get("labels"), list):
            raise OutputError(
                f"the partial output does not match these inputs at {document}#{index}; restart with --force"
            )


class DocumentSummaries:
    """One record per document: paragraphs, paragraphs per label and the highest probability of each label."""

    def __init__(self, write: Callable[[dict], None]):
        self.write = write
        self.current: dict | None = None

    def start(self, document: Document) -> None:
        self.close()
        self.current = {"document": document.id, "title": document.title, "paragraphs": 0,
                        "counts": dict.fromkeys(LABELS, 0), "max_scores": dict.fromkeys(LABELS, 0.0)}

    def close(self) -> None:
        """Pass on the record of the document in progress."""
        if self.current is not None:
            self.write(self.current)
            self.current = None

    def add(self, labels: tuple[str, ...], scores: list[float]) -> None:
        record = self.current
        record["paragraphs"] += 1
        for label in labels:
            record["counts"][label] += 1
        maxima = record["max_scores"]
        for label, score in zip(LABELS, scores):
            if score > maxima[label]:
                maxima[label] = round(score, 6)


def _assign_scores(chunk: _Chunk, scores: np.ndarray | None, thresholds: np.ndarray) -> None:
    """Give each NEW paragraph of the chunk its scores and labels."""
    if scores is None or not len(scores):
        return
    masks = ((scores >= thresholds) @ _BITS).tolist()
    rows = scores.tolist()
    position = 0
    for item in chunk.items:
        if type(item) is tuple and item[4] == NEW:
            first = item[3]
            first.scores = rows[position]
            first.labels = _LABEL_SETS[masks[position]]
            position += 1


def _emit(chunk: _Chunk, options: TagOptions, stats: TagStats,
          summaries: DocumentSummaries | None) -> tuple[list[Row], list[Problem]]:
    rows, problems = [], []
    counts = stats.label_counts
    for item in chunk.items:
        if type(item) is not tuple:
            if isinstance(item, Problem):
                problems.append(item)
                stats.problems += 1
            else:
                stats.documents += 1
                if summaries is not None:
                    summaries.start(item)
            continue
        document, index, text, first, state, repeat_of = item
        stats.paragraphs += 1
        for label in first.labels:
            counts[label] += 1
        if summaries is not None:
            summaries.add(first.labels, first.scores)
        if repeat_of is not None:
            stats.repeats += 1
        if state != DONE:
            rows.append(Row(document, index, first.labels, first.scores, repeat_of,
                            text if options.with_text else None))
    return rows, problems


_worker_models: dict = {}


def _score_in_worker(model_dir: str, texts: list[str]) -> np.ndarray:
    """Score texts in a worker process, loading the model once per process."""
    from classifier.store import load_model

    if model_dir not in _worker_models:
        _worker_models[model_dir] = load_model(model_dir)
    return _worker_models[model_dir].scores(texts)


def tag(items: Iterable[Document | Problem], model, model_dir: str, write: Callable[[list[Row]], None],
        options: TagOptions = TagOptions(), done_rows: Iterator[dict] | None = None,
        on_problems: Callable[[list[Problem]], None] | None = None,
        summaries: DocumentSummaries | None = None,
        on_row_batch: Callable[[list[Row], TagStats], None] | None = None) -> TagStats:
    """Tag every paragraph of ``items`` and pass the rows, in input order, to ``write`` chunk by chunk."""
    stats = TagStats()
    chunks = _Planner(options, done_rows).chunks(items)
    if options.jobs > 1:
        from joblib import Parallel, delayed

        pending: deque[_Chunk] = deque()

        def dispatched() -> Iterator:
            for chunk in chunks:
                pending.append(chunk)
                yield delayed(_score_in_worker)(str(model_dir), chunk.texts)

        parallel = Parallel(n_jobs=options.jobs, return_as="generator", pre_dispatch="2*n_jobs")
        results = ((pending.popleft(), scores) for scores in parallel(dispatched()))
    else:
        results = ((chunk, model.scores(chunk.texts) if chunk.texts else None) for chunk in chunks)
    for chunk, scores in results:
        _assign_scores(chunk, scores, model.thresholds)
        rows, problems = _emit(chunk, options, stats, summaries)
        if problems and on_problems:
            on_problems(problems)
        if rows:
            write(rows)
        if on_row_batch:
            on_row_batch(rows, stats)
    return stats
