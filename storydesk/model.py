"""Every result type storydesk produces, in one place: plain dataclasses, nothing else imported.

Stages are functions over these types, so the same code runs in-process, in worker processes and inside
Spark; interfaces (CLI, store, reports, HTTP) read and write them. Kinds and statuses are `Literal`s, type
hints resolve at run time (`typing.get_type_hints`), so schemas (JSON Schema, pydantic, Spark) are derived
from the classes, and `storydesk.document` turns a `Story` into its stories.json form and back, losslessly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

#: How much of a date is known: a day, a calendar month, a season or a year.
DatePrecision = Literal["day", "month", "season", "year"]
#: What an entity is. "other" covers products and named craft ("the trawler Marigold").
EntityType = Literal["person", "organisation", "place", "work", "event", "other"]
#: What a fact's value is. "event" is what happened (its actor, object, place and time in `Fact.parts`),
#: "place" where, "state" a condition that can change ("missing" -> "found alive"). "quote" is kept for
#: documents of earlier versions: quoted words are `Statement`s now, never facts.
FactKind = Literal["date", "duration", "money", "count", "age", "role", "quote", "event", "place", "state"]
#: How the reports stand on a fact: agreeing outlets, one outlet, disagreeing reports of one time, or a
#: value a later report changed.
BriefKind = Literal["report", "conflict"]
FactStatus = Literal["corroborated", "single-source", "conflicting", "updated"]
#: Where in a report words stand: its own body text, a headline or standfirst, a photo caption or credit, or
#: inside a quotation (someone else's words).
TextPart = Literal["body", "headline", "caption", "quote"]
#: How a statement's speaker was found: named by its attribution ("X said"), a pronoun resolved to the
#: nearest named speaker, the same speaker's quotation continued, or not at all.
Attribution = Literal["named", "pronoun", "continued", "unattributed"]
#: Where a run failed on one input or one story: reading it (ingest), cleaning it, or analysing its story.
Stage = Literal["read", "clean", "analyse"]


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of a text: `text == source[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Evidence:
    """Where a report states something: `quote == article.text[start:end]`."""

    article_id: str
    quote: str
    start: int
    end: int
    outlet: str | None = None
    published: dt.date | None = None
    value: str | None = None
    #: Where in the report the quote stands (a value read only from a headline, a caption or a quotation is
    #: marked as such on the sheet).
    part: TextPart = "body"
    #: The source the report cites for it ("Variety reports", "the AP said"), as written.
    via: str | None = None

    @property
    def source(self) -> str:
        """Who states it, for counting independent sources: the source the report cites, else the outlet,
        else the report itself (two outlets re-reporting one interview are one source)."""
        return source_key(self.via or self.outlet or self.article_id)


def source_key(name: str) -> str:
    """One key per source however it is written: "the AP", "AP"; "Variety" cited and Variety's own
    report."""
    words = name.split()
    return " ".join(words[1:] if len(words) > 1 and words[0].lower() == "the" else words).casefold()


@dataclass(slots=True)
class Removal:
    """A piece of an article taken out during reading or cleaning, kept so a user can audit it.

    `reason` names the rule ("share-buttons", "photo-credit", "metadata", …).
    """

    text: str
    reason: str


@dataclass(slots=True)
class Copy:
    """Another copy of the same report (exact or near-duplicate) collapsed into an article."""

    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    #: The copy's own article id (content hash of its cleaned text), so a report received again is known.
    id: str | None = None


@dataclass(slots=True)
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
    published_precision: Literal["day", "month"] = "day"

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets carrying this report, the article's own first."""
        seen: dict[str, None] = {}
        for name in [self.outlet, *(c.outlet for c in self.copies)]:
            if name:
                seen.setdefault(name, None)
        return list(seen)


@dataclass(slots=True)
class Rejected:
    """An input that could not be read as an article, and why. Nothing is dropped silently."""

    path: str
    reason: str
    #: The stage that gave up on it: "read" (not a report, or unreadable), "clean", or "analyse".
    stage: Stage = "read"


@dataclass(slots=True)
class StageError:
    """A stage that failed on one story (an exception or a budget overrun): the story keeps its articles and
    what the stages before it produced, and the run goes on."""

    stage: str
    reason: str


@dataclass(slots=True)
class Mention:
    """Where a report names an entity: `text == article.text[start:end]`."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """A person, organisation, place or work, however the reports spell it."""

    id: str
    name: str
    type: EntityType
    #: Each spelling as written, with how often it occurs.
    variants: dict[str, int]
    articles: list[str]
    mentions: list[Mention]


@dataclass(slots=True)
class Fact:
    """One checkable statement (subject, slot, value) aligned across reports, with its status."""

    id: str
    subject: str
    slot: str
    kind: FactKind
    #: The value the fact sheet stands by: the latest for an updated fact, the best supported otherwise.
    value: str
    status: FactStatus
    #: Independent outlets stating `value`.
    outlets: int
    evidence: list[Evidence]
    #: Every value reported, in order of first report.
    values: list[str]
    #: An event's parts, as the sheet stands by them: "actor", "action", "object", "place", "time", "with".
    parts: dict[str, str] = field(default_factory=dict)
    #: Where `value` is written when no report's own body text states it: "headline", "caption" or "quote".
    only_in: TextPart | None = None
    #: Why the fact ranks where it does: the reports stating it, each weighted by how early it says so.
    importance: float = 0.0
    #: The values by when reports gave them, oldest first, for a fact whose reports disagree: a change over
    #: time is two steps; a disagreement of one time is one step with several values.
    history: list[FactStep] = field(default_factory=list)

    def outlets_by_value(self) -> dict[str, int]:
        """How many independent sources state each value, in the order of `values`."""
        sources: dict[str, set[str]] = {v: set() for v in self.values}
        for ev in self.evidence:
            sources.setdefault(ev.value or self.value, set()).add(ev.source)
        return {v: len(s) for v, s in sources.items()}


@dataclass(slots=True)
class FactStep:
    """The values reports of one time gave a fact, best supported first: several values disagree."""

    #: First day of that time (None for undated reports).
    since: dt.date | None
    values: list[str]


@dataclass(slots=True)
class Statement:
    """A quoted statement with the speaker its report attributes it to, aligned across reports.

    Quotations are what someone said, not facts a report vouches for: they are kept apart from the fact
    sheet ("who said what")."""

    id: str
    #: The speaker's canonical name; None when no attribution resolves (shown as unattributed).
    speaker: str | None
    #: The words as first quoted.
    text: str
    attribution: Attribution
    #: "corroborated" when independent sources carry it, else "single-source".
    status: FactStatus
    #: Independent sources carrying it (a cited interviewer counts once: "told Variety").
    outlets: int
    evidence: list[Evidence]


@dataclass(slots=True)
class TimelineEntry:
    """One event on the calendar, verbatim from a report, with every report that names it."""

    #: The date at its precision: "2021-10-05", "2021-10", "2021-autumn", "2021".
    date: str
    precision: DatePrecision
    #: First day of the period `date` names.
    start: dt.date
    text: str
    sources: list[str]
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class BriefSentence:
    """A sentence of a brief, citing every report that states it: verbatim from a report (whitespace
    collapsed), or, for `kind == "conflict"`, the one line the brief generates, from the fact sheet, where
    reports disagree on a key fact (citing the reports of every side)."""

    text: str
    sources: list[str]
    kind: BriefKind = "report"


@dataclass(slots=True)
class Story:
    """Articles about the same events, with what storydesk derived from them."""

    id: str
    title: str
    articles: list[Article]
    brief: list[BriefSentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    #: Who said what: the quoted statements of the reports.
    statements: list[Statement] = field(default_factory=list)
    #: Stages that failed on this story (empty when its analysis ran through).
    errors: list[StageError] = field(default_factory=list)


@dataclass(slots=True)
class RunResult:
    """Everything one run produced: the stories and every input that was rejected."""

    stories: list[Story]
    rejected: list[Rejected] = field(default_factory=list)


# The stored collection: what the store answers about its stories, and the HTTP API sends as is -----------

#: What a search hit is: an article (its headline and text) or a story's brief (the story title and brief).
SearchKind = Literal["article", "brief"]


@dataclass(slots=True)
class StorySummary:
    """A story in a listing: a line of `storydesk stories`, with its outlets and last change when the store
    lists stories for the API (`updated_at`: when the story was last saved, UTC)."""

    id: str
    title: str
    n_articles: int
    first_published: dt.date | None
    last_published: dt.date | None
    outlets: list[str] = field(default_factory=list)
    updated_at: dt.datetime | None = None


@dataclass(slots=True)
class StoryPage:
    """One page of a story listing and the cursor of the next (None on the last page)."""

    stories: list[StorySummary]
    next_cursor: str | None


@dataclass(slots=True)
class EntityStories:
    """An entity across the stored stories: its name, every spelling with its count, and its stories."""

    id: str
    name: str
    type: str
    variants: dict[str, int]
    stories: list[StorySummary]


@dataclass(slots=True)
class SearchHit:
    """A matching article or brief: its story, a snippet with the (start, end) of each matched word in it,
    and its rank (higher is better; comparable within one search only)."""

    story_id: str
    story_title: str
    kind: SearchKind
    article_id: str | None
    title: str | None
    snippet: str
    highlights: list[tuple[int, int]]
    score: float


@dataclass(slots=True)
class SearchResults:
    """The hits for a query, best first."""

    query: str
    hits: list[SearchHit]


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as the store keeps it: its stories.json object as UTF-8 bytes (sent as is, never decoded)
    and its revision, which changes whenever the story is saved again."""

    body: bytes
    revision: str


@dataclass(slots=True)
class StoryEvent:
    """A change of story ids, kept in the store's story history. "merged": `from_id`'s reports joined
    `to_id`, and `from_id` now resolves to `to_id`; "split": `to_id` was started from part of `from_id`'s
    reports (`from_id` goes on)."""

    at: dt.datetime
    kind: Literal["merged", "split"]
    from_id: str
    to_id: str


@dataclass(slots=True)
class StoryChange:
    """A story a batch of reports created, re-analysed, or merged into another (removed)."""

    id: str
    title: str
    n_articles: int
    change: Literal["created", "updated", "removed"]


@dataclass(slots=True)
class StreamUpdate:
    """What one batch of reports did to a store: the reports that were new (by report key), every story
    after it (id -> articles, each carrying its copies), the stories it changed, the id history it made,
    and how the grouping went on ("appended": the persisted grouper took the new reports in order;
    "replayed": a report older than the grouper's last one, or a change of a deduplicated report, made
    it start over; "none": nothing new)."""

    added: list[str]
    stories: dict[str, list[Article]]
    changes: list[StoryChange]
    history: list[StoryEvent]
    grouping: Literal["none", "appended", "replayed"]


@dataclass(slots=True)
class ArticleReceipt:
    """Where one readable input went: its article id (content hash of the cleaned text), its story, and
    whether it was added, kept as a copy of another report (`copy_of`), or already stored."""

    input: str
    id: str
    story_id: str
    status: Literal["added", "copy", "known"]
    copy_of: str | None = None


@dataclass(slots=True)
class IngestReceipt:
    """The answer to a write: every input is either in `articles` or in `rejected` (with its reason)."""

    articles: list[ArticleReceipt]
    rejected: list[Rejected]
    stories: list[StoryChange]
    history: list[StoryEvent] = field(default_factory=list)
