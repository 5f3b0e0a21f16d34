"""Plain text and Markdown: the first line is the title, paragraphs are separated by blank lines."""

from __future__ import annotations

from collections.abc import Iterator

from classifier.decoding import decode_bytes
from classifier.paragraphs import normalise_newlines, split_paragraphs
from classifier.readers import Document, read_bytes


def split_story(text: str, markdown: bool = False) -> tuple[str | None, list[str]]:
    """The title (first non-blank line) and the paragraphs of the rest of a story."""
    body = normalise_newlines(text).lstrip("\n \t\ufeff")
    first, _, rest = body.partition("\n")
    title = first.strip()
    if markdown:
        title = title.lstrip("#").strip()
    return (title or None), split_paragraphs(rest)


def read_text(path: str) -> Iterator[Document]:
    title, paragraphs = split_story(decode_bytes(read_bytes(path)), markdown=path.lower().endswith(".md"))
    yield Document(id=path, paragraphs=paragraphs, title=title)
