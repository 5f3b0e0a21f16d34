"""Readers of news archives: one small module per format, each yielding documents and problems.

A reader never stops the run for one bad record: it yields a :class:`Problem` and goes on. A file that cannot be
read at all raises :class:`~classifier.errors.ReaderError`, which the caller records for that file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO
from pathlib import Path

from classifier.errors import ReaderError


@dataclass(frozen=True)
class Document:
    """One story: an id that says where it came from, an optional title, and its paragraphs in order."""

    id: str
    paragraphs: list[str]
    title: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something in the input that could not be read; it goes to the errors file."""

    path: str
    reason: str
    location: str | None = None


@dataclass(frozen=True)
class ReaderOptions:
    """Choices the user can make about how inputs are read."""

    reader: str | None = None  # force one reader for every file
    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"


STDIN = "-"
SUFFIX_READERS = {
    ".txt": "text",
    ".md": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".warc.gz": "warc",
}
READER_NAMES = ("text", "jsonl", "csv", "html", "warc")


def reader_name(path: str, options: ReaderOptions) -> str | None:
    """The reader for ``path``: the forced one, else the one its extension names, else None."""
    if options.reader:
        return options.reader
    name = path.lower()
    for suffix in sorted(SUFFIX_READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIX_READERS[suffix]
    return None


def walk_inputs(paths: Iterable[str], options: ReaderOptions) -> Iterator[str | Problem]:
    """Every input file named by ``paths``: files as given, folders walked recursively in sorted order.

    Hidden files and folders are skipped; in folders, files no reader knows are skipped; symlinked folders are not
    followed (so a link loop cannot trap the walk).
    """
    for path in paths:
        if path == STDIN:
            yield STDIN
        elif os.path.isdir(path):
            yield from _walk_folder(path, options)
        elif os.path.exists(path):
            yield path
        else:
            yield Problem(path, "no such file or folder")


def _walk_folder(folder: str, options: ReaderOptions) -> Iterator[str | Problem]:
    problems: list[Problem] = []
    for root, dirs, files in os.walk(folder, onerror=lambda exc: problems.append(_walk_problem(exc))):
        yield from problems
        problems.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and reader_name(name, options):
                yield os.path.join(root, name)
    yield from problems


def _walk_problem(exc: OSError) -> Problem:
    return Problem(str(exc.filename), f"cannot list folder ({exc.strerror})")


def read_source(path: str, options: ReaderOptions) -> Iterator[Document | Problem]:
    """Documents and problems of one input file (or stdin)."""
    name = reader_name(path, options) or "text"
    if name == "text":
        from classifier.readers.text import read_text

        return read_text(path)
    if name == "jsonl":
        from classifier.readers.jsonl import read_jsonl

        return read_jsonl(path, options)
    if name == "csv":
        from classifier.readers.csv import read_csv

        return read_csv(path, options)
    if name == "html":
        from classifier.readers.html import read_html

        return read_html(path)
    if name == "warc":
        from classifier.readers.warc import read_warc

        return read_warc(path)
    raise ReaderError(f"unknown reader {name!r} (known: {', '.join(READER_NAMES)})")


@contextmanager
def open_binary(path: str) -> Iterator[BinaryIO]:
    """A binary stream of a file or of stdin; ReaderError when it cannot be opened."""
    import sys

    if path == STDIN:
        yield sys.stdin.buffer
        return
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise ReaderError(f"cannot read ({exc.strerror})") from None
    with handle:
        yield handle


def read_bytes(path: str) -> bytes:
    """The bytes of a file or of stdin; ReaderError when it cannot be read."""
    with open_binary(path) as stream:
        try:
            return stream.read()
        except OSError as exc:
            raise ReaderError(f"cannot read ({exc.strerror})") from None


def read_all(paths: Iterable[str], options: ReaderOptions) -> Iterator[Document | Problem]:
    """Documents and problems of every input, in order; a file that fails whole becomes one problem."""
    for source in walk_inputs(paths, options):
        if isinstance(source, Problem):
            yield source
            continue
        try:
            yield from read_source(source, options)
        except ReaderError as exc:
            yield Problem(source, str(exc))
