"""HTML pages saved from the web: the main article text, extracted with trafilatura (the ``html`` extra)."""

from __future__ import annotations

from collections.abc import Iterator

from classifier.decoding import decode_bytes
from classifier.errors import ReaderError
from classifier.readers import Document, Problem, read_bytes


def extract_article(html: str) -> tuple[str | None, list[str]]:
    """The title and the paragraphs of the main text of an HTML page (no menus, footers or comments)."""
    try:
        import trafilatura
    except ImportError:
        raise ReaderError("reading HTML needs the html extra: pip install 'privacy-risk-news-classifier[html]'") from None
    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura and lxml raise many types on hostile markup
        raise ReaderError(f"HTML could not be parsed ({type(exc).__name__})") from None
    if extracted is None or not extracted.text:
        return None, []
    title = extracted.title or None
    lines = [line.strip() for line in extracted.text.split("\n") if line.strip()]
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]
    return title, lines


NO_TEXT = "no article text found in the page"


def read_html(path: str) -> Iterator[Document | Problem]:
    title, paragraphs = extract_article(decode_bytes(read_bytes(path)))
    yield Document(id=path, paragraphs=paragraphs, title=title) if paragraphs else Problem(path, NO_TEXT)
