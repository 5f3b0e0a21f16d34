"""Batch tagging: documents stream in, paragraphs are scored in chunks (in worker processes with ``jobs > 1``) and
rows stream out in input order, with repeated paragraphs scored once and a resume that skips finished rows."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from classifier.errors import OutputError
from classifier.labels import LABELS
from classifier.paragraphs import fingerprint
from classifier.readers import Document, Problem


@dataclass(frozen=True)
class TagOptions:
    jobs: int = 1
    chunk_size: int = 2000
    with_text: bool = False
    remembered_paragraphs: int = 2_000_000  # repeats are found among this many distinct paragraphs


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


@dataclass
class _Planned:
    """A paragraph on its way through: where it is, its text, and the first occurrence when it is a repeat."""

    document: str
    index: int
    text: str
    first: list  # [reference, scores or None] shared by every occurrence of the same paragraph
    is_repeat: bool


@dataclass
class _Chunk:
    items: list = field(default_factory=list)  # _Planned rows, Documents (boundaries) and Problems, in order
    texts: list = field(default_factory=list)  # texts to score: the non-repeats
    done: list = field(default_factory=list)  # rows taken from a resumed run instead of being scored


class _Planner:
    """Turns the document stream into chunks, finding repeats and skipping rows a resumed run already wrote."""

    def __init__(self, options: TagOptions, done_rows: Iterator[dict] | None):
        self.options = options
        self.first_seen: dict[str, list] = {}
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
        first = self.first_seen.get(key)
        planned = _Planned(document, index, text, first or [f"{document}#{index}", None], first is not None)
        if first is None and len(self.first_seen) < self.options.remembered_paragraphs:
            self.first_seen[key] = planned.first
        chunk.items.append(planned)
        done = self._next_done_row()
        if done is not None:
            if (done.get("document"), done.get("paragraph")) != (document, index):
                raise OutputError(
                    f"the partial output does not match these inputs at {document}#{index}; restart with --force"
                )
            if not planned.is_repeat:
                planned.first[1] = np.array([done[label] for label in LABELS])
            chunk.done.append(planned)
        elif not planned.is_repeat:
            chunk.texts.append(text)

    def _next_done_row(self) -> dict | None:
        if self.done_rows is None:
            return None
        row = next(self.done_rows, None)
        if row is None:
            self.done_rows = None
        return row


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

    def add(self, labels: list[str], scores) -> None:
        record = self.current
        record["paragraphs"] += 1
        for label in labels:
            record["counts"][label] += 1
        for label, score in zip(LABELS, scores):
            record["max_scores"][label] = max(record["max_scores"][label], round(float(score), 6))


def _emit(chunk: _Chunk, scores: np.ndarray, thresholds: np.ndarray, options: TagOptions, stats: TagStats,
          summaries: DocumentSummaries | None) -> tuple[list[dict], list[Problem]]:
    rows, problems, position = [], [], 0
    done = {id(planned) for planned in chunk.done}
    for item in chunk.items:
        if isinstance(item, Problem):
            problems.append(item)
            stats.problems += 1
            continue
        if isinstance(item, Document):
            stats.documents += 1
            if summaries is not None:
                summaries.start(item)
            continue
        if not item.is_repeat and id(item) not in done:
            item.first[1] = scores[position]
            position += 1
        row_scores = item.first[1]
        labels = [label for label, s, t in zip(LABELS, row_scores, thresholds) if s >= t]
        stats.paragraphs += 1
        stats.repeats += item.is_repeat
        for label in labels:
            stats.label_counts[label] += 1
        if summaries is not None:
            summaries.add(labels, row_scores)
        if id(item) in done:
            continue
        row = {"document": item.document, "paragraph": item.index, "labels": labels}
        row.update((label, round(float(s), 6)) for label, s in zip(LABELS, row_scores))
        row["repeat_of"] = item.first[0] if item.is_repeat else None
        if options.with_text:
            row["text"] = item.text
        rows.append(row)
    return rows, problems


_worker_models: dict = {}


def _score_in_worker(model_dir: str, texts: list[str]) -> np.ndarray:
    """Score texts in a worker process, loading the model once per process."""
    from classifier.store import load_model

    if model_dir not in _worker_models:
        _worker_models[model_dir] = load_model(model_dir)
    return _worker_models[model_dir].scores(texts)


def tag(items: Iterable[Document | Problem], model, model_dir: str, write: Callable[[list[dict]], None],
        options: TagOptions = TagOptions(), done_rows: Iterator[dict] | None = None,
        on_problems: Callable[[list[Problem]], None] | None = None,
        summaries: DocumentSummaries | None = None,
        on_row_batch: Callable[[list[dict], TagStats], None] | None = None) -> TagStats:
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
        rows, problems = _emit(chunk, scores, model.thresholds, options, stats, summaries)
        if problems and on_problems:
            on_problems(problems)
        if rows:
            write(rows)
        if on_row_batch:
            on_row_batch(rows, stats)
    return stats
