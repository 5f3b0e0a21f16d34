"""Writing tagged rows: JSON Lines, CSV, Parquet or a table, never half-written.

Files are written with ``errors="backslashreplace"``: a file name that is not valid UTF-8 reaches Python with lone
surrogates, which then appear as ``\\udcXX``, a valid escape inside a JSON string.

Rows for a file go first to ``OUT.partial`` (JSON Lines, flushed every chunk and fsynced every few seconds), and
become ``OUT`` in the chosen format only when the run ends well. An interrupted run leaves ``OUT.partial``, which
``--resume`` continues.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from functools import lru_cache
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TextIO

from classifier.errors import OutputError
from classifier.labels import LABELS

FORMATS = ("jsonl", "csv", "parquet", "table")
ROW_FIELDS = ("document", "paragraph", "labels", *LABELS, "repeat_of")
PARQUET_BATCH = 50_000
FSYNC_SECONDS = 2.0  # rows are flushed to the OS every chunk, and forced to disk at most this often and at the end


@lru_cache(maxsize=4096)
def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


_LABELS_JSON: dict[tuple, str] = {}
_SCORES_JSON = "".join(f', "{label}": %.6f' for label in LABELS)


def row_json(row) -> str:
    """One JSON line for a tagged Row, built directly (this is the hot path of a big run)."""
    labels = _LABELS_JSON.get(row.labels)
    if labels is None:
        labels = _LABELS_JSON.setdefault(row.labels, json.dumps(list(row.labels)))
    scores = _SCORES_JSON % tuple(row.scores)
    repeat_of = "null" if row.repeat_of is None else _json_string(row.repeat_of)
    text = "" if row.text is None else f', "text": {json.dumps(row.text, ensure_ascii=False)}'
    return (f'{{"document": {_json_string(row.document)}, "paragraph": {row.paragraph}, "labels": {labels}'
            f'{scores}, "repeat_of": {repeat_of}{text}}}\n')


def row_dict(row) -> dict:
    """A tagged Row as the dict its JSON line holds."""
    record = {"document": row.document, "paragraph": row.paragraph, "labels": list(row.labels)}
    record.update((label, float(f"{score:.6f}")) for label, score in zip(LABELS, row.scores))
    record["repeat_of"] = row.repeat_of
    if row.text is not None:
        record["text"] = row.text
    return record


def row_fields(with_text: bool) -> tuple[str, ...]:
    return ROW_FIELDS + (("text",) if with_text else ())


def _os_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path} ({exc.strerror or exc})")


def partial_path(out: Path) -> Path:
    return out.with_name(out.name + ".partial")


class Spool:
    """The ``OUT.partial`` file that collects rows as JSON Lines until the run is complete."""

    def __init__(self, out: Path, resume: bool, force: bool):
        self.out = Path(out)
        self.path = partial_path(self.out)
        if not self.out.parent.is_dir():
            raise OutputError(f"cannot write {self.out}: folder {self.out.parent} does not exist")
        if self.out.exists() and not force:
            raise OutputError(f"{self.out} exists; pass --force to overwrite it")
        if resume and not self.path.exists():
            raise OutputError(f"nothing to resume: {self.path} does not exist")
        if not resume and self.path.exists() and not force:
            raise OutputError(f"{self.path} holds an interrupted run; pass --resume to continue it or --force to restart")
        try:
            if resume:
                self._drop_torn_line()
                self._handle = open(self.path, "a", encoding="utf-8", errors="backslashreplace")
            else:
                self._handle = open(self.path, "w", encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise _os_error(self.path, exc) from None
        self._synced = time.monotonic()

    def _drop_torn_line(self) -> None:
        """Cut a last line that an interruption left unfinished."""
        with open(self.path, "rb+") as handle:
            data_end = handle.seek(0, os.SEEK_END)
            position = data_end
            while position > 0:
                step = min(65536, position)
                handle.seek(position - step)
                block = handle.read(step)
                newline = block.rfind(b"\n")
                if newline >= 0:
                    position = position - step + newline + 1
                    break
                position -= step
            if position != data_end:
                handle.truncate(position)

    def resumed_rows(self) -> Iterator[dict]:
        """The rows the spool held when this run started (for ``--resume``), in order."""
        with open(self.path, "rb") as handle:
            count = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        return islice(self.done_rows(), count)

    def done_rows(self) -> Iterator[dict]:
        """The rows in the spool, in order."""
        with open(self.path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise OutputError(f"{self.path}:{number}: not a row this tool wrote; restart with --force") from None

    def append(self, rows: list) -> None:
        """Write tagged Rows; every call ends with the rows handed to the OS, so a killed process keeps them."""
        try:
            self._handle.write("".join(map(row_json, rows)))
            self._handle.flush()
            if time.monotonic() - self._synced > FSYNC_SECONDS:
                os.fsync(self._handle.fileno())
                self._synced = time.monotonic()
        except OSError as exc:
            raise _os_error(self.path, exc) from None

    def close(self) -> None:
        """Flush, force to disk and close."""
        if self._handle.closed:
            return
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise _os_error(self.path, exc) from None
        finally:
            self._handle.close()

    def finish(self, fmt: str, fields: tuple[str, ...]) -> None:
        """Turn the complete spool into ``OUT`` in format ``fmt`` (atomically) and remove the spool."""
        self.close()
        try:
            if fmt == "jsonl":
                os.replace(self.path, self.out)
                return
            converted = self.out.with_name(self.out.name + ".converting")
            try:
                rows = self.done_rows()
                if fmt == "csv":
                    with open(converted, "w", encoding="utf-8", newline="") as handle:
                        write_csv(rows, handle, fields)
                elif fmt == "parquet":
                    write_parquet(rows, converted, fields)
                else:
                    raise OutputError(f"format {fmt!r} cannot be written to a file")
                os.replace(converted, self.out)
            finally:
                if converted.exists():
                    converted.unlink()
            self.path.unlink()
        except OSError as exc:
            raise _os_error(self.out, exc) from None


def csv_record(row: dict, fields: tuple[str, ...]) -> list:
    values = []
    for name in fields:
        value = row.get(name)
        if name == "labels":
            value = ";".join(value)
        elif value is None:
            value = ""
        values.append(value)
    return values


def write_csv(rows: Iterable[dict], handle: TextIO, fields: tuple[str, ...]) -> None:
    writer = csv.writer(handle)
    writer.writerow(fields)
    for row in rows:
        writer.writerow(csv_record(row, fields))


def write_parquet(rows: Iterable[dict], path: Path, fields: tuple[str, ...]) -> None:
    """Parquet with typed columns, written in batches so memory stays flat."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError("Parquet output needs the parquet extra: pip install 'privacy-risk-news-classifier[parquet]'") from None
    types = {"document": pa.string(), "paragraph": pa.int64(), "labels": pa.list_(pa.string()),
             "repeat_of": pa.string(), "text": pa.string(), **{label: pa.float64() for label in LABELS}}
    schema = pa.schema([(name, types[name]) for name in fields])
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))


class StreamWriter:
    """Rows written straight to a text stream (stdout) as JSON Lines, CSV or an aligned table."""

    def __init__(self, fmt: str, fields: tuple[str, ...], stream: TextIO | None = None):
        if fmt == "parquet":
            raise OutputError("Parquet is a binary format: give --out FILE")
        self.fmt, self.fields = fmt, fields
        self.stream = stream or sys.stdout
        self._csv = csv.writer(self.stream) if fmt == "csv" else None
        if self._csv:
            self._csv.writerow(fields)
        elif fmt == "table":
            self.stream.write(f"{'document':<34} {'par':>3}  {'labels':<40} text\n")

    def append(self, rows: list) -> None:
        for row in rows:
            if self._csv:
                self._csv.writerow(csv_record(row_dict(row), self.fields))
            elif self.fmt == "table":
                self.stream.write(table_line(row_dict(row)))
            else:
                self.stream.write(row_json(row))
        self.stream.flush()


def table_line(row: dict) -> str:
    """One aligned line for a person: where, the labels with their probabilities, and the start of the text."""
    document = row["document"] if len(row["document"]) <= 34 else "..." + row["document"][-31:]
    labels = " ".join(f"{label}:{row[label]:.2f}" for label in row["labels"]) or "-"
    if row.get("repeat_of"):
        labels += " (repeat)"
    text = " ".join(row.get("text", "").split())
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{document:<34} {row['paragraph']:>3}  {labels:<40} {text}\n"


class AtomicJsonLines:
    """A JSON Lines file (errors, summaries) written record by record under a temporary name, renamed at commit."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.temporary = partial_path(self.path)
        try:
            self._handle = open(self.temporary, "w", encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise _os_error(self.temporary, exc) from None

    def write(self, record: dict) -> None:
        try:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise _os_error(self.temporary, exc) from None

    def commit(self) -> None:
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self.temporary, self.path)
        except OSError as exc:
            raise _os_error(self.path, exc) from None

    def abort(self) -> None:
        self._handle.close()
        self.temporary.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes, temporary: Path | None = None) -> None:
    """A whole file written under a temporary name (``path.partial`` unless given), forced to disk, renamed into
    place."""
    path = Path(path)
    temporary = temporary or partial_path(path)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _os_error(path, exc) from None


def write_text_atomically(path: Path, text: str) -> None:
    """A whole UTF-8 text file written atomically."""
    write_bytes_atomically(path, text.encode("utf-8", "backslashreplace"))
