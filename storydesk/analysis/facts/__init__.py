"""Facts: typed claims read from every report, aligned across reports and labelled.

Each report's statements become claims (subject, slot, normalised value, the sentence as evidence), read
by one small module per kind (`dates`, `durations`, `money`, `counts`, `ages`, `roles`, `quotes`,
registered in `registry`), each marked with where it stands (body, standfirst, caption, quotation) and the
source the report cites for it (`sources`). Claims about the same canonical subject and slot are one fact
(`align`): its status says whether independent sources agree (corroborated), only one states it
(single-source), reports of about the same time disagree (conflicting), or a later report changed an
earlier value (updated). Quotations are not facts: they become the story's statements (`statements`).
Precision over recall: only patterns an editor would trust are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.analysis.facts import ages, counts, dates, durations, events, money, quotes, states  # noqa: F401
from storydesk.analysis.facts import roles as _roles  # noqa: F401
from storydesk.analysis.facts import times as _times  # noqa: F401
from storydesk.analysis.facts.align import align, default_subject, fact_of, share_subjects
from storydesk.analysis.facts.reader import Claim, Reader, entity_index
from storydesk.analysis.facts.registry import claim_readers
from storydesk.analysis.facts.sources import text_part
from storydesk.analysis.facts.statements import build_statements
from storydesk.analysis.temporal.publication import SlotDate
from storydesk.config import FactsConfig
from storydesk.model import Entity, Fact, Statement

if TYPE_CHECKING:
    from storydesk.analysis.context import StoryContext


@dataclass
class StoryClaims:
    """Every claim of a story's reports, per article and kind, with the readers that read them."""

    readers: list[Reader]
    by_article: dict[str, dict[str, list[Claim]]]
    #: Whom a claim with no named subject is about (`align.default_subject`).
    default: str
    kinds: tuple[str, ...]

    def claims(self) -> list[Claim]:
        """All claims in reading order: roles of every report first (the others need them), then each
        report's other kinds in the configured order."""
        ids = [r.article.id for r in self.readers]
        out = [c for i in ids for c in self.by_article[i].get("role", [])] if "role" in self.kinds else []
        return out + [c for i in ids for k in self.kinds if k != "role" for c in self.by_article[i][k]]

    def slot_dates(self) -> list[SlotDate]:
        """Every statement of when an event of the story happens, with its canonical subject and slot,
        whether or not it resolves yet: the same fact stated in several reports ties their dates."""
        return [SlotDate(c.article.id, c.subject or self.default, c.slot, c.mention)
                for r in self.readers for c in self.by_article[r.article.id].get("date", [])
                if c.mention is not None]

    def reread(self, ctx: StoryContext) -> StoryClaims:
        """The claims for the context's articles: a report whose article changed (a date was inferred) is
        read again, as its dates resolve differently now; the others are kept as read."""
        readers = []
        by_article = dict(self.by_article)
        for reader in self.readers:
            article = ctx.article(reader.article.id)
            if article is not reader.article:
                reader = _reader(ctx, article.id, reader.index, reader.works, reader.titled)
                by_article[article.id] = _read(reader, self.kinds)
            readers.append(reader)
        return StoryClaims(readers, by_article, self.default, self.kinds)


def read_claims(ctx: StoryContext, entities: list[Entity]) -> StoryClaims:
    """Every claim of every report of the story."""
    kinds = ctx.config.facts.kinds
    index = entity_index(entities)
    readers = [_reader(ctx, a.id, index, {}) for a in ctx.articles]
    roles = {r.article.id: claim_readers(("role",))["role"](r) for r in readers}
    works = {c.value: c.subject for cs in roles.values() for c in cs
             if c.slot in ("director", "star") and c.subject}
    titled = {**_described(readers), **_titled(c for cs in roles.values() for c in cs)}
    for reader in readers:
        reader.works, reader.titled = works, titled
    others = tuple(k for k in kinds if k != "role")
    by_article = {r.article.id: {"role": roles[r.article.id], **_read(r, others)} for r in readers}
    told = [c for cs in by_article.values() for c in cs.get("event", [])]
    made = [c.subject for cs in roles.values() for c in cs if c.slot in ("director", "star") and c.subject]
    default = default_subject(entities, ctx.articles, told, ctx.config.facts, made)
    return StoryClaims(readers, by_article, default, kinds)


def build_facts(claims: StoryClaims, ctx: StoryContext) -> list[Fact]:
    """Typed facts of a story, aligned across reports and labelled: what happened (events) first, then by
    importance (how many sources state it, how early in their reports)."""
    found = [c for c in claims.claims() if c.value and c.kind != "quote"]
    share_subjects([c for c in found if c.kind in ("money", "duration")], claims.readers, claims.default)
    config = ctx.config.facts
    found = _outside_quotes_too(found)
    groups = [g for g in align(found, claims.default) if _told(g, config)]
    facts = [fact_of(group, config) for group in groups]
    link_event_parts(facts)
    facts.sort(key=lambda f: (f.kind != "event", -f.importance, -f.outlets, f.subject, f.slot))
    return facts


def _outside_quotes_too(claims: list[Claim]) -> list[Claim]:
    """Values read inside quotations only where reports also state that kind of fact in their own words:
    a quoted "I used to spend 25 minutes" is talk, the quoted launch site of a launch the reports describe
    is a detail to check (and marked as found only in a quotation)."""
    own = {_topic(c) for c in claims if c.part != "quote"}
    return [c for c in claims if c.part != "quote" or _topic(c) in own]


def _topic(claim: Claim) -> str:
    """What a claim is a value of, for the test above: an event and its places are one kind of event."""
    if claim.kind == "place":
        return claim.slot.rsplit(" ", 1)[0]
    return claim.slot

def _told(group: list[Claim], config: FactsConfig) -> bool:
    """An event (or its place) is on the sheet when two sources state it or a report tells it in its
    first sentences: a single-source event further down is background, not what happened."""
    if group[0].kind not in ("event", "place"):
        return True
    sources = {c.via or c.article.outlet or c.article.id for c in group}
    return len(sources) >= 2 or min(c.rank for c in group) < config.lead_sentences


def link_event_parts(facts: list[Fact]) -> None:
    """An event's time and place are its date and place facts: "launch" takes "launch date" and "launch
    site" (a conflicting site shows both values)."""
    by_key = {(f.subject, f.slot): f for f in facts}
    for fact in (f for f in facts if f.kind == "event"):
        date = by_key.get((fact.subject, f"{fact.slot} date"))
        if date is not None:
            fact.parts["time"] = date.value
        for slot in ("site", "destination"):
            place = by_key.get((fact.subject, f"{fact.slot} {slot}"))
            if place is not None:
                shown = " / ".join(place.values) if place.status == "conflicting" else place.value
                fact.parts["place" if slot == "site" else slot] = shown


def statements_of(claims: StoryClaims, ctx: StoryContext) -> list[Statement]:
    """Who said what: the story's quotations aligned across reports."""
    quoted = [c for c in claims.claims() if c.kind == "quote"]
    return build_statements(quoted, ctx.config.facts.quote_same_share)


def extract_facts(ctx: StoryContext, entities: list[Entity]) -> list[Fact]:
    """The fact sheet of a story whose publication dates are settled (`read_claims` + `build_facts`)."""
    return build_facts(read_claims(ctx, entities), ctx)


def _titled(roles: Iterable[Claim]) -> dict[str, str]:
    """Whom "the mayor" means: each title word held by one person of the story."""
    holders: dict[str, set[str]] = defaultdict(set)
    for c in roles:
        holders[c.slot.split()[-1]].add(c.value)
    return {title: next(iter(people)) for title, people in holders.items() if len(people) == 1}


_DEFINITE = {"the", "this", "his", "her", "their"}


def _described(readers: Iterable[Reader]) -> dict[str, str]:
    """Whom "the boy" means: each common noun set off by a comma beside one person's name, as a definite
    description before it ("the little boy, Shimron Smith", "Shimron's brother, Shawn Smith") or an
    appositive after it ("Ghlam, a 24-year-old Algerian national,"), and beside no one else's name. A title
    read as a role takes precedence over it."""
    holders: dict[str, set[str]] = defaultdict(set)
    for reader in readers:
        for tok in reader.doc:
            if tok.dep_ != "appos" or tok.head.i >= tok.i or tok.left_edge.i < 2:
                continue
            comma, before = tok.doc[tok.left_edge.i - 1], tok.doc[tok.left_edge.i - 2]
            if comma.text != ",":
                continue
            person, noun = reader.entity(tok), tok.head  # "the little boy, Shimron Smith"
            definite = any(c.dep_ == "poss" or c.lower_ in _DEFINITE for c in noun.children)
            if person is None or not definite or before.i != noun.i:
                person, noun = reader.entity(tok.head), tok  # "Ghlam, a 24-year-old national"
                if person is None or reader.entity(before) is not person or reader.entity(noun) is not None:
                    continue
            if person.type == "person" and noun.pos_ == "NOUN" and noun.lemma_.isalpha():
                holders[noun.lemma_.lower()].add(person.name)
    return {noun: next(iter(people)) for noun, people in holders.items() if len(people) == 1}


def _reader(ctx: StoryContext, article_id: str, index: dict, works: dict[str, str],
            titled: dict[str, str] | None = None) -> Reader:
    reader = Reader(ctx.article(article_id), ctx.doc(article_id), ctx.sentences(article_id),
                    ctx.dates(article_id), index, ctx.config.facts)
    reader.works = works
    reader.titled = titled or {}
    return reader


def _read(reader: Reader, kinds: tuple[str, ...]) -> dict[str, list[Claim]]:
    found = {kind: read(reader) for kind, read in claim_readers(kinds).items()}
    for claims in found.values():
        for claim in claims:
            annotate(reader, claim)
    return found


def annotate(reader: Reader, claim: Claim) -> None:
    """Mark where the claim stands in its report and the source the report cites for it."""
    claim.part = text_part(reader, claim.at if claim.at is not None else claim.span.start)
    sent = reader.sentence(claim.span.start)
    claim.via = reader.via(sent)
    claim.rank = next((i for i, s in enumerate(reader.sents) if s.start == sent.start), 0)


__all__ = ["StoryClaims", "build_facts", "extract_facts", "read_claims", "statements_of"]
