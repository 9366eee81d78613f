"""Claims aligned into facts and labelled: the same subject and slot across reports is one fact, whose
status says whether independent outlets agree, one states it, reports of one time disagree, or a later
report changed an earlier value."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader
from storydesk.model import Article, Entity, Evidence, Fact
from storydesk.text import words


def default_subject(entities: Sequence[Entity], articles: Sequence[Article]) -> str:
    """Whom a claim with no named subject is about: the story's most reported work, else its most salient
    entity, unless that is a place and the headlines name another (the bridge that closes, not the river
    under it)."""
    work = next((e.name for e in entities if e.type == "work"), None)
    if work or not entities or entities[0].type != "place":
        return work or (entities[0].name if entities else "story")
    titles = [a.title for a in articles if a.title]
    named = [(sum(e.name in t for t in titles), -i) for i, e in enumerate(entities) if e.type != "other"]
    best = max(named, default=(0, 0))
    return entities[-best[1]].name if best[0] else entities[0].name


def share_subjects(claims: list[Claim], readers: list[Reader]) -> None:
    """The same sum for the same thing, given to two subjects that a report names in one sentence, is one
    fact: "Cruise's $200 million film" and "Liman's $200 million film" are the same film."""
    together: set[frozenset[str]] = set()
    for reader in readers:
        for sent in reader.sents:
            names = {e.name for s, _, e in reader.mentions if sent.start <= s < sent.end}
            together.update(frozenset((a, b)) for a in names for b in names if a < b)
    counts = Counter(c.subject for c in claims)
    for a in claims:
        for b in claims:
            if (a.slot, a.value) == (b.slot, b.value) and frozenset((a.subject, b.subject)) in together:
                keep = max((a.subject, b.subject), key=lambda n: (counts[n], n or ""))
                a.subject = b.subject = keep


def align(claims: list[Claim], default: str, quote_same_share: float) -> list[list[Claim]]:
    """Group claims by subject and slot, quotes by speaker and wording; claims with no named subject
    are about the story's main subject (its most reported work, else its most salient entity)."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    quotes: list[list[Claim]] = []
    for c in claims:
        if c.kind == "quote":
            _add_quote(quotes, c, quote_same_share)
        elif c.subject is not None:
            groups[(c.subject, c.slot)].append(c)
    for c in claims:
        if c.subject is None:
            c.subject = default
            groups[(default, c.slot)].append(c)
    return [*groups.values(), *quotes]


def _add_quote(quotes: list[list[Claim]], claim: Claim, same_share: float) -> None:
    mine = {w.lower() for w in words(claim.value)}
    for group in quotes:
        theirs = {w.lower() for w in words(group[0].value)}
        shared = len(mine & theirs)
        if group[0].subject == claim.subject and shared >= same_share * min(len(mine), len(theirs)):
            group.append(claim)
            return
    quotes.append([claim])


def _source(article: Article) -> str:
    return article.outlet or article.id


def period(article: Article) -> tuple[dt.date, dt.date]:
    """First and last day the report may have appeared on (undated: any time)."""
    if article.published is None:
        return dt.date.min, dt.date.max
    if article.published_precision == "month":
        nxt = (article.published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return article.published, nxt - dt.timedelta(days=1)
    return article.published, article.published


def fact_of(claims: list[Claim]) -> Fact:
    claims = sorted(claims, key=lambda c: (period(c.article)[0], c.span.start))
    classes: list[list[Claim]] = []
    reps: list[str] = []
    for c in claims:
        i = next((i for i, r in enumerate(reps) if c.kind == "quote" or values.compatible(r, c.value)), None)
        if i is None:
            classes.append([c])
            reps.append(c.value)
        else:
            classes[i].append(c)
            reps[i] = reps[i] if c.kind == "quote" else values.finer(reps[i], c.value)
    outlets = [len({_source(c.article) for c in cls}) for cls in classes]
    best = max(range(len(classes)), key=lambda i: (outlets[i], -i))
    status = "corroborated" if outlets[best] >= 2 else "single-source"
    if len(classes) > 1:
        best, status = _change(claims, classes)
    first = claims[0]
    digest = hashlib.blake2b(f"{first.subject}|{first.slot}|{reps[0]}".encode(), digest_size=5).hexdigest()
    evidence = [
        Evidence(c.article.id, c.span.text, c.span.start, c.span.end, c.article.outlet, c.article.published,
                 c.value)
        for c in claims
    ]
    return Fact("f" + digest, first.subject or "", first.slot, first.kind, reps[best], status, outlets[best],
                evidence, list(dict.fromkeys(c.value for c in claims)))


def _change(claims: list[Claim], classes: list[list[Claim]]) -> tuple[int, str]:
    """Updated when every latest report agrees on a value the earliest reports did not give; else
    conflicting (the value most outlets give wins)."""
    which = {id(c): i for i, cls in enumerate(classes) for c in cls}
    dated = [c for c in claims if c.article.published]
    if dated and period(dated[0].article)[1] < period(dated[-1].article)[0]:
        first, last = period(dated[0].article)[0], period(dated[-1].article)[0]
        latest = {which[id(c)] for c in dated if period(c.article)[0] == last}
        earliest = {which[id(c)] for c in dated if period(c.article)[0] == first}
        if len(latest) == 1 and not latest & earliest:
            return latest.pop(), "updated"
    outlets = [len({_source(c.article) for c in cls}) for cls in classes]
    return max(range(len(classes)), key=lambda i: (outlets[i], -i)), "conflicting"
