"""Plain data passed between pipeline stages.

Every stage is a function over these dataclasses, so the same stage code runs in-process,
in the CLI, and inside a distributed engine. Stage-specific result types (Entity, Fact,
TimelineEntry) live beside the stage that makes them; serialisation is generic
(`storydesk.serialize.to_jsonable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storydesk.entities import Entity
    from storydesk.facts import Fact
    from storydesk.timeline import TimelineEntry


@dataclass(frozen=True)
class Span:
    """A character range of an article's text: `text == article.text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass
class Evidence:
    """Where a report states something: `quote == article.text[start:end]`."""

    article_id: str
    quote: str
    start: int
    end: int
    outlet: str | None = None
    published: dt.date | None = None
    value: str | None = None


@dataclass
class Removal:
    """A piece of scraper debris taken out of an article, kept so a user can audit cleaning."""

    text: str
    reason: str


@dataclass
class Copy:
    """Another copy of the same report (exact or near-duplicate) collapsed into an article."""

    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None


@dataclass
class Article:
    """One report: clean text plus what is known of where and when it was published."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = None
    removed: list[Removal] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    #: True when `published` was inferred from what the report says about dated events, not read from it.
    published_estimated: bool = False
    #: How much of `published` is known: "day", or "month" for an estimate that pins only the month.
    published_precision: str = "day"

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets carrying this report, the article's own first."""
        seen: dict[str, None] = {}
        for name in [self.outlet, *(c.outlet for c in self.copies)]:
            if name:
                seen.setdefault(name, None)
        return list(seen)


@dataclass
class Rejected:
    """An input that could not be read as an article, and why. Nothing is dropped silently."""

    path: str
    reason: str


@dataclass
class BriefSentence:
    """A sentence of a brief, verbatim from a report, citing every report that states it."""

    text: str
    sources: list[str]


@dataclass
class Story:
    """Articles about the same events, with what storydesk derived from them."""

    id: str
    title: str
    articles: list[Article]
    brief: list[BriefSentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass
class RunResult:
    """Everything one run produced: the stories and every input that was rejected."""

    stories: list[Story]
    rejected: list[Rejected] = field(default_factory=list)
