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
from classifier.repeats import RepeatIndex

#: The label tuple for each bit mask of labels reached (bit i set when LABELS[i] reached its threshold).
_LABEL_SETS = [tuple(label for bit, label in enumerate(LABELS) if mask >> bit & 1) for mask in range(1 << len(LABELS))]
_BITS = 1 << np.arange(len(LABELS))
_PRE_DISPATCH = 4  # chunks handed to workers ahead of the one being written


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
    repeat_window: int = 200_000  # repeats are found among about this many most recent distinct paragraphs


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


class _Chunk:
    """Up to ``chunk_size`` paragraphs, with the documents and problems between them, in input order."""

    def __init__(self):
        self.items: list = []  # Documents, Problems, and ints (positions in the paragraph lists below)
        self.documents: list[str] = []
        self.indexes: list[int] = []
        self.texts: list[str] = []
        self.keys: list[int] = []
        # Filled by the planner: each paragraph's slot, whether it is a repeat, whether a resumed run wrote it.
        self.slots = np.empty(0, dtype=np.int64)
        self.repeat: list[bool] = []
        self.done: list[bool] = []
        self.to_score: list[int] = []  # positions of the paragraphs to score: first occurrences not yet written


class _Planner:
    """Turns the document stream into chunks, finding repeats and skipping rows a resumed run already wrote."""

    def __init__(self, options: TagOptions, done_rows: Iterator[dict] | None):
        self.options = options
        self.repeats = RepeatIndex(options.repeat_window, len(LABELS), in_flight=(_PRE_DISPATCH + 4) * options.chunk_size)
        self.done_rows = done_rows

    def chunks(self, items: Iterable[Document | Problem]) -> Iterator[_Chunk]:
        chunk = _Chunk()
        for item in items:
            chunk.items.append(item)
            if isinstance(item, Document):
                for index, text in enumerate(item.paragraphs):
                    chunk.items.append(len(chunk.texts))
                    chunk.documents.append(item.id)
                    chunk.indexes.append(index)
                    chunk.texts.append(text)
                    chunk.keys.append(fingerprint(text))
                    if len(chunk.texts) >= self.options.chunk_size:
                        yield self._resolve(chunk)
                        chunk = _Chunk()
        if chunk.items:
            yield self._resolve(chunk)

    def _resolve(self, chunk: _Chunk) -> _Chunk:
        slots, chunk.repeat = self.repeats.resolve(chunk.keys, chunk.documents, chunk.indexes)
        for position, (slot, repeat) in enumerate(zip(slots, chunk.repeat)):
            done = self._next_done_row()
            if done is not None:
                self._check_done(done, chunk.documents[position], chunk.indexes[position])
                if not repeat:
                    self.repeats.scores[slot] = [done[label] for label in LABELS]
            elif not repeat:
                chunk.to_score.append(position)
            chunk.done.append(done is not None)
        chunk.slots = np.array(slots, dtype=np.int64)
        return chunk

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
        ):
            raise OutputError(
                f"the partial output does not match these inputs at {document}#{index}; restart with --force"
            )


class DocumentSummaries:
    """One record per document: paragraphs, paragraphs per label and the highest probability of each label."""

    def __init__(self, write: Callable[[dict], None]):
        self.write = write
        self.current: dict | None = None

    def start(self, document_id: str, title: str | None) -> None:
        self.close()
        self.current = {"document": document_id, "title": title, "paragraphs": 0,
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
            maxima[label] = max(maxima[label], round(score, 6))


def _emit(chunk: _Chunk, repeats: RepeatIndex, thresholds: np.ndarray, options: TagOptions, stats: TagStats,
          summaries: DocumentSummaries | None) -> tuple[list[Row], list[Problem]]:
    """The rows of a scored chunk (less those a resumed run wrote), and its problems, in input order."""
    scores = repeats.scores[chunk.slots]
    reached = scores >= thresholds
    masks = (reached @ _BITS).tolist()
    score_lists = scores.tolist()
    for label, count in zip(LABELS, reached.sum(axis=0).tolist()):
        stats.label_counts[label] += count
    stats.paragraphs += len(chunk.texts)
    stats.repeats += sum(chunk.repeat)
    rows, problems = [], []
    for item in chunk.items:
        if type(item) is int:
            labels = _LABEL_SETS[masks[item]]
            if summaries is not None:
                summaries.add(labels, score_lists[item])
            if not chunk.done[item]:
                repeat_of = repeats.reference(int(chunk.slots[item])) if chunk.repeat[item] else None
                rows.append(Row(chunk.documents[item], chunk.indexes[item], labels, score_lists[item], repeat_of,
                                chunk.texts[item] if options.with_text else None))
        elif isinstance(item, Problem):
            problems.append(item)
            stats.problems += 1
        else:
            stats.documents += 1
            if summaries is not None:
                summaries.start(item.id, item.title)
    return rows, problems


_worker_models: dict = {}


def _worker_model(model_dir: str):
    """The model, loaded once per worker process."""
    from classifier.store import load_model

    if model_dir not in _worker_models:
        _worker_models[model_dir] = load_model(model_dir)
    return _worker_models[model_dir]


def _score_in_worker(model_dir: str, texts: list[str]) -> np.ndarray:
    return _worker_model(model_dir).scores(texts)


def _scored_in_workers(chunks: Iterator[_Chunk], texts_of, model, model_dir: str, jobs: int) -> Iterator:
    """(chunk, scores) in input order, scored by ``jobs`` joblib (loky) worker processes.

    The workers start by loading the model; until one of them has, this process scores the chunks itself, so the
    start-up of the workers costs no time. At most ``_PRE_DISPATCH`` chunks wait ahead of the one being written, so
    memory stays flat even when writing is slower than scoring.
    """
    from joblib.externals.loky import get_reusable_executor

    executor = get_reusable_executor(max_workers=jobs)
    warm_up = [executor.submit(_worker_model, model_dir) for _ in range(jobs)]
    in_flight: deque = deque()
    try:
        for chunk in chunks:
            if not any(future.done() for future in warm_up):
                yield chunk, model.scores(texts_of(chunk))
                continue
            in_flight.append((chunk, executor.submit(_score_in_worker, model_dir, texts_of(chunk))))
            if len(in_flight) > _PRE_DISPATCH:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
    finally:
        # Nothing is left for the workers (or the run was stopped): do not wait for any still starting up.
        executor.shutdown(wait=False, kill_workers=True)


def tag(items: Iterable[Document | Problem], model, model_dir: str, write: Callable[[list[Row]], None],
        options: TagOptions = TagOptions(), done_rows: Iterator[dict] | None = None,
        on_problems: Callable[[list[Problem]], None] | None = None,
        summaries: DocumentSummaries | None = None,
        on_row_batch: Callable[[list[Row], TagStats], None] | None = None) -> TagStats:
    """Tag every paragraph of ``items`` and pass the rows, in input order, to ``write`` chunk by chunk."""
    stats = TagStats()
    planner = _Planner(options, done_rows)
    chunks = planner.chunks(items)

    def texts_of(chunk: _Chunk) -> list[str]:
        return [chunk.texts[position] for position in chunk.to_score]

    if options.jobs > 1:
        results = _scored_in_workers(chunks, texts_of, model, str(model_dir), options.jobs)
    else:
        results = ((chunk, model.scores(texts_of(chunk))) for chunk in chunks)
    for chunk, scores in results:
        if chunk.to_score:
            planner.repeats.scores[chunk.slots[chunk.to_score]] = scores
        rows, problems = _emit(chunk, planner.repeats, model.thresholds, options, stats, summaries)
        if problems and on_problems:
            on_problems(problems)
        if rows:
            write(rows)
        if on_row_batch:
            on_row_batch(rows, stats)
    return stats
