"""Facts: typed claims read from every report, aligned across reports and labelled.

Each report's statements become claims (subject, slot, normalised value, the sentence as evidence), read
by one small module per kind (`dates`, `durations`, `money`, `counts`, `ages`, `roles`, `quotes`,
registered in `registry`). Claims about the same canonical subject and slot are one fact (`align`): its
status says whether independent outlets agree (corroborated), only one states it (single-source), reports
of about the same time disagree (conflicting), or a later report changed an earlier value (updated).
Precision over recall: only patterns an editor would trust are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.analysis.facts import ages, counts, dates, durations, money, quotes  # noqa: F401
from storydesk.analysis.facts import roles as _roles  # noqa: F401
from storydesk.analysis.facts.align import align, default_subject, fact_of, share_subjects
from storydesk.analysis.facts.reader import Claim, Reader, entity_index
from storydesk.analysis.facts.registry import claim_readers
from storydesk.analysis.temporal.publication import SlotDate
from storydesk.model import Entity, Fact

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
                reader = _reader(ctx, article.id, reader.index, reader.works)
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
    for reader in readers:
        reader.works = works
    others = tuple(k for k in kinds if k != "role")
    by_article = {r.article.id: {"role": roles[r.article.id], **_read(r, others)} for r in readers}
    return StoryClaims(readers, by_article, default_subject(entities, ctx.articles), kinds)


def build_facts(claims: StoryClaims, ctx: StoryContext) -> list[Fact]:
    """Typed facts of a story, aligned across reports and labelled; most widely reported first."""
    found = [c for c in claims.claims() if c.value]
    share_subjects([c for c in found if c.kind in ("money", "duration")], claims.readers)
    facts = [fact_of(group) for group in align(found, claims.default, ctx.config.facts.quote_same_share)]
    facts.sort(key=lambda f: (-f.outlets, -len(f.evidence), f.subject, f.slot))
    return facts


def extract_facts(ctx: StoryContext, entities: list[Entity]) -> list[Fact]:
    """The fact sheet of a story whose publication dates are settled (`read_claims` + `build_facts`)."""
    return build_facts(read_claims(ctx, entities), ctx)


def _reader(ctx: StoryContext, article_id: str, index: dict, works: dict[str, str]) -> Reader:
    reader = Reader(ctx.article(article_id), ctx.doc(article_id), ctx.sentences(article_id),
                    ctx.dates(article_id), index, ctx.config.facts)
    reader.works = works
    return reader


def _read(reader: Reader, kinds: tuple[str, ...]) -> dict[str, list[Claim]]:
    return {kind: read(reader) for kind, read in claim_readers(kinds).items()}


__all__ = ["StoryClaims", "build_facts", "extract_facts", "read_claims"]
