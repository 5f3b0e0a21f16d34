"""CSV exports with a header row: one story per row, its text (and optional id and title) in named columns."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

from classifier.decoding import text_lines
from classifier.errors import ReaderError
from classifier.paragraphs import split_paragraphs
from classifier.readers import Document, Problem, ReaderOptions, open_binary

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(path: str, options: ReaderOptions) -> Iterator[Document | Problem]:
    with open_binary(path) as stream:
        yield from _read_rows(path, csv.reader(text_lines(stream)), options)


def _read_rows(path: str, rows, options: ReaderOptions) -> Iterator[Document | Problem]:
    try:
        header = next(rows)
    except StopIteration:
        raise ReaderError("empty CSV file, no header row") from None
    except csv.Error as exc:
        raise ReaderError(f"malformed CSV header ({exc})") from None
    if options.text_field not in header:
        raise ReaderError(f"no column {options.text_field!r} in the header (columns: {', '.join(header)})")
    text_at = header.index(options.text_field)
    id_at = header.index(options.id_field) if options.id_field in header else None
    title_at = header.index(options.title_field) if options.title_field in header else None
    number = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(path, f"malformed CSV ({exc})", f"row {number + 1}")
            return
        number += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Problem(path, f"{len(row)} fields where the header has {len(header)}", f"row {number}")
            continue
        suffix = row[id_at] if id_at is not None and row[id_at] else f"row{number}"
        title = row[title_at] if title_at is not None else None
        yield Document(f"{path}#{suffix}", split_paragraphs(row[text_at]), title or None)
