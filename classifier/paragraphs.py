"""Splitting text into paragraphs, and fingerprints that find repeated paragraphs."""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def normalise_newlines(text: str) -> str:
    """CRLF and CR line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by one or more blank lines, stripped; empty ones dropped."""
    blocks = _BLANK_LINE.split(normalise_newlines(text).replace("\x00", ""))
    return [block.strip() for block in blocks if block.strip()]


def fingerprint(paragraph: str) -> int:
    """A 64-bit number, the same for paragraphs that differ only in case and spacing, within one process.

    It uses Python's string hash (randomised per process), so it is for finding repeats within a run, not for
    storing.
    """
    canonical = paragraph.casefold()
    if "  " in canonical or "\n" in canonical or "\t" in canonical:
        canonical = " ".join(canonical.split())
    return hash(canonical) & 0xFFFFFFFFFFFFFFFF
