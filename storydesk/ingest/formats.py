"""Bytes of each input format to articles: plain text and Markdown, HTML (trafilatura), JSON, JSONL, and
the containers read by modules of their own (`CONTAINERS`: RSS/Atom feeds, WARC files).

Each record becomes an `Article` (extracted, not yet cleaned) or a `Rejected` naming what is wrong with
it. HTML goes through trafilatura (reader comments excluded); plain text gets its title, date and outlet
from its own top lines (`storydesk.ingest.metadata`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import trafilatura

from storydesk.clean import article_id
from storydesk.config import Config
from storydesk.ingest.language import detect_language
from storydesk.ingest.metadata import outlet_from_filename, outlet_from_url, parse_date, read_header
from storydesk.model import Article, Rejected

_HTML = frozenset({".html", ".htm"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP archive or office document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"\x1f\x8b": "gzip archive",
}
#: The fields of a JSON article record, each with the names it may go by (the first is the documented one).
RECORD_FIELDS = {
    "text": ("text", "content", "body"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename"),
    "published": ("published", "date", "time", "published_at"),
}
#: Share of printable characters below which decoded text is taken for binary data.
_MIN_PRINTABLE = 0.95
#: Formats read by modules of their own, by file-name ending: "module:function" of a reader taking a binary
#: stream, the input's name and the config (a stream, so a WARC file of any size is read record by record).
CONTAINERS = {
    ".rss": "storydesk.ingest.feeds:read_feed",
    ".atom": "storydesk.ingest.feeds:read_feed",
    ".xml": "storydesk.ingest.feeds:read_feed",
    ".warc": "storydesk.ingest.warc:read_warc",
    ".warc.gz": "storydesk.ingest.warc:read_warc",
}
ContainerReader = Callable[[IO[bytes], str, Config], Iterator[Article | Rejected]]


def container_reader(name: str) -> ContainerReader | None:
    """The reader of a container format `name` ends with (None for the formats read here)."""
    lower = name.lower()
    ending = next((e for e in sorted(CONTAINERS, key=len, reverse=True) if lower.endswith(e)), None)
    if ending is None:
        return None
    module, function = CONTAINERS[ending].split(":")
    return getattr(importlib.import_module(module), function)


def read_file(path: Path, config: Config) -> Iterator[Article | Rejected]:
    """The articles of one file, by its suffix; JSONL is read line by line."""
    name, suffix = str(path), path.suffix.lower()
    try:
        if (reader := container_reader(name)) is not None:
            with path.open("rb") as stream:
                yield from reader(stream, name, config)
            return
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                for n, line in enumerate(stream, 1):
                    yield from read_jsonl_line(line, f"{name}#{n}", config)
            return
        size = path.stat().st_size
        if size > (limit := config.ingest.max_bytes):
            yield Rejected(name, f"file too large ({size:,} bytes; the limit is {limit:,})")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Rejected(name, f"cannot read: {err.strerror or err}")
        return
    yield from read_data(data, name, config)


def read_data(data: bytes, name: str, config: Config) -> Iterator[Article | Rejected]:
    """The articles of a file's bytes, by the suffix of `name` (an upload is read as the file would be)."""
    suffix = Path(name).suffix.lower()
    if (reader := container_reader(name)) is not None:
        yield from reader(io.BytesIO(data), name, config)
        return
    if suffix == ".jsonl":
        for n, line in enumerate(data.splitlines(keepends=True), 1):
            yield from read_jsonl_line(line, f"{name}#{n}", config)
        return
    if len(data) > (limit := config.ingest.max_bytes):
        yield Rejected(name, f"file too large ({len(data):,} bytes; the limit is {limit:,})")
        return
    text = decode(data)
    if isinstance(text, Rejected):
        yield Rejected(name, text.reason)
    elif suffix == ".json":
        yield from _json_document(text, name, config)
    elif suffix in _HTML:
        yield article_from_html(text, name, config)
    else:
        yield article_from_text(text, name, config)


def decode(data: bytes) -> str | Rejected:
    """Text from bytes: a BOM, else UTF-8, else the detected charset; a rejection for binary data."""
    if not data.strip():
        return Rejected("", "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _textual(data.decode(codec))
            except UnicodeDecodeError:
                return Rejected("", f"undecodable text (invalid {codec} after its byte-order mark)")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return Rejected("", f"binary file ({kind})")
    if b"\x00" in data:
        return Rejected("", "binary file (contains NUL bytes)")
    try:
        return _textual(data.decode("utf-8"))
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return Rejected("", "undecodable text (not UTF-8 and no known encoding fits)")
    return _textual(str(best))


def _textual(text: str) -> str | Rejected:
    if not text.strip():
        return Rejected("", "empty file")
    if "".join(text.split()).isprintable():  # the common case, checked at C speed
        return text
    printable = sum(c.isprintable() or c.isspace() for c in text)
    if printable < _MIN_PRINTABLE * len(text):
        return Rejected("", "binary file (mostly non-text characters)")
    return text


def read_jsonl_line(
    raw: bytes, name: str, config: Config
) -> Iterator[Article | Rejected]:
    """The article of one JSONL line (nothing for a blank line)."""
    if not raw.strip():
        return
    if len(raw) > config.ingest.max_bytes:
        limit = config.ingest.max_bytes
        yield Rejected(name, f"line too large ({len(raw):,} bytes; the limit is {limit:,})")
        return
    text = decode(raw)
    if isinstance(text, Rejected):
        yield Rejected(name, text.reason)
        return
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"invalid JSON ({err.msg} at column {err.colno})")
        return
    yield read_record(record, name, config)


def _json_document(
    text: str, name: str, config: Config
) -> Iterator[Article | Rejected]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"invalid JSON ({err.msg} at line {err.lineno}, column {err.colno})")
        return
    if isinstance(document, list):
        for n, record in enumerate(document, 1):
            yield read_record(record, f"{name}#{n}", config)
    else:
        yield read_record(document, name, config)


def read_record(record: Any, name: str, config: Config) -> Article | Rejected:
    """An article from a JSON record (a JSONL line, an element of a JSON file or of an HTTP request): an
    object with `text` or `html` and optional title, url, outlet, published."""
    if not isinstance(record, dict):
        return Rejected(name, f"not a JSON object (found {type(record).__name__})")
    meta = {key: _field(record, aliases) for key, aliases in RECORD_FIELDS.items()}
    published = parse_date(meta["published"]) if meta["published"] else None
    known = {"url": meta["url"], "title": meta["title"], "outlet": meta["outlet"], "published": published}
    if isinstance(record.get("html"), str):
        return article_from_html(record["html"], name, config, **known)
    if meta["text"] is None:
        return Rejected(name, "JSON object has no 'text' or 'html' string")
    return article_from_text(meta["text"], name, config, **known)


def _field(record: dict[str, Any], aliases: tuple[str, ...]) -> str | None:
    for key in aliases:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def article_from_html(
    html: str,
    name: str,
    config: Config,
    *,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: dt.date | None = None,
) -> Article | Rejected:
    """The main text of a web page (trafilatura, reader comments excluded) with the page's metadata."""
    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        return Rejected(name, "no article text found in the HTML page")
    page_date = parse_date(doc.date) if doc.date else None
    body = "\n\n".join(line for line in doc.text.split("\n") if line.strip())
    return article_from_text(
        body,
        name,
        config,
        title=title or doc.title,
        url=url or doc.url,
        outlet=outlet or doc.sitename or doc.hostname,
        published=published or page_date,
    )


def article_from_text(
    text: str,
    name: str,
    config: Config | None = None,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: dt.date | None = None,
) -> Article | Rejected:
    """An article from a report's text plus what is known of it; the text's own header fills what is
    missing (the path every plain-text input takes, also used by the evaluations)."""
    config = config or Config()
    header = read_header(text.replace("\r\n", "\n").replace("\r", "\n"), config, title=title)
    n_words = len(header.body.split())
    if n_words < config.ingest.min_words:
        return Rejected(name, f"no usable text ({n_words} words)")
    return Article(
        id=article_id(header.body),
        text=header.body,
        title=header.title,
        outlet=outlet or outlet_from_url(url) or header.outlet or outlet_from_filename(Path(name).name),
        published=published or header.published,
        url=url,
        path=name,
        language=detect_language(header.body, max_chars=config.ingest.language_chars),
        removed=header.removed,
    )
