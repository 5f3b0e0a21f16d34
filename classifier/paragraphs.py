"""Splitting text into paragraphs, and fingerprints that find repeated paragraphs."""

from __future__ import annotations

import hashlib
import re

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def normalise_newlines(text: str) -> str:
    """CRLF and CR line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by one or more blank lines, stripped; empty ones dropped."""
    blocks = _BLANK_LINE.split(normalise_newlines(text).replace("\x00", ""))
    return [block.strip() for block in blocks if block.strip()]


# Typographic quotes, dashes and spaces count as their plain forms: the same caption printed twice often differs only
# in its quote marks.
_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                             "″": '"', "–": "-", "—": "-", "‐": "-", "\u00a0": " "})


def _canonical(paragraph: str) -> str:
    canonical = paragraph.casefold()
    if not canonical.isascii():
        canonical = canonical.translate(_TYPOGRAPHY)
    if "  " in canonical or "\n" in canonical or "\t" in canonical:
        canonical = " ".join(canonical.split())
    return canonical


def fingerprint(paragraph: str) -> int:
    """A 64-bit number, the same for paragraphs that differ only in case, spacing and typographic quotes and dashes,
    within one process.

    It uses Python's string hash (randomised per process): fast, for finding repeats within one process.
    """
    return hash(_canonical(paragraph)) & 0xFFFFFFFFFFFFFFFF


def stable_fingerprint(paragraph: str) -> int:
    """Like :func:`fingerprint`, but the same in every process and on every machine (BLAKE2b)."""
    digest = hashlib.blake2b(_canonical(paragraph).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
