"""Splitting text into paragraphs, and fingerprints that find repeated paragraphs."""

from __future__ import annotations

import hashlib
import re

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")
_SPACE = re.compile(r"\s+")


def normalise_newlines(text: str) -> str:
    """CRLF and CR line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by one or more blank lines, stripped; empty ones dropped."""
    blocks = _BLANK_LINE.split(normalise_newlines(text).replace("\x00", ""))
    return [block.strip() for block in blocks if block.strip()]


def fingerprint(paragraph: str) -> str:
    """The same for paragraphs that differ only in case and white space."""
    canonical = _SPACE.sub(" ", paragraph).strip().casefold()
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=12).hexdigest()
