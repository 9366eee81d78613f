"""WARC and WARC.gz files (warcio): each HTTP response record holding an HTML page becomes an article
through trafilatura, as an HTML file would, named "FILE@OFFSET" (the record's byte offset in the file).

Records are read one at a time from the stream, so a crawl file of any size costs one page of memory.
Request, metadata and warcinfo records describe the crawl, not reports, and are passed over. A response
that is not a page (an image, a script), not a success (a redirect, a 404) or larger than
`IngestConfig.max_bytes` is listed as rejected with its offset. A record whose payload cannot be decoded
or that is cut short (fewer bytes than its header declares) is rejected and reading goes on with the
next; a file broken at a record boundary (a bad header, a cut
gzip member) is rejected at that offset and the records before it are kept: past a break there is no
reliable boundary to resume at.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from storydesk.config import Config
from storydesk.ingest.formats import article_from_html, decode
from storydesk.model import Article, Rejected

_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: What a damaged record or file raises while warcio reads it.
_BROKEN = (ArchiveLoadFailed, StatusAndHeadersParserException, ChunkedDataException, zlib.error, EOFError,
           OSError, ValueError)


def read_warc(stream: IO[bytes], name: str, config: Config) -> Iterator[Article | Rejected]:
    """The articles of a WARC file's HTML responses, in file order, and a rejection per unusable one."""
    records = ArchiveIterator(stream)
    offset = records.offset
    try:
        for record in records:
            offset = records.offset
            if record.rec_type == "response":
                yield _response(record, f"{name}@{offset}", config)
    except _BROKEN as error:
        offset = records.offset  # where the record that failed to parse starts
        yield Rejected(f"{name}@{offset}", f"broken WARC record at byte {offset}: {_reason(error)}; "
                                           "the records before it were read")


def _response(record, name: str, config: Config) -> Article | Rejected:  # type: ignore[no-untyped-def]
    """The article of one response record, or why it is none."""
    http = record.http_headers
    if http is None:
        return Rejected(name, "response record without HTTP headers")
    status = http.get_statuscode()
    if status != "200":
        return Rejected(name, f"HTTP {status} response, not a page")
    media, _, params = (http.get_header("Content-Type") or "text/html").partition(";")
    if media.strip().lower() not in _PAGE_TYPES:
        return Rejected(name, f"not an HTML page ({media.strip().lower() or 'no type'})")
    limit = config.ingest.max_bytes
    try:
        payload = record.content_stream().read(limit + 1)
    except _BROKEN as error:
        return Rejected(name, f"undecodable response body: {_reason(error)}")
    if len(payload) > limit:
        return Rejected(name, f"page too large (more than {limit:,} bytes)")
    missing = getattr(record.raw_stream, "limit", 0)  # warcio's LimitReader: declared bytes not delivered
    if missing > 0:
        return Rejected(name, f"broken WARC record: cut short, {missing:,} of its declared bytes missing")
    text = _page_text(payload, params)
    if isinstance(text, Rejected):
        return Rejected(name, text.reason)
    return article_from_html(text, name, config, url=record.rec_headers.get_header("WARC-Target-URI"))


def _page_text(payload: bytes, params: str) -> str | Rejected:
    """The page's text in the charset its Content-Type names, else as any file's bytes are decoded."""
    charset = next(
        (p.split("=", 1)[1].strip().strip("\"'") for p in params.split(";") if p.strip().lower()
         .startswith("charset=")),
        None,
    )
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: detect as for a file
    return decode(payload)


def _reason(error: Exception) -> str:
    return (str(error) or type(error).__name__).splitlines()[0][:200]
