"""What both report formats show, computed once from the model's stories.

Numbering of sources, citation anchors and the source × fact matrix are decided here so HTML and Markdown
agree on them; rules about the data itself (outlets of a report, sources per value) come from the model.
A stored story renders the same: the store returns the same `Story` objects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from storydesk.model import Article, Copy, Entity, Evidence, Fact, Rejected, Statement, Story, TimelineEntry

STATUSES = ("conflicting", "updated", "corroborated", "single-source")  # most in need of a reader first
#: How the sheet says where a value was found when no report's own text states it.
ONLY_IN = {"quote": "only inside a quotation", "headline": "only in a headline or standfirst",
           "caption": "only in a photo caption"}
#: The order an event's parts are shown in.
PARTS = ("action", "actor", "object", "with", "place", "destination", "vehicle", "time")


@dataclass
class CopyView:
    """Another copy of a report, with its link when the URL may be linked."""

    copy: Copy
    href: str | None


@dataclass
class Source:
    """One numbered report of a story, as cited by `[n]`."""

    number: int
    anchor: str
    article: Article
    outlet: str
    href: str | None
    copies: list[CopyView]
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
    published: dt.date | None
    cite: Cite


@dataclass
class FactRow:
    """A fact with its values tallied by outlet count and one matrix cell per source."""

    fact: Fact
    anchor: str
    values: list[tuple[str, int]]
    quotes: list[Quote]
    cells: list[str]
    #: An event's parts in display order ("place", "Baikonur / International Space Station").
    parts: list[tuple[str, str]]
    #: The values by time: "3 Feb 2026: USD 3.2 million (3 sources) vs USD 2.3 million (1 source)".
    history: list[str]
    #: Where the value stands when no report's own text states it ("only inside a quotation"), or "".
    only_in: str
    #: Sources the reports cite for it ("Variety"): they count once however many reports pass them on.
    via: list[str]
    #: Whether reports disagree on it (conflicting, updated, or a report giving another value).
    differs: bool


@dataclass
class StatementRow:
    """A quoted statement: who said it (or unattributed), how the speaker was found, every report."""

    statement: Statement
    anchor: str
    speaker: str
    quotes: list[Quote]
    cites: list[Cite]


@dataclass
class EntryRow:
    """A timeline entry with its citations and the date expressions as written."""

    entry: TimelineEntry
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
    #: Positions in `brief` of the lines generated from the fact sheet ("Reports differ on …"), not quoted.
    generated: frozenset[int]
    facts: list[FactRow]
    #: The who-said-what matrix's rows: the facts reports disagree on first.
    matrix: list[FactRow]
    statements: list[StatementRow]
    entities: list[Entity]
    timeline: list[EntryRow]
    status_counts: dict[str, int]
    #: Stages that failed on this story, as "stage: reason" (the story keeps its articles).
    errors: list[str] = field(default_factory=list)


@dataclass
class ContentsEntry:
    """One story's line in the report's contents."""

    anchor: str
    title: str
    n_sources: int


@dataclass
class ReportHeader:
    """What the report says before its stories: counts and contents, all a large run keeps of a story once
    its section is written (`report.writer`)."""

    generated_at: str | None
    version: str | None
    schema_version: str | None
    n_articles: int
    n_outlets: int
    n_rejected: int
    contents: list[ContentsEntry]

    @property
    def n_stories(self) -> int:
        return len(self.contents)


@dataclass
class ReportView:
    """The whole report: the header, the stories and the rejected inputs."""

    header: ReportHeader
    stories: list[StoryView]
    rejected: list[Rejected]


def build_view(
    stories: list[Story],
    rejected: list[Rejected] | None = None,
    *,
    generated_at: str | None = None,
    version: str | None = None,
    schema_version: str | None = None,
) -> ReportView:
    """Number sources, resolve citations and tally facts for every story."""
    views = [story_view(i, s) for i, s in enumerate(stories, start=1)]
    tally = HeaderTally()
    for index, (view, story) in enumerate(zip(views, stories, strict=True)):
        tally.add(index, view, story)
    rejected = list(rejected or [])
    header = tally.header(len(rejected), generated_at=generated_at, version=version,
                          schema_version=schema_version)
    return ReportView(header=header, stories=views, rejected=rejected)


@dataclass
class HeaderTally:
    """The header's counts and contents, one story at a time and in any order: `build_view` over a list,
    `report.writer` as a run's stories arrive."""

    contents: dict[int, ContentsEntry] = field(default_factory=dict)
    n_articles: int = 0
    outlets: set[str] = field(default_factory=set)

    def add(self, index: int, view: StoryView, story: Story) -> None:
        self.contents[index] = contents_entry(view)
        self.n_articles += len(view.sources)
        self.outlets.update(name for article in story.articles for name in article.outlets)

    def header(self, n_rejected: int, *, generated_at: str | None, version: str | None,
               schema_version: str | None) -> ReportHeader:
        return ReportHeader(generated_at=generated_at, version=version, schema_version=schema_version,
                            n_articles=self.n_articles, n_outlets=len(self.outlets), n_rejected=n_rejected,
                            contents=[self.contents[i] for i in sorted(self.contents)])


def contents_entry(view: StoryView) -> ContentsEntry:
    return ContentsEntry(view.anchor, view.title, len(view.sources))


def safe_href(url: str | None) -> str | None:
    """Only absolute http(s) URLs become links; anything else (javascript:, file:, relative) stays text."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def human_date(value: dt.date | str | None, precision: str = "day") -> str:
    """2021-10-05 -> '5 Oct 2021' ('Oct 2021' at month precision); a non-ISO string is shown as given."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    return f"{value:%b %Y}" if precision == "month" else f"{value.day} {value:%b %Y}"


def source_date(article: Article) -> str:
    """When a report appeared, at the precision known, marked when inferred from the report's content."""
    shown = human_date(article.published, article.published_precision)
    return f"≈ {shown}, estimated" if shown and article.published_estimated else shown


def story_view(number: int, story: Story) -> StoryView:
    """Story `number` (1-based, its place in the report) ready to render."""
    anchor = f"story-{number}"
    sources = [
        Source(
            number=n,
            anchor=f"{anchor}-src-{n}",
            article=article,
            outlet=article.outlet or urlsplit(article.url or "").hostname or "unknown outlet",
            href=safe_href(article.url),
            copies=[CopyView(c, safe_href(c.url)) for c in article.copies],
            date=source_date(article),
        )
        for n, article in enumerate(story.articles, start=1)
    ]
    by_id = {src.article.id: src for src in sources}
    # The sheet's own order: what happened first, then by importance (`analysis.facts.build_facts`).
    facts = [_fact_row(f"{anchor}-fact-{i}", fact, sources, by_id)
             for i, fact in enumerate(story.facts, start=1)]
    statements = [_statement_row(f"{anchor}-quote-{i}", s, by_id)
                  for i, s in enumerate(story.statements, start=1)]
    return StoryView(
        number=number,
        anchor=anchor,
        title=story.title or f"Story {number}",
        sources=sources,
        brief=[(b.text, _cites(b.sources, by_id)) for b in story.brief],
        generated=frozenset(i for i, b in enumerate(story.brief) if b.kind != "report"),
        facts=facts,
        matrix=sorted(facts, key=lambda row: not row.differs),
        statements=statements,
        entities=sorted(story.entities, key=lambda e: (-len(e.articles), -sum(e.variants.values()))),
        timeline=[EntryRow(e, _cites(e.sources, by_id), _quotes(e.evidence, by_id)) for e in story.timeline],
        status_counts=dict(Counter(row.fact.status for row in facts)),
        errors=[f"{e.stage}: {e.reason}" for e in story.errors],
    )


def _cite(article_id: str, by_id: dict[str, Source]) -> Cite:
    src = by_id.get(article_id)
    return Cite(str(src.number), src.anchor) if src else Cite("?", None)


def _cites(ids: list[str], by_id: dict[str, Source]) -> list[Cite]:
    """Citations in source order, each source once."""
    cites = {c.label: c for c in (_cite(i, by_id) for i in dict.fromkeys(ids))}
    return sorted(cites.values(), key=lambda c: (c.anchor is None, int(c.label) if c.anchor else 0))


def _quotes(evidence: list[Evidence], by_id: dict[str, Source]) -> list[Quote]:
    quotes = []
    for ev in evidence:
        src = by_id.get(ev.article_id)
        quotes.append(
            Quote(
                quote=ev.quote,
                value=ev.value,
                outlet=ev.outlet or (src.outlet if src else ""),
                published=ev.published or (src.article.published if src else None),
                cite=_cite(ev.article_id, by_id),
            )
        )
    return quotes


def _fact_row(anchor: str, fact: Fact, sources: list[Source], by_id: dict[str, Source]) -> FactRow:
    """Tally sources per value and fill the matrix row: what each source said, blank when silent."""
    said: dict[str, dict[str, None]] = {}
    for ev in fact.evidence:
        said.setdefault(ev.article_id, {})[ev.value or fact.value] = None
    tally = fact.outlets_by_value()
    cells = [" / ".join(said.get(src.article.id, {})) for src in sources]
    return FactRow(
        fact=fact,
        anchor=anchor,
        values=list(tally.items()) or [(fact.value, 0)],
        quotes=_quotes(fact.evidence, by_id),
        cells=cells,
        parts=[(name, fact.parts[name]) for name in PARTS if name in fact.parts and name != "action"],
        history=[_step(step.since, step.values, tally) for step in fact.history],
        only_in=ONLY_IN.get(fact.only_in or "", ""),
        via=list(dict.fromkeys(ev.via for ev in fact.evidence if ev.via)),
        differs=fact.status in ("conflicting", "updated") or any(c and c != fact.value for c in cells),
    )


def _step(since: dt.date | None, values: list[str], tally: dict[str, int]) -> str:
    """ "3 Feb 2026: USD 3.2 million (3 sources) vs USD 2.3 million (1 source)"."""
    shown = " vs ".join(f"{v} ({_sources(tally.get(v, 0))})" for v in values)
    return f"{human_date(since) or 'undated'}: {shown}"


def _sources(n: int) -> str:
    return f"{n} source" if n == 1 else f"{n} sources"


def _statement_row(anchor: str, statement: Statement, by_id: dict[str, Source]) -> StatementRow:
    quotes = _quotes(statement.evidence, by_id)
    return StatementRow(
        statement=statement,
        anchor=anchor,
        speaker=statement.speaker or "unattributed",
        quotes=quotes,
        cites=_cites([ev.article_id for ev in statement.evidence], by_id),
    )
