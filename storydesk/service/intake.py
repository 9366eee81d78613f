"""Reports received over HTTP: read exactly as `storydesk run` reads them, grouped with the stored ones,
and the stories they change re-analysed and saved in one transaction before the answer is sent.

Synchronous on purpose: when `POST /api/v1/articles` (or the "add reports" page) answers, every story it
names already has its new brief, fact sheet and timeline, so a client never polls and never reads a
half-updated story, and a failure leaves the store as it was. One writer at a time (`WRITER`): regrouping
reads every stored article, so two concurrent writers would each miss the other's reports.

Grouping goes through `assign_stories` alone, so the persisted streaming grouper (issue 13) replaces it
in one place.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from storydesk.clean import clean_article
from storydesk.cluster import story_id
from storydesk.config import Config
from storydesk.ingest import read_data, read_record, unsupported
from storydesk.ingest.formats import read_jsonl_line
from storydesk.model import Article, Rejected
from storydesk.store import Store

#: Held while stories are regrouped and saved: one writer per process.
WRITER = threading.Lock()

#: An input's name (a request record "request#2", an uploaded file "a.html", a JSONL line "f.jsonl#3")
#: and what reading it gave.
Input = tuple[str, Article | Rejected]


@dataclass
class ArticleReceipt:
    """Where one readable input went: its article id (content hash of the cleaned text), its story, and
    whether it was added, kept as a copy of another report (`copy_of`), or already stored."""

    input: str
    id: str
    story_id: str
    status: Literal["added", "copy", "known"]
    copy_of: str | None = None


@dataclass
class StoryChange:
    """A story the request created, re-analysed, or merged into another (removed)."""

    id: str
    title: str
    n_articles: int
    change: Literal["created", "updated", "removed"]


@dataclass
class IngestReceipt:
    """The answer to a write: every input is either in `articles` or in `rejected` (with its reason)."""

    articles: list[ArticleReceipt]
    rejected: list[Rejected]
    stories: list[StoryChange]


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


def assign_stories(
    stored: dict[str, list[Article]], new: list[Article], config: Config
) -> list[list[Article]]:
    """The stories after `new` (cleaned) joins the stored articles: a batch regrouping of all of them
    (`pipeline.regroup`), so ids and groups are those `storydesk run` would give. The one place issue 13's
    persisted `StoryGrouper` takes over."""
    from storydesk.pipeline import regroup

    return regroup([a for articles in stored.values() for a in articles], new, config)


def receive(store: Store, inputs: list[Input], config: Config) -> IngestReceipt:
    """Add the readable inputs to the store and answer where each went; re-analyse only the stories whose
    articles (or copies) changed, and save them, and drop the stories merged away, in one transaction."""
    from storydesk.analysis.story import analyse_story

    rejected = [item for _, item in inputs if isinstance(item, Rejected)]
    named = [(name, clean_article(item, config.clean)) for name, item in inputs if isinstance(item, Article)]
    with WRITER:
        stored = store.stored_stories_articles()
        known = {key for articles in stored.values() for a in articles for key in _keys(a)}
        fresh: dict[tuple, Article] = {}
        for _, article in named:
            key = _report_key(article.id, article.url, article.outlet, article.title)
            if key not in known:
                fresh.setdefault(key, article)
        changes: list[StoryChange] = []
        stories = stored
        if fresh:
            groups = {story_id(g): g for g in assign_stories(stored, list(fresh.values()), config)}
            changed = [g for sid, g in groups.items() if _signature(g) != _signature(stored.get(sid, []))]
            analysed = [analyse_story(g, config) for g in changed]
            removed = [sid for sid in stored if sid not in groups]
            store.replace_stories(analysed, removed)
            changes = [
                StoryChange(s.id, s.title, len(s.articles), "updated" if s.id in stored else "created")
                for s in analysed
            ]
            changes += [StoryChange(sid, "", 0, "removed") for sid in removed]
            stories = groups
    owner = _owners(stories)
    receipts = []
    for name, article in named:
        key = _report_key(article.id, article.url, article.outlet, article.title)
        sid, carrier = owner[article.id]
        copy_of = carrier if carrier != article.id else None
        status = "known" if fresh.get(key) is not article else "copy" if copy_of else "added"
        receipts.append(ArticleReceipt(name, article.id, sid, status, copy_of))
    return IngestReceipt(receipts, rejected, changes)


def _report_key(article_id: str | None, url: str | None, outlet: str | None, title: str | None) -> tuple:
    """What makes a report the same report: its text with its URL, or, without a URL, its outlet and
    headline (a syndicated copy of the same text from another outlet is another report)."""
    return (article_id, url) if url else (article_id, None, outlet, title)


def _keys(article: Article) -> list[tuple]:
    """The report keys of a stored article and of each copy it carries."""
    keys = [_report_key(article.id, article.url, article.outlet, article.title)]
    keys += [_report_key(c.id, c.url, c.outlet, c.title) for c in article.copies if c.id]
    return keys


def _signature(articles: list[Article]) -> frozenset:
    """What a story's analysis depends on of its membership: its articles and the copies each carries."""
    return frozenset(
        (a.id, tuple(sorted(c.id or f"{c.path}|{c.url}|{c.outlet}|{c.title}" for c in a.copies)))
        for a in articles
    )


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
