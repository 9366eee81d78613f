"""Reports received over HTTP: read exactly as `storydesk run` reads them and added to the store through
the same code as `storydesk ingest` (`storydesk.stream.add_reports`: stable story ids, only the stories
they change re-analysed, one transaction) before the answer is sent.

Synchronous on purpose: when `POST /api/v1/articles` (or the "add reports" page) answers, every story it
names already has its new brief, fact sheet and timeline, so a client never polls and never reads a
half-updated story, and a failure leaves the store as it was. One writer per process at a time
(`WRITER`); a writer in another process (`storydesk ingest`) is met by the stream's version check.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import replace

from storydesk.config import Config
from storydesk.engines.analysts import Analysts
from storydesk.ingest import read_data, read_record, unsupported
from storydesk.ingest.formats import read_jsonl_line
from storydesk.model import Article, ArticleReceipt, IngestReceipt, Rejected, StoryChange
from storydesk.store import Store
from storydesk.stream import add_reports, report_key

__all__ = ["ArticleReceipt", "IngestReceipt", "StoryChange"]

#: Held while a batch is added: one writer per process.
WRITER = threading.Lock()

#: An input's name (a request record "request#2", an uploaded file "a.html", a JSONL line "f.jsonl#3")
#: and what reading it gave.
Input = tuple[str, Article | Rejected]


class TooManyArticles(ValueError):
    """More records in one request than `ServiceConfig.max_articles`."""


def records_from_json(body: bytes, config: Config) -> list[Input]:
    """The inputs of a JSON body: one record (an object) or many (an array). Invalid JSON raises
    ValueError; records that are not articles become rejections, as in a JSONL file."""
    document = json.loads(body)
    records = document if isinstance(document, list) else [document]
    _check_count(len(records), config)
    return [
        (f"request#{n}", _record_article(read_record(r, f"request#{n}", config)))
        for n, r in enumerate(records, 1)
    ]


def records_from_jsonl(body: bytes, config: Config) -> list[Input]:
    """The inputs of a JSONL body, line by line exactly as `storydesk run -` reads stdin."""
    lines = body.splitlines(keepends=True)
    _check_count(sum(1 for line in lines if line.strip()), config)
    return [
        (f"request#{n}", _record_article(item))
        for n, line in enumerate(lines, 1)
        for item in read_jsonl_line(line, f"request#{n}", config)
    ]


def uploaded_inputs(
    files: Iterable[tuple[str, bytes]], pasted: dict[str, str] | None, config: Config
) -> list[Input]:
    """The inputs of the "add reports" form: uploaded files read as `storydesk run` reads files of those
    names, and a pasted report read as a JSON record with those fields."""
    inputs: list[Input] = []
    if pasted and (pasted.get("text") or "").strip():
        inputs.append(("pasted text", _record_article(read_record(pasted, "pasted text", config))))
    for name, data in files:
        bad = unsupported(name)
        items = [bad] if bad else list(read_data(data, name, config))
        inputs += [(item.path or name, item) for item in items]
    _check_count(len(inputs), config)
    return inputs


def _record_article(item: Article | Rejected) -> Article | Rejected:
    """A record's article without the record's position as its path: a request is not a file."""
    return replace(item, path=None) if isinstance(item, Article) else item


def _check_count(n: int, config: Config) -> None:
    if n > config.service.max_articles:
        raise TooManyArticles(f"{n} articles in one request; the limit is {config.service.max_articles}")


def receive(
    store: Store, inputs: list[Input], config: Config, analysts: Analysts | None = None
) -> IngestReceipt:
    """Add the readable inputs to the store (`stream.add_reports`, with the app's analysts, used under the
    writer's lock only) and answer where each went."""
    from storydesk.boundary import clean_guarded

    rejected = [item for _, item in inputs if isinstance(item, Rejected)]
    cleaned = [(name, clean_guarded(item, config)) for name, item in inputs if isinstance(item, Article)]
    rejected += [item for _, item in cleaned if isinstance(item, Rejected)]
    named = [(name, item) for name, item in cleaned if isinstance(item, Article)]
    with WRITER:
        update = add_reports(store, [article for _, article in named], config, analysts=analysts)
    owner = _owners(update.stories)
    new, answered = set(update.added), set()
    receipts = []
    for name, article in named:
        key = report_key(article)
        sid, carrier = owner[article.id]
        copy_of = carrier if carrier != article.id else None
        status = "known" if key not in new or key in answered else "copy" if copy_of else "added"
        answered.add(key)
        receipts.append(ArticleReceipt(name, article.id, sid, status, copy_of))
    return IngestReceipt(receipts, rejected, update.changes, update.history)


def _owners(stories: dict[str, list[Article]]) -> dict[str, tuple[str, str]]:
    """For every article and copy id: its story and the article carrying it."""
    owner: dict[str, tuple[str, str]] = {}
    for sid, articles in stories.items():
        for article in articles:
            owner[article.id] = (sid, article.id)
            for copy in article.copies:
                if copy.id:
                    owner.setdefault(copy.id, (sid, article.id))
    return owner
