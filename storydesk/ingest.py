"""Read reports from files, folders, globs and JSONL on stdin, accounting for every input.

Each input becomes an `Article` (extracted, not yet cleaned) or a `Rejected` with a reason a person can act
on: the CLI reports rejections rather than dropping them. Order is deterministic (folders and globs sorted).
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import charset_normalizer
import numpy as np
import trafilatura

from storydesk.clean import article_id
from storydesk.header import outlet_from_filename, outlet_from_url, parse_date, read_header
from storydesk.model import Article, Rejected

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
_HTML = frozenset({".html", ".htm"})
_MIN_WORDS = 5
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
_FIELDS = {
    "text": ("text", "content", "body"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename"),
    "published": ("published", "date", "time", "published_at"),
}


def read_inputs(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_bytes: int = 5_000_000,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Article], list[Rejected]]:
    """Articles and rejections for `paths` ("-" reads JSONL from `stdin`); `progress` gets a running count."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    for n, item in enumerate(iter_inputs(paths, stdin=stdin, max_bytes=max_bytes), 1):
        (articles if isinstance(item, Article) else rejected).append(item)
        if progress:
            progress(n)
    return articles, rejected


def iter_inputs(
    paths: Sequence[str], *, stdin: TextIO | None = None, max_bytes: int = 5_000_000
) -> Iterator[Article | Rejected]:
    """Streaming form of `read_inputs`: one article or rejection at a time, JSONL read line by line."""
    for source in _expand(paths):
        if isinstance(source, Rejected):
            yield source
        elif source == "-":
            stream = stdin if stdin is not None else sys.stdin
            for n, line in enumerate(stream, 1):
                yield from _jsonl_line(line.encode("utf-8"), f"-#{n}", max_bytes)
        else:
            yield from _read_file(Path(source), max_bytes)


def _expand(paths: Sequence[str]) -> Iterator[str | Rejected]:
    """Files to read ("-" for stdin), in order, each once; folders recursively, without hidden entries."""
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.is_file():
            files = [path]
        elif glob.has_magic(raw):
            files = [Path(p) for p in sorted(glob.glob(raw, recursive=True)) if Path(p).is_file()]
            if not files:
                yield Rejected(raw, "no files match this pattern")
        else:
            yield Rejected(raw, "no such file or directory")
            continue
        for file in files:
            key = os.path.realpath(file)
            if key in seen:
                continue
            seen.add(key)
            if file.suffix.lower() in SUFFIXES:
                yield str(file)
            else:
                yield Rejected(str(file), f"unsupported file type ({file.suffix or 'no extension'})")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | Rejected]:
    name, suffix = str(path), path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                for n, line in enumerate(stream, 1):
                    yield from _jsonl_line(line, f"{name}#{n}", max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejected(name, f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Rejected(name, f"cannot read: {err.strerror or err}")
        return
    text = decode(data)
    if isinstance(text, Rejected):
        yield Rejected(name, text.reason)
    elif suffix == ".json":
        yield from _json_document(text, name)
    elif suffix in _HTML:
        yield _from_html(text, name)
    else:
        yield _article(text, name)


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
    if printable < 0.95 * len(text):
        return Rejected("", "binary file (mostly non-text characters)")
    return text


def _jsonl_line(raw: bytes, name: str, max_bytes: int) -> Iterator[Article | Rejected]:
    if not raw.strip():
        return
    if len(raw) > max_bytes:
        yield Rejected(name, f"line too large ({len(raw):,} bytes; the limit is {max_bytes:,})")
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
    yield _from_record(record, name)


def _json_document(text: str, name: str) -> Iterator[Article | Rejected]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"invalid JSON ({err.msg} at line {err.lineno}, column {err.colno})")
        return
    if isinstance(document, list):
        for n, record in enumerate(document, 1):
            yield _from_record(record, f"{name}#{n}")
    else:
        yield _from_record(document, name)


def _from_record(record: Any, name: str) -> Article | Rejected:
    """An article from a JSON object with `text` or `html` and optional title, url, outlet, published."""
    if not isinstance(record, dict):
        return Rejected(name, f"not a JSON object (found {type(record).__name__})")
    meta = {key: _field(record, aliases) for key, aliases in _FIELDS.items()}
    published = parse_date(meta["published"]) if meta["published"] else None
    if isinstance(record.get("html"), str):
        return _from_html(record["html"], name, meta["url"], meta["title"], meta["outlet"], published)
    if meta["text"] is None:
        return Rejected(name, "JSON object has no 'text' or 'html' string")
    return _article(meta["text"], name, meta["title"], meta["url"], meta["outlet"], published)


def _field(record: dict[str, Any], aliases: tuple[str, ...]) -> str | None:
    for key in aliases:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _from_html(
    html: str,
    name: str,
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
    return _article(
        body,
        name,
        title or doc.title,
        url or doc.url,
        outlet or doc.sitename or doc.hostname,
        published or page_date,
    )


def _article(
    text: str,
    name: str,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: dt.date | None = None,
) -> Article | Rejected:
    """An article from text plus known metadata; the text's own header fills what is missing."""
    header = read_header(text.replace("\r\n", "\n").replace("\r", "\n"), title=title)
    n_words = len(header.body.split())
    if n_words < _MIN_WORDS:
        return Rejected(name, f"no usable text ({n_words} words)")
    return Article(
        id=article_id(header.body),
        text=header.body,
        title=header.title,
        outlet=outlet or outlet_from_url(url) or header.outlet or outlet_from_filename(Path(name).name),
        published=published or header.published,
        url=url,
        path=name,
        language=detect_language(header.body),
        removed=header.removed,
    )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid's model, offline), None when there are no letters.

    Scores only the n-gram features present in the text: py3langid's own `classify` multiplies the whole
    feature vector (7,480 counts, mostly zero) by its float table, which took most of ingest's time.
    The argmax, hence the answer, is the same.
    """
    if not any(c.isalpha() for c in text):
        return None
    model = _langid()
    counts = model.instance2fv(text[:5000])
    present = np.flatnonzero(counts)
    scores = counts[present].astype(np.float64) @ model.nb_ptc[present] + model.nb_pc
    return str(model.nb_classes[int(np.argmax(scores))])


@lru_cache(maxsize=1)
def _langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE)
