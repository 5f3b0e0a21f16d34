"""Splitting an archive into shards for distributed tagging: one shard per file, and large JSON Lines files split
into byte ranges of whole lines. The concatenation of the shards, in order, is exactly the local engine's input."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from classifier.errors import ReaderError
from classifier.readers import STDIN, Document, Problem, ReaderOptions, read_source, reader_name, walk_inputs


@dataclass(frozen=True)
class Shard:
    """One unit of work: a file, or the whole lines in bytes [start, end) of a JSON Lines file. A shard with a
    ``problem`` stands for an input that could not be walked; it keeps the problem's place in the order."""

    number: int
    path: str
    start: int = 0
    end: int | None = None
    first_line: int = 1
    problem: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def plan_shards(paths: Iterable[str], options: ReaderOptions, shard_bytes: int) -> list[Shard]:
    """The shards of an archive, in the order the local engine reads it."""
    shards: list[Shard] = []
    for source in walk_inputs(paths, options):
        if isinstance(source, Problem):
            shards.append(Shard(len(shards), source.path, problem=source.reason))
        elif source == STDIN:
            raise ReaderError("the dask engine cannot read stdin; give files or folders")
        elif reader_name(source, options) == "jsonl" and _size(source) > shard_bytes:
            for start, end, first_line in _line_ranges(source, shard_bytes):
                shards.append(Shard(len(shards), source, start, end, first_line))
        else:
            shards.append(Shard(len(shards), source))
    return shards


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _line_ranges(path: str, shard_bytes: int) -> Iterator[tuple[int, int, int]]:
    """Byte ranges of about ``shard_bytes`` that start and end on line boundaries, with each one's first line
    number. UTF-16 files are not split (their line ends are two bytes wide)."""
    size = _size(path)
    with open(path, "rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            yield 0, size, 1
            return
        start, line = 0, 1
        while start < size:
            handle.seek(min(start + shard_bytes, size))
            handle.readline()  # on to the end of the line the cut falls in
            end = handle.tell()
            handle.seek(start)
            lines = _count_line_ends(handle, end - start)
            yield start, end, line
            start, line = end, line + lines


def _count_line_ends(handle, length: int) -> int:
    """The line ends in the next ``length`` bytes as the readers count them: LF, CRLF and a lone CR (old Mac)."""
    count, last = 0, b""
    while length > 0:
        block = handle.read(min(length, 1 << 20))
        if not block:
            break
        count += block.count(b"\n") + block.count(b"\r") - (last + block).count(b"\r\n")
        last, length = block[-1:], length - len(block)
    return count


def read_shard(shard: Shard, options: ReaderOptions) -> Iterator[Document | Problem]:
    """The documents and problems of one shard, exactly as the local engine reads that part of the input."""
    if shard.problem is not None:
        yield Problem(shard.path, shard.problem)
        return
    try:
        if shard.end is not None:
            from classifier.readers.jsonl import read_jsonl

            yield from read_jsonl(shard.path, options, shard.start, shard.end, shard.first_line)
        else:
            yield from read_source(shard.path, options)
    except ReaderError as exc:
        yield Problem(shard.path, str(exc))
