"""What both report formats show, computed once from the stories document (a plain JSON dict).

The reports read the stored JSON, never the pipeline dataclasses, so any saved or loaded result can be
rendered. Numbering of sources, citation anchors and the source × fact matrix are decided here so HTML
and Markdown agree on them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

STATUSES = ("conflicting", "updated", "corroborated", "single-source")  # most in need of a reader first


@dataclass
class Source:
    """One numbered report of a story, as cited by `[n]`."""

    number: int
    anchor: str
    article: dict[str, Any]
    outlet: str
    href: str | None
    copies: list[dict[str, Any]]
    date: str


@dataclass
class Cite:
    """A citation of a source id: linked when the id is one of the story's sources."""

    label: str
    anchor: str | None


@dataclass
class Quote:
    """One statement in evidence, with the source it came from."""

    quote: str
    value: str | None
    outlet: str
    published: str | None
    cite: Cite


@dataclass
class FactRow:
    """A fact with its values tallied by outlet count and one matrix cell per source."""

    fact: dict[str, Any]
    anchor: str
    values: list[tuple[str, int]]
    quotes: list[Quote]
    cells: list[str]


@dataclass
class EntryRow:
    """A timeline entry with its citations and the date expressions as written."""

    entry: dict[str, Any]
    cites: list[Cite]
    quotes: list[Quote]


@dataclass
class StoryView:
    """One story ready to render: numbered sources and every section resolved against them."""

    number: int
    anchor: str
    title: str
    sources: list[Source]
    brief: list[tuple[str, list[Cite]]]
    facts: list[FactRow]
    entities: list[dict[str, Any]]
    timeline: list[EntryRow]
    status_counts: dict[str, int]


@dataclass
class ReportView:
    """The whole report: header counts, the stories and the rejected inputs."""

    generated_at: str | None
    version: str | None
    schema_version: str | None
    n_articles: int
    n_outlets: int
    stories: list[StoryView]
    rejected: list[dict[str, Any]]


def build_view(doc: dict[str, Any]) -> ReportView:
    """Number sources, resolve citations and tally facts for every story of `doc`."""
    stories = [_story_view(i, s) for i, s in enumerate(doc.get("stories") or [], start=1)]
    outlets = {
        name
        for story in stories
        for src in story.sources
        for name in [src.article.get("outlet"), *(c.get("outlet") for c in src.copies)]
        if name
    }
    return ReportView(
        generated_at=doc.get("generated_at"),
        version=doc.get("storydesk_version"),
        schema_version=doc.get("schema_version"),
        n_articles=sum(len(s.sources) for s in stories),
        n_outlets=len(outlets),
        stories=stories,
        rejected=list(doc.get("rejected") or []),
    )


def safe_href(url: str | None) -> str | None:
    """Only absolute http(s) URLs become links; anything else (javascript:, file:, relative) stays text."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def human_date(value: str | None, precision: str = "day") -> str:
    """'2021-10-05' -> '5 Oct 2021' ('Oct 2021' at month precision); a non-ISO value is shown as given."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day:%b %Y}" if precision == "month" else f"{day.day} {day:%b %Y}"


def source_date(article: dict[str, Any]) -> str:
    """When a report appeared, at the precision known, marked when inferred from the report's content."""
    shown = human_date(article.get("published"), article.get("published_precision") or "day")
    return f"≈ {shown}, estimated" if shown and article.get("published_estimated") else shown


def _story_view(number: int, story: dict[str, Any]) -> StoryView:
    anchor = f"story-{number}"
    sources = [
        Source(
            number=n,
            anchor=f"{anchor}-src-{n}",
            article=article,
            outlet=article.get("outlet") or urlsplit(article.get("url") or "").hostname or "unknown outlet",
            href=safe_href(article.get("url")),
            copies=[{**c, "href": safe_href(c.get("url"))} for c in article.get("copies") or []],
            date=source_date(article),
        )
        for n, article in enumerate(story.get("articles") or [], start=1)
    ]
    by_id = {src.article.get("id"): src for src in sources}
    ordered = sorted(story.get("facts") or [], key=_fact_priority)
    facts = [_fact_row(f"{anchor}-fact-{i}", fact, sources, by_id) for i, fact in enumerate(ordered, start=1)]
    return StoryView(
        number=number,
        anchor=anchor,
        title=story.get("title") or f"Story {number}",
        sources=sources,
        brief=[(b.get("text", ""), _cites(b.get("sources") or [], by_id)) for b in story.get("brief") or []],
        facts=facts,
        entities=sorted(
            story.get("entities") or [],
            key=lambda e: (-len(e.get("articles") or []), -sum((e.get("variants") or {}).values())),
        ),
        timeline=[
            EntryRow(e, _cites(e.get("sources") or [], by_id), _quotes(e.get("evidence") or [], by_id))
            for e in story.get("timeline") or []
        ],
        status_counts=dict(Counter(row.fact.get("status") for row in facts)),
    )


def _fact_priority(fact: dict[str, Any]) -> tuple[int, bool]:
    """Disagreements first (what a reader must check), then corroborated; quoted statements last."""
    status = fact.get("status")
    return (STATUSES.index(status) if status in STATUSES else len(STATUSES), fact.get("kind") == "quote")


def _cite(article_id: str, by_id: dict[Any, Source]) -> Cite:
    src = by_id.get(article_id)
    return Cite(str(src.number), src.anchor) if src else Cite("?", None)


def _cites(ids: list[str], by_id: dict[Any, Source]) -> list[Cite]:
    """Citations in source order, each source once."""
    cites = {c.label: c for c in (_cite(i, by_id) for i in dict.fromkeys(ids))}
    return sorted(cites.values(), key=lambda c: (c.anchor is None, int(c.label) if c.anchor else 0))


def _quotes(evidence: list[dict[str, Any]], by_id: dict[Any, Source]) -> list[Quote]:
    quotes = []
    for ev in evidence:
        src = by_id.get(ev.get("article_id"))
        quotes.append(
            Quote(
                quote=ev.get("quote", ""),
                value=ev.get("value"),
                outlet=ev.get("outlet") or (src.outlet if src else ""),
                published=ev.get("published") or (src.article.get("published") if src else None),
                cite=_cite(ev.get("article_id"), by_id),
            )
        )
    return quotes


def _fact_row(anchor: str, fact: dict[str, Any], sources: list[Source], by_id: dict[Any, Source]) -> FactRow:
    """Tally outlets per value and fill the matrix row: what each source said, blank when silent."""
    evidence = fact.get("evidence") or []
    said: dict[str, dict[str, None]] = {}
    outlets_per_value: dict[str, set[str]] = {}
    for ev in evidence:
        value = ev.get("value") or fact.get("value", "")
        said.setdefault(ev.get("article_id"), {})[value] = None
        outlet = ev.get("outlet") or ev.get("article_id")
        outlets_per_value.setdefault(value, set()).add(outlet)
    ordered = list(dict.fromkeys([*(fact.get("values") or []), *outlets_per_value]))
    return FactRow(
        fact=fact,
        anchor=anchor,
        values=[(v, len(outlets_per_value.get(v, ()))) for v in ordered] or [(fact.get("value", ""), 0)],
        quotes=_quotes(evidence, by_id),
        cells=[" / ".join(said.get(src.article.get("id"), {})) for src in sources],
    )
