"""WARC crawls (``.warc`` or ``.warc.gz``, with warcio, the ``warc`` extra): each HTML response is one document."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

from classifier.decoding import decode_bytes
from classifier.errors import ReaderError
from classifier.readers import STDIN, Document, Problem, open_binary
from classifier.readers.html import NO_TEXT, extract_article


def _check_start(raw) -> tuple[bytes, bool]:
    """The first five bytes of the archive's content, and whether a gzip file is complete (a pass that only
    decompresses; warcio itself reads a cut-off gzip member without complaint). Leaves ``raw`` at its start."""
    if raw.peek(2)[:2] != b"\x1f\x8b":
        return raw.peek(5)[:5], True
    head, complete = b"", True
    try:
        with gzip.GzipFile(fileobj=raw) as unpacked:
            head = unpacked.read(5)
            while unpacked.read(1 << 20):
                pass
    except EOFError:
        complete = False
    except (OSError, zlib.error):
        raise ReaderError("not a readable WARC (the gzip data is corrupt)") from None
    raw.seek(0)
    return head, complete


def read_warc(path: str) -> Iterator[Document | Problem]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise ReaderError("reading WARC needs the warc extra: pip install 'privacy-risk-news-classifier[warc]'") from None
    if path == STDIN:
        raise ReaderError("WARC cannot be read from stdin; give the file's path")
    number = 0
    try:
        with open_binary(path) as raw:
            head, complete = _check_start(raw)
            if head != b"WARC/":
                raise ReaderError("not a readable WARC (it does not start with a WARC record)")
            for number, record in enumerate(ArchiveIterator(raw), start=1):
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
                    if record.length is None or getattr(record.raw_stream, "limit", 0):
                        yield Problem(path, "WARC record is truncated", where)
                        continue
                    title, paragraphs = extract_article(decode_bytes(body))
                except ReaderError as exc:
                    yield Problem(path, str(exc), where)
                    continue
                if not paragraphs:
                    yield Problem(path, NO_TEXT, where)
                    continue
                yield Document(f"{path}#{record_id.strip('<>')}", paragraphs, title)
            if not complete:
                yield Problem(path, "WARC is truncated: the compressed file ends in the middle of a record",
                              f"after record {number}")
    except ArchiveLoadFailed as exc:
        raise ReaderError(f"not a readable WARC ({str(exc).splitlines()[0][:200]})") from None
    except (OSError, EOFError, ValueError) as exc:
        reason = f"WARC is truncated or corrupt after record {number} ({type(exc).__name__})"
        yield Problem(path, reason, f"record {number + 1}")
