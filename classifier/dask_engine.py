"""Tagging on a Dask cluster (the ``dask`` extra): the archive is split into shards, each worker loads the model once
and tags whole shards into part files, and the client then runs the local engine's repeat finding over all parts
in order, so the parts hold exactly the rows that ``classifier tag`` gives on one machine.

Output folder: ``part-NNNNN.parquet`` (or ``.jsonl``) in input order, ``errors.jsonl`` and ``manifest.json``, which
is written last: a folder with a manifest is complete. Work in progress sits in ``.work/``; ``--resume`` skips the
shards whose parts are done.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from classifier.errors import OutputError
from classifier.labels import LABELS
from classifier.paragraphs import stable_fingerprint
from classifier.readers import Document, ReaderOptions
from classifier.repeats import RepeatIndex
from classifier.shards import Shard, plan_shards, read_shard
from classifier.tagging import _LABEL_SETS, DocumentSummaries, Row, TagOptions, TagStats, _worker_model, tag
from classifier.writers import AtomicJsonLines, write_bytes_atomically

WORK = ".work"
MANIFEST = "manifest.json"
ERRORS = "errors.jsonl"
PART_FORMATS = ("parquet", "jsonl")


@dataclass(frozen=True)
class DaskJob:
    paths: list[str]
    out: Path
    model_dir: Path
    fmt: str = "parquet"
    scheduler: str | None = None
    workers: int = 2
    shard_bytes: int = 64 << 20
    retries: int = 2
    resume: bool = False
    force: bool = False
    reader: ReaderOptions = field(default_factory=ReaderOptions)
    options: TagOptions = field(default_factory=TagOptions)
    summary: Path | None = None  # where to write one JSON line per document, as the local engine's --summary


def part_name(number: int, fmt: str) -> str:
    return f"part-{number:05d}.{fmt}"


# ---------------------------------------------------------------------------------------------------- on workers

def tag_shard(shard: dict, model_dir: str, out: str, fmt: str, reader: dict, options: dict) -> dict:
    """Tag one shard on a worker: write its part (atomically), the stable fingerprints of its rows and its documents'
    summaries; return a record of what it did, which is also saved as the shard's ``done`` file."""
    model = _worker_model(model_dir)
    spec = Shard(**shard)
    fingerprints: list[int] = []

    def items():
        for item in read_shard(spec, ReaderOptions(**reader)):
            if isinstance(item, Document):
                fingerprints.extend(stable_fingerprint(p) for p in item.paragraphs)
            yield item

    rows: list[Row] = []
    problems: list[dict] = []
    summaries: list[dict] = []
    summary_of_documents = DocumentSummaries(summaries.append)
    stats = tag(items(), model, model_dir, rows.extend, TagOptions(**{**options, "jobs": 1}),
                on_problems=lambda found: problems.extend(_problem_record(p) for p in found),
                summaries=summary_of_documents)
    summary_of_documents.close()
    work = Path(out) / WORK
    _write_part(Path(out) / part_name(spec.number, fmt), rows, fmt, options["with_text"])
    _atomic_bytes(work / f"{spec.number:05d}.fingerprints.npy", _npy(np.array(fingerprints, dtype=np.uint64)))
    _atomic_bytes(work / f"{spec.number:05d}.summaries.jsonl",
                  "".join(json.dumps(summary) + "\n" for summary in summaries).encode("utf-8"))
    record = {"number": spec.number, "rows": len(rows), "documents": stats.documents, "problems": problems}
    _atomic_bytes(work / f"{spec.number:05d}.done.json", json.dumps(record).encode("utf-8"))
    return record


def _problem_record(problem) -> dict:
    return {"path": problem.path, "where": problem.location, "reason": problem.reason}


def _npy(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _atomic_bytes(path: Path, data: bytes) -> None:
    # The temporary name is the process's own: a shard run twice at once (a worker thought lost) cannot clash.
    write_bytes_atomically(path, data, path.with_name(f"{path.name}.partial-{os.getpid()}"))


def _write_part(path: Path, rows: list, fmt: str, with_text: bool) -> None:
    from classifier.writers import row_dict, row_fields, row_json, write_parquet

    temporary = path.with_name(f"{path.name}.partial-{os.getpid()}")
    if fmt == "jsonl":
        with open(temporary, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write("".join(map(row_json, rows)))
            handle.flush()
            os.fsync(handle.fileno())
    else:
        write_parquet((row_dict(row) for row in rows), temporary, row_fields(with_text))
    os.replace(temporary, path)


# ------------------------------------------------------------------------------------------------ on the client

def _prepare(job: DaskJob, shards: list[Shard]) -> set[int]:
    """Make the output folder ready; return the numbers of the shards already done (with ``--resume``)."""
    out, work = job.out, job.out / WORK
    plan = {"shards": [s.to_dict() for s in shards], "format": job.fmt, "model": str(job.model_dir),
            "with_text": job.options.with_text}
    if job.resume:
        try:
            previous = json.loads((work / "plan.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            raise OutputError(f"nothing to resume in {out}: no plan of an earlier run") from None
        if previous != plan:
            raise OutputError(f"{out} holds a run of other inputs or settings; restart with --force")
        return {int(p.name[:5]) for p in work.glob("*.done.json")}
    if out.exists() and any(out.iterdir()):
        if not job.force:
            raise OutputError(f"{out} is not empty; pass --force to replace the tagging output in it, "
                              "or --resume to continue")
        _remove_output(out)
    work.mkdir(parents=True, exist_ok=True)
    _atomic_bytes(work / "plan.json", json.dumps(plan).encode("utf-8"))
    return set()


def _remove_output(out: Path) -> None:
    """Remove what a tagging run writes in ``out``, and nothing else."""
    for path in out.iterdir():
        if path.name == WORK:
            shutil.rmtree(path)
        elif path.name in (MANIFEST, ERRORS) or path.name.startswith("part-"):
            path.unlink()


def _client(job: DaskJob):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise OutputError("the dask engine needs the dask extra: pip install 'privacy-risk-news-classifier[dask]'")
    if job.scheduler:
        try:
            return Client(job.scheduler, timeout="30s"), None
        except OSError as exc:
            raise OutputError(f"cannot reach the Dask scheduler at {job.scheduler} ({exc})") from None
    cluster = LocalCluster(n_workers=job.workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def run_dask(job: DaskJob, progress: Callable[[int, int], None] | None = None) -> TagStats:
    """Tag the archive on Dask; returns the same counts as the local engine reports."""
    if job.fmt not in PART_FORMATS:
        raise OutputError(f"the dask engine writes {' or '.join(PART_FORMATS)} parts, not {job.fmt}")
    stats = TagStats()
    shards = plan_shards(job.paths, job.reader, job.shard_bytes)
    done = _prepare(job, shards)
    # Opened before any work, so that a summary path that cannot be written stops the run at once.
    summary_file = AtomicJsonLines(job.summary) if job.summary is not None else None
    try:
        failures = _tag_pending(job, [s for s in shards if s.number not in done], len(done), len(shards), progress)
        stats = _finish(job, shards, failures, stats, summary_file)
    except BaseException:
        if summary_file is not None:
            summary_file.abort()
        raise
    if summary_file is not None:
        summary_file.commit()
    return stats


def _tag_pending(job: DaskJob, pending: list[Shard], finished: int, total: int,
                 progress: Callable[[int, int], None] | None) -> dict[int, str]:
    """Tag the shards not done yet on the cluster; returns the reason of each shard that failed on every try."""
    failures: dict[int, str] = {}
    if not pending:
        return failures
    client, cluster = _client(job)
    try:
        from distributed import as_completed

        futures = client.map(tag_shard, [s.to_dict() for s in pending], model_dir=str(job.model_dir),
                             out=str(job.out), fmt=job.fmt, reader=asdict(job.reader),
                             options=asdict(job.options), retries=job.retries, pure=False)
        for future in as_completed(futures):
            number = pending[futures.index(future)].number
            if future.status == "error":
                failures[number] = f"shard failed on every try ({type(future.exception()).__name__}: " \
                                   f"{str(future.exception())[:200]})"
            finished += 1
            if progress:
                progress(finished, total)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return failures


def _finish(job: DaskJob, shards: list[Shard], failures: dict[int, str], stats: TagStats,
            summary_file: AtomicJsonLines | None) -> TagStats:
    """Find repeats across all parts exactly as the local engine does, write errors and the manifest."""
    from classifier.store import read_metadata, sha256_file

    thresholds = np.array([read_metadata(job.model_dir)["thresholds"][label] for label in LABELS])
    problems: list[dict] = []
    finder = _RepeatPass(job, thresholds, stats, DocumentSummaries(summary_file.write) if summary_file else None)
    for shard in shards:
        if shard.number in failures:
            where = f"bytes {shard.start}-{shard.end}" if shard.end is not None else None
            problems.append({"path": shard.path, "where": where, "reason": failures[shard.number]})
            continue
        record = json.loads((job.out / WORK / f"{shard.number:05d}.done.json").read_text(encoding="utf-8"))
        problems += record["problems"]
        stats.documents += record["documents"]
        finder.add_part(shard.number)
    finder.close()
    stats.problems = len(problems)
    if problems:
        errors = AtomicJsonLines(job.out / ERRORS)
        for problem in problems:
            errors.write(problem)
        errors.commit()
    parts = [{"file": name, "rows": rows, "sha256": sha256_file(job.out / name)} for name, rows in finder.parts]
    manifest = {"format_version": 1, "engine": "dask", "format": job.fmt, "inputs": job.paths,
                "model": str(job.model_dir), "rows": sum(p["rows"] for p in parts), "documents": stats.documents,
                "repeats": stats.repeats, "errors": len(problems), "label_counts": stats.label_counts,
                "parts": parts}
    shutil.rmtree(job.out / WORK, ignore_errors=True)
    for stray in job.out.glob("part-*.partial-*"):
        stray.unlink()
    _atomic_bytes(job.out / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    return stats


class _RepeatPass:
    """Runs the local engine's repeat finding over the parts in order, in the same chunks of paragraphs, and rewrites
    the rows whose first occurrence lies in an earlier shard."""

    def __init__(self, job: DaskJob, thresholds: np.ndarray, stats: TagStats,
                 summaries: DocumentSummaries | None = None):
        self.job, self.thresholds, self.stats, self.summaries = job, thresholds, stats, summaries
        size = job.options.chunk_size
        self.index = RepeatIndex(job.options.repeat_window, len(LABELS), in_flight=size)
        self.masks = np.zeros(len(self.index.documents), dtype=np.int64)
        self.chunk: list[tuple[dict, int, int]] = []  # (row, fingerprint, number of its part)
        self.open_parts: list[tuple[int, list[dict]]] = []  # parts with rows not yet resolved or not yet written
        self.changed: set[int] = set()
        self.parts: list[tuple[str, int]] = []

    def add_part(self, number: int) -> None:
        rows = _read_part(self.job.out / part_name(number, self.job.fmt), self.job.fmt)
        keys = np.load(self.job.out / WORK / f"{number:05d}.fingerprints.npy", allow_pickle=False).tolist()
        if len(keys) != len(rows):
            raise OutputError(f"part {number} holds {len(rows)} rows but {len(keys)} fingerprints; rerun with --force")
        self.open_parts.append((number, rows))
        for row, key in zip(rows, keys):
            self.chunk.append((row, key, number))
            if len(self.chunk) >= self.job.options.chunk_size:
                self._resolve()
        self._write_finished()

    def close(self) -> None:
        if self.chunk:
            self._resolve()
        self._write_finished()

    def _resolve(self) -> None:
        rows = [row for row, _, _ in self.chunk]
        slots, repeats = self.index.resolve([key for _, key, _ in self.chunk], [r["document"] for r in rows],
                                            [r["paragraph"] for r in rows])
        for row, slot, repeat in zip(rows, slots, repeats):
            if not repeat:
                self.index.scores[slot] = [row[label] for label in LABELS]
                self.masks[slot] = sum(1 << LABELS.index(label) for label in row["labels"])
        for (row, _, number), slot, repeat in zip(self.chunk, slots, repeats):
            self.stats.paragraphs += 1
            if repeat:
                self.stats.repeats += 1
                wanted = {"labels": list(_LABEL_SETS[self.masks[slot]]), "repeat_of": self.index.reference(slot),
                          **{label: float(score) for label, score in zip(LABELS, self.index.scores[slot])}}
            else:
                wanted = {"repeat_of": None}
            if any(row.get(key) != value for key, value in wanted.items()):
                row.update(wanted)
                self.changed.add(number)
            for label in row["labels"]:
                self.stats.label_counts[label] += 1
        self.chunk = []

    def _write_finished(self) -> None:
        """Rewrite (when changed) and record the parts none of whose rows wait in the chunk being filled."""
        waiting = self.chunk[0][2] if self.chunk else None
        while self.open_parts and self.open_parts[0][0] != waiting:
            number, rows = self.open_parts.pop(0)
            name = part_name(number, self.job.fmt)
            if number in self.changed:
                _rewrite_part(self.job.out / name, rows, self.job.fmt, self.job.options.with_text)
            if self.summaries is not None:
                self._summarise(number, rows)
            self.parts.append((name, len(rows)))

    def _summarise(self, number: int, rows: list[dict]) -> None:
        """Pass on the summaries of the part's documents, counted from its final rows: the worker's records give
        each document's id, title and number of rows, in order."""
        remaining = iter(rows)
        with open(self.job.out / WORK / f"{number:05d}.summaries.jsonl", encoding="utf-8") as handle:
            for line in handle:
                document = json.loads(line)
                self.summaries.start(document["document"], document["title"])
                for _ in range(document["paragraphs"]):
                    row = next(remaining)
                    self.summaries.add(tuple(row["labels"]), [row[label] for label in LABELS])
        self.summaries.close()


def _read_part(path: Path, fmt: str) -> list[dict]:
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def _rewrite_part(path: Path, rows: list[dict], fmt: str, with_text: bool) -> None:
    from classifier.tagging import Row

    as_rows = [Row(r["document"], r["paragraph"], tuple(r["labels"]), [r[label] for label in LABELS],
                   r["repeat_of"], r.get("text")) for r in rows]
    _write_part(path, as_rows, fmt, with_text)


def read_output(out: Path) -> list[dict]:
    """All rows of a finished Dask output folder, in order (for tests and for users' scripts)."""
    manifest = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    rows: list[dict] = []
    for part in manifest["parts"]:
        rows += _read_part(Path(out) / part["file"], manifest["format"])
    return rows

