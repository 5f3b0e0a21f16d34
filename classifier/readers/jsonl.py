"""JSON Lines exports: one story per line, its text (and optional id and title) in configurable fields."""

from __future__ import annotations

import json
from collections.abc import Iterator

from classifier.decoding import text_lines
from classifier.paragraphs import split_paragraphs
from classifier.readers import Document, Problem, ReaderOptions, open_binary


def read_jsonl(path: str, options: ReaderOptions) -> Iterator[Document | Problem]:
    with open_binary(path) as stream:
        for number, line in enumerate(text_lines(stream), start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(path, f"not valid JSON ({exc.msg})", where)
                continue
            if not isinstance(item, dict):
                yield Problem(path, "not a JSON object", where)
                continue
            body = item.get(options.text_field)
            if not isinstance(body, str):
                yield Problem(path, f"no string field {options.text_field!r}", where)
                continue
            record_id = item.get(options.id_field)
            suffix = str(record_id) if isinstance(record_id, (str, int)) and str(record_id) else f"line{number}"
            title = item.get(options.title_field)
            yield Document(f"{path}#{suffix}", split_paragraphs(body), title if isinstance(title, str) else None)
