"""JSON Lines exports: one story per line, its text (and optional id and title) in configurable fields."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from classifier.decoding import text_lines
from classifier.paragraphs import split_paragraphs
from classifier.readers import Document, Problem, ReaderOptions, open_binary


def read_jsonl(path: str, options: ReaderOptions, start: int = 0, end: int | None = None,
               first_line: int = 1) -> Iterator[Document | Problem]:
    """Stories of a JSON Lines file, or of the whole lines in bytes ``start`` to ``end`` of it (a shard whose first
    line is line number ``first_line`` of the file)."""
    with open_binary(path) as stream:
        if start or end is not None:
            stream.seek(start)
            stream = io.BytesIO(stream.read(None if end is None else end - start))
        for number, line in enumerate(text_lines(stream), start=first_line):
            if line.strip():
                yield _story(path, line, number, options)


def _story(path: str, line: str, number: int, options: ReaderOptions) -> Document | Problem:
    where = f"line {number}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return Problem(path, f"not valid JSON ({exc.msg})", where)
    if not isinstance(item, dict):
        return Problem(path, "not a JSON object", where)
    body = item.get(options.text_field)
    if not isinstance(body, str):
        return Problem(path, f"no string field {options.text_field!r}", where)
    record_id = item.get(options.id_field)
    suffix = str(record_id) if isinstance(record_id, (str, int)) and str(record_id) else f"line{number}"
    title = item.get(options.title_field)
    return Document(f"{path}#{suffix}", split_paragraphs(body), title if isinstance(title, str) else None)
