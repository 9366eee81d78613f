"""The story's timeline: every dated event on a real date, merged across the reports that name it.

Each date expression (resolved by `storydesk.dates`) becomes a candidate entry whose text is the clause
of the sentence that holds it, verbatim. Candidates with the same date label whose words overlap enough
are one event told by several reports, so they merge with all their sources and evidence; so do clauses
that state the same fact with the same date (given the fact sheet), whatever words they use ("blast off
on Tuesday", "the start of the expedition is scheduled for 5 October 2021"). Dates that do not resolve to
the calendar are left out (never guessed), and so are publication-date lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storydesk.dates import DateMention, ResolvedDate, date_mentions
from storydesk.model import Article, Evidence, Span
from storydesk.text import dateline_end, sentences, stems

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storydesk.facts import Fact

MERGE_JACCARD = 0.3
MERGE_OVERLAP = 0.5  # share of the shorter entry's stems, with at least two shared
_CLAUSE_BREAK = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+|:\s+")
# A colon between two capitalised words is part of a title ("Mission: Impossible"), not a clause break.
_TITLE_COLON = re.compile(r"\b[A-Z][\w'’-]*:\s+[A-Z]")
# A speech participle left dangling before a cut quote ("..., adding", "with the agency saying").
_DANGLING = re.compile(
    r"(?:,?\s+(?:with\s+[^,]{1,40}?\s+)?(?:adding|saying|noting|stating|writing|telling\s+\w+))\s*$", re.I
)
_METADATA = re.compile(r"(?i)\b(?:published|updated|posted|last\s+modified|date|copyright|©)\b")
_MIN_CLAUSE_WORDS = 5


@dataclass
class TimelineEntry:
    """One event on the calendar, verbatim from a report, with every report that names it."""

    date: str
    precision: str
    start: dt.date
    text: str
    sources: list[str]
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class _Candidate:
    resolved: ResolvedDate
    evidence: Evidence
    stems: frozenset[str]
    fact: str | None = None


def _clause(sentence: Span, date: Span) -> Span:
    """The clause of `sentence` holding `date` when it is long enough to stand alone, else the sentence."""
    begin, end = 0, len(sentence.text)
    text = sentence.text
    for m in _CLAUSE_BREAK.finditer(text):
        if m.group().startswith(":") and _TITLE_COLON.match(text, _word_start(text, m.start())):
            continue
        if m.end() <= date.start - sentence.start:
            begin = m.end()
        elif m.start() >= date.end - sentence.start:
            end = m.start()
            break
    dangling = _DANGLING.search(sentence.text, begin, end)
    if dangling and dangling.start() >= date.end - sentence.start:
        end = dangling.start()
    text = sentence.text[begin:end]
    if len(text.split()) < _MIN_CLAUSE_WORDS:
        return sentence
    return Span(sentence.start + begin, sentence.start + end, text)


def _word_start(text: str, offset: int) -> int:
    """Where the word ending at `offset` begins."""
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset


def _is_metadata(sentence: Span, date: Span) -> bool:
    """A dateline or publication stamp: little besides the date itself, or a publication keyword."""
    if date.end - sentence.start <= dateline_end(sentence.text):
        return True
    rest = sentence.text[: date.start - sentence.start] + sentence.text[date.end - sentence.start :]
    content = stems(rest)
    return len(content) < 3 or (len(content) < 8 and bool(_METADATA.search(rest)))


_ATTRIBUTIVE_YEAR = re.compile(r"(?i)\b(?:the|a|an|its|their|his|her|this|that)\s+$")


def _is_attributive_year(text: str, date: Span) -> bool:
    """A bare year describing a noun ("the 1958 bridge", "a 2017 film") dates the thing, not the event."""
    if not re.fullmatch(r"\d{4}", date.text):
        return False
    before, after = text[max(0, date.start - 8) : date.start], text[date.end : date.end + 2]
    return bool(_ATTRIBUTIVE_YEAR.search(before)) and after[:1] == " " and after[1:2].islower()


@dataclass(frozen=True)
class EventMention:
    """A date expression with the clause it dates and that clause's content stems (date words removed)."""

    date: DateMention
    clause: Span
    stems: frozenset[str]


def event_mentions(article: Article, doc: Doc | None = None) -> list[EventMention]:
    """Every date expression of `article` with the clause it dates; datelines and stamps are left out."""
    mentions = date_mentions(article.text, doc=doc)
    if not mentions:
        return []
    sents = sentences(article.text)
    starts = [s.start for s in sents]
    out: list[EventMention] = []
    for mention in mentions:
        span = mention.span
        i = bisect.bisect_right(starts, span.start) - 1
        if (
            i < 0
            or span.end > sents[i].end
            or _is_metadata(sents[i], span)
            or _is_attributive_year(article.text, span)
        ):
            continue
        clause = _clause(sents[i], span)
        out.append(EventMention(mention, clause, frozenset(set(stems(clause.text)) - set(stems(span.text)))))
    return out


def _candidates(article: Article, doc: Doc | None) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[tuple[str, int]] = set()
    for mention in event_mentions(article, doc):
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


def same_event(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two dated clauses tell the same event: enough of their content stems are shared."""
    shared = len(a & b)
    if not shared:
        return False
    overlap = shared / min(len(a), len(b))
    return shared / len(a | b) >= MERGE_JACCARD or (shared >= 2 and overlap >= MERGE_OVERLAP)


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


def _one_event(a: _Candidate, b: _Candidate) -> bool:
    return same_event(a.stems, b.stems) or (a.fact is not None and a.fact == b.fact)


def build_timeline(
    articles: list[Article], docs: Mapping[str, Doc] | None = None, facts: list[Fact] | None = None
) -> list[TimelineEntry]:
    """Dated events of the story, sorted by start date; the same event from several reports merges.

    `docs` optionally maps article id to a spaCy Doc of that article's text (for tense from the parse);
    `facts` (the story's fact sheet) merges clauses stating one date fact. Each entry's text is the
    earliest report's clause; `sources` and `evidence` list every report.
    """
    stated: dict[str, list[tuple[int, int, str, str]]] = {}
    for fact in facts or []:
        if fact.kind == "date":
            for ev in fact.evidence:
                stated.setdefault(ev.article_id, []).append((ev.start, ev.end, ev.value or "", fact.id))
    groups: dict[str, list[list[_Candidate]]] = {}
    ordered = sorted(articles, key=lambda a: a.published or dt.date.max)
    for article in ordered:
        for cand in _candidates(article, (docs or {}).get(article.id)):
            cand.fact = _fact_of(cand, stated)
            clusters = groups.setdefault(cand.resolved.label, [])
            home = next((c for c in clusters if any(_one_event(cand, o) for o in c)), None)
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
