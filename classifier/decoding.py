"""Turning the bytes of a file into text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""

from __future__ import annotations

import codecs

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
