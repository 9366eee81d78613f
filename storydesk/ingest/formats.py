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
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import trafilatura

from storydesk.clean import article_id
from storydesk.config import Config
from storydesk.ingest.language import detect_language
from storydesk.ingest.metadata import outlet_from_filename, outlet_from_url, parse_date, read_header
from storydesk.model import Article, Rejected, Removal

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
#: UTF-16 of Latin text: NUL high bytes at least at this share of one parity's offsets, at most this share
#: at the other's.
_UTF16_NULS = 0.3
_UTF16_STRAYS = 0.02
#: A well-formed UTF-8 multi-byte sequence (no overlong forms, no surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
#: Longest integer a JSON record may hold as a number (Python refuses longer ones); a longer one is kept
#: as its digits (no record field reads numbers).
_MAX_INT_DIGITS = 4000
#: Characters no report means: C0 controls (tab and line ends aside), DEL and lone UTF-16 surrogates (from
#: JSON escapes); removed at ingest and counted. C1 controls stay for cleaning: there they are cp1252
#: punctuation decoded as Latin-1 ("Christ\x92s"), which ftfy repairs.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
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
                yield from read_jsonl_stream(stream, name, config)
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


@dataclass(frozen=True)
class ReadTask:
    """One unit of reading, picklable so a worker process can do it: a whole file (`lines` None), or some
    numbered lines of a JSONL input, which is how one large JSONL file spreads over several processes."""

    name: str
    lines: tuple[tuple[int, bytes], ...] | None = None

    def read(self, config: Config) -> Iterator[Article | Rejected]:
        """The articles and rejections of this unit, each file or line inside its own boundary."""
        from storydesk.boundary import guard_read

        if self.lines is None:
            yield from guard_read(self.name, read_file(Path(self.name), config), config)
            return
        for n, line in self.lines:
            name = f"{self.name}#{n}"
            yield from guard_read(name, read_jsonl_line(line, name, config), config)


def jsonl_tasks(
    lines: Iterable[bytes], name: str, batch: int, max_bytes: int
) -> Iterator[ReadTask | Rejected]:
    """A JSONL stream as tasks of at most `batch` numbered non-blank lines and about `max_bytes` (so a
    task holds one oversized line at most); a stream of no record is rejected as empty."""
    numbered: list[tuple[int, bytes]] = []
    records = size = 0
    for n, line in enumerate(lines, 1):
        if line.strip():
            numbered.append((n, line))
            records += 1
            size += len(line)
        if numbered and (len(numbered) >= batch or size >= max_bytes):
            yield ReadTask(name, tuple(numbered))
            numbered, size = [], 0
    if numbered:
        yield ReadTask(name, tuple(numbered))
    if not records:
        yield Rejected(name, "empty input (no JSONL records)")


def read_each(tasks: Iterable[ReadTask | Rejected], config: Config) -> Iterator[Article | Rejected]:
    """The items of `tasks`, each task read here as it comes, one item at a time (a rejection passes as
    it is)."""
    for task in tasks:
        if isinstance(task, Rejected):
            yield task
        else:
            yield from task.read(config)


def read_jsonl_stream(lines: Iterable[bytes], name: str, config: Config) -> Iterator[Article | Rejected]:
    """The records of a JSONL stream, read line by line (each inside its own boundary) as they arrive."""
    return read_each(jsonl_tasks(lines, name, 1, config.ingest.max_bytes), config)


def read_data(data: bytes, name: str, config: Config) -> Iterator[Article | Rejected]:
    """The articles of a file's bytes, by the suffix of `name` (an upload is read as the file would be)."""
    suffix = Path(name).suffix.lower()
    if (reader := container_reader(name)) is not None:
        yield from reader(io.BytesIO(data), name, config)
        return
    if suffix == ".jsonl":
        yield from read_jsonl_stream(data.splitlines(keepends=True), name, config)
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
    """Text from bytes: a BOM, else UTF-16 by its NUL pattern, else UTF-8 (a stray invalid byte costs one
    U+FFFD), else the detected charset (charset-normalizer; cp1252 among equally good Western fits, as
    English news is written); a rejection for binary data."""
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
        codec = _utf16_codec(data)
        if codec is None:
            return Rejected("", "binary file (contains NUL bytes)")
        return _textual(data.decode(codec, errors="replace"))
    try:
        return _textual(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _textual(data.decode("utf-8", errors="replace"))
    return _detected(data)


def _utf16_codec(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: text whose NUL bytes (the high bytes of Latin letters) stand at
    even (big-endian) or odd (little-endian) offsets only."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd >= _UTF16_NULS * half and even <= _UTF16_STRAYS * half:
        return "utf-16-le"
    if even >= _UTF16_NULS * half and odd <= _UTF16_STRAYS * half:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Whether the bytes are UTF-8 with a few invalid bytes (at least as many valid multi-byte sequences
    as invalid bytes), rather than text of a single-byte charset."""
    valid = len(_UTF8_SEQUENCE.findall(data))
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return valid >= invalid


def _detected(data: bytes) -> str | Rejected:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return Rejected("", "undecodable text (not UTF-8 and no known encoding fits)")
    tied = {m.encoding for m in results if m.chaos <= best.chaos and m.coherence >= best.coherence}
    if "cp1252" in tied:
        return _textual(data.decode("cp1252", errors="replace"))
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
        record = _loads(text)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"invalid JSON ({err.msg} at column {err.colno})")
        return
    except RecursionError:
        yield Rejected(name, "invalid JSON (nested too deeply)")
        return
    yield read_record(record, name, config)


def _json_document(
    text: str, name: str, config: Config
) -> Iterator[Article | Rejected]:
    try:
        document = _loads(text)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"invalid JSON ({err.msg} at line {err.lineno}, column {err.colno})")
        return
    except RecursionError:
        yield Rejected(name, "invalid JSON (nested too deeply)")
        return
    if isinstance(document, list) and not document:
        yield Rejected(name, "empty JSON array (no records)")
    elif isinstance(document, list):
        for n, record in enumerate(document, 1):
            yield read_record(record, f"{name}#{n}", config)
    else:
        yield read_record(document, name, config)


def _loads(text: str) -> Any:
    """JSON as Python values; an integer too long for Python stays its digits."""
    return json.loads(text, parse_int=lambda n: int(n) if len(n) <= _MAX_INT_DIGITS else n)


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
    html = _long_tags(config.limits.tag_chars).sub(r"<\1>", _UNWANTED.sub("", html))
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


@lru_cache(maxsize=4)
def _long_tags(limit: int) -> re.Pattern[str]:
    """An opening tag longer than `limit` characters, its name captured (a pure function of the limit)."""
    return re.compile(rf"<([A-Za-z][\w:-]*)[^<>]{{{limit},}}>")


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
    if len(text) > (limit := config.limits.max_chars):
        return Rejected(name, f"text too long ({len(text):,} characters; the limit is {limit:,})")
    removed: list[Removal] = []
    text = _without_unwanted(text, removed)
    title, url, outlet = (v and _without_unwanted(v, removed) for v in (title, url, outlet))
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
        removed=[*removed, *header.removed],
    )


def _without_unwanted(value: str, removed: list[Removal]) -> str:
    """`value` without control characters and lone surrogates, each kind noted in `removed` by code point
    and count (the characters themselves cannot be written to JSON or a terminal)."""
    if not (found := _UNWANTED.findall(value)):
        return value
    counts = Counter(found)
    for reason, chars in (("lone-surrogate", [c for c in counts if "\ud800" <= c <= "\udfff"]),
                          ("control-character", [c for c in counts if not "\ud800" <= c <= "\udfff"])):
        if chars:
            removed.append(Removal(", ".join(f"U+{ord(c):04X} ×{counts[c]}" for c in chars), reason))
    return _UNWANTED.sub("", value)
