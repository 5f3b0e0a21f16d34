"""Turning the bytes of a file into text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from classifier.errors import ReaderError


def decode_bytes(data: bytes, name: str = "") -> str:
    """Text of ``data``; raises ReaderError for binary content, its message prefixed with ``name`` if given."""
    prefix = f"{name}: " if name else ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReaderError(f"{prefix}not valid UTF-16 despite its byte-order mark") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ReaderError(f"{prefix}binary file, not text")
    return data.decode("cp1252", errors="replace")


def decode_line(data: bytes) -> str:
    """One line of a file that is not UTF-16: UTF-8, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def text_lines(stream: BinaryIO, name: str = "") -> Iterator[str]:
    """The lines of a binary stream as text, one at a time (so a large export never sits in memory whole).

    Line ends become ``\\n``; a UTF-8 or UTF-16 byte-order mark is honoured; binary content raises ReaderError.
    """
    prefix = f"{name}: " if name else ""
    head = stream.read(8192)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = io.TextIOWrapper(io.BufferedReader(_Prepend(head, stream)), encoding="utf-16", newline=None)
        try:
            yield from text
        except UnicodeDecodeError:
            raise ReaderError(f"{prefix}not valid UTF-16 despite its byte-order mark") from None
        return
    if b"\x00" in head:
        raise ReaderError(f"{prefix}binary file, not text")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    pending = b""
    for block in _blocks(head, stream):
        lines = (pending + block).split(b"\n")
        pending = lines.pop()
        for line in lines:
            yield from _split_cr(decode_line(line))
    if pending:
        yield from _split_cr(decode_line(pending))


def _split_cr(line: str) -> Iterator[str]:
    """A line without its CR (CRLF ends), split at lone CRs (old Mac line ends), each ending in LF."""
    if line.endswith("\r"):
        line = line[:-1]
    for piece in line.split("\r"):
        yield piece + "\n"


def _blocks(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield head
    yield from iter(lambda: stream.read(1 << 20), b"")


class _Prepend(io.RawIOBase):
    """A raw stream that gives ``head`` first, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.head[: len(buffer)]
        self.head = self.head[len(data):]
        if not data:
            data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
