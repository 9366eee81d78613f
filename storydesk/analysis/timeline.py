"""The story's timeline: every dated event on a real date, merged across the reports that name it.

Each date expression (resolved by `storydesk.analysis.temporal`) becomes a candidate entry whose text is the
clause of the sentence that holds it, verbatim (`temporal.events`). Candidates with the same date label
whose words overlap enough are one event told by several reports, so they merge with all their sources and
evidence; so do clauses that state the same fact with the same date (given the fact sheet), whatever words
they use ("blast off on Tuesday", "the start of the expedition is scheduled for 5 October 2021"). Dates
that do not resolve to the calendar are left out (never guessed), and so are publication-date lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.analysis.temporal.events import EventMention, same_event
from storydesk.analysis.temporal.expressions import ResolvedDate
from storydesk.config import TimelineConfig
from storydesk.model import Article, Evidence, Fact, TimelineEntry

if TYPE_CHECKING:
    from storydesk.analysis.context import StoryContext


@dataclass
class _Candidate:
    resolved: ResolvedDate
    evidence: Evidence
    stems: frozenset[str]
    fact: str | None = None


def _candidates(article: Article, events: list[EventMention]) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[tuple[str, int]] = set()
    for mention in events:
        resolved = mention.date.resolve(article.published, article.published_precision)
        clause = mention.clause
        if resolved.start is None or (resolved.label, clause.start) in seen:
            continue
        seen.add((resolved.label, clause.start))
        evidence = Evidence(
            article.id,
            clause.text,
            clause.start,
            clause.end,
            article.outlet,
            article.published,
            mention.date.span.text,
        )
        out.append(_Candidate(resolved, evidence, mention.stems))
    return out


def _fact_of(cand: _Candidate, stated: Mapping[str, list[tuple[int, int, str, str]]]) -> str | None:
    """The date fact whose evidence in the candidate's report holds its clause with the same date."""
    ev = cand.evidence
    return next(
        (
            fid
            for start, end, value, fid in stated.get(ev.article_id, [])
            if start <= ev.start and ev.end <= end and value == cand.resolved.label
        ),
        None,
    )


def _one_event(a: _Candidate, b: _Candidate, config: TimelineConfig) -> bool:
    return same_event(a.stems, b.stems, config) or (a.fact is not None and a.fact == b.fact)


def build_timeline(ctx: StoryContext, facts: list[Fact] | None = None) -> list[TimelineEntry]:
    """Dated events of the story, sorted by start date; the same event from several reports merges.

    `facts` (the story's fact sheet) merges clauses stating one date fact. Each entry's text is the
    earliest report's clause; `sources` and `evidence` list every report.
    """
    config = ctx.config.timeline
    stated: dict[str, list[tuple[int, int, str, str]]] = {}
    for fact in facts or []:
        if fact.kind == "date":
            for ev in fact.evidence:
                stated.setdefault(ev.article_id, []).append((ev.start, ev.end, ev.value or "", fact.id))
    groups: dict[str, list[list[_Candidate]]] = {}
    ordered = sorted(ctx.articles, key=lambda a: a.published or dt.date.max)
    for article in ordered:
        for cand in _candidates(article, ctx.events(article.id)):
            cand.fact = _fact_of(cand, stated)
            clusters = groups.setdefault(cand.resolved.label, [])
            home = next((c for c in clusters if any(_one_event(cand, o, config) for o in c)), None)
            if home is None:
                clusters.append([cand])
            else:
                home.append(cand)
    entries = []
    for clusters in groups.values():
        for cluster in clusters:
            first = cluster[0]
            sources = list(dict.fromkeys(c.evidence.article_id for c in cluster))
            entries.append(
                TimelineEntry(
                    date=first.resolved.label,
                    precision=first.resolved.precision,
                    start=first.resolved.start,
                    text=first.evidence.quote,
                    sources=sources,
                    evidence=[c.evidence for c in cluster],
                )
            )
    entries.sort(key=lambda e: (e.start, e.date, -len(e.sources)))
    return entries
