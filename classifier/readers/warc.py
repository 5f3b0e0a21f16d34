"""WARC crawls (``.warc`` or ``.warc.gz``, with warcio, the ``warc`` extra): each HTML response is one document."""

from __future__ import annotations

from collections.abc import Iterator

from classifier.decoding import decode_bytes
from classifier.errors import ReaderError
from classifier.readers import STDIN, Document, Problem
from classifier.readers.html import extract_article


def read_warc(path: str) -> Iterator[Document | Problem]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise ReaderError("reading WARC needs the warc extra: pip install 'privacy-risk-news-classifier[warc]'") from None
    if path == STDIN:
        raise ReaderError("WARC cannot be read from stdin; give the file's path")
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise ReaderError(f"cannot read ({exc.strerror})") from None
    number = 0
    try:
        with stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if record.rec_type != "response":
                    continue
                record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record{number}"
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"record {number} {uri}".strip()
                content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                if "html" not in content_type.lower():
                    yield Problem(path, f"response is not HTML ({content_type or 'no content type'})", where)
                    continue
                try:
                    body = record.content_stream().read()
                    title, paragraphs = extract_article(decode_bytes(body))
                except ReaderError as exc:
                    yield Problem(path, str(exc), where)
                    continue
                yield Document(f"{path}#{record_id.strip('<>')}", paragraphs, title)
    except ArchiveLoadFailed as exc:
        raise ReaderError(f"not a readable WARC ({str(exc).splitlines()[0][:200]})") from None
    except (OSError, EOFError, ValueError) as exc:
        reason = f"WARC is truncated or corrupt after record {number} ({type(exc).__name__})"
        yield Problem(path, reason, f"record {number + 1}")
