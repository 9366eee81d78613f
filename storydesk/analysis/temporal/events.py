"""Dated clauses: each date expression of a report with the clause it dates, and when two tell one event.

The timeline places these clauses on the calendar; publication dating reads them to date undated reports
(an undated "will blast off on Tuesday" about a launch other reports date). Both use `same_event`, so an
estimated date and the timeline it produces always agree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from storydesk.analysis.temporal.expressions import DateMention
from storydesk.config import TimelineConfig
from storydesk.model import Article, Span
from storydesk.text import dateline_end, stems

_CLAUSE_BREAK = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+|:\s+")
# A colon between two capitalised words is part of a title ("Mission: Impossible"), not a clause break.
_TITLE_COLON = re.compile(r"\b[A-Z][\w'’-]*:\s+[A-Z]")
# A speech participle left dangling before a cut quote ("..., adding", "with the agency saying").
_DANGLING = re.compile(
    r"(?:,?\s+(?:with\s+[^,]{1,40}?\s+)?(?:adding|saying|noting|stating|writing|telling\s+\w+))\s*$", re.I
)
_METADATA = re.compile(r"(?i)\b(?:published|updated|posted|last\s+modified|date|copyright|©)\b")



def _clause(sentence: Span, date: Span, min_words: int) -> Span:
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
    if len(text.split()) < min_words:
        return sentence
    return Span(sentence.start + begin, sentence.start + end, text)


def _word_start(text: str, offset: int) -> int:
    """Where the word ending at `offset` begins."""
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset


def _is_metadata(sentence: Span, date: Span, config: TimelineConfig) -> bool:
    """A dateline or publication stamp: little besides the date itself, or a publication keyword."""
    if date.end - sentence.start <= dateline_end(sentence.text):
        return True
    rest = sentence.text[: date.start - sentence.start] + sentence.text[date.end - sentence.start :]
    content = stems(rest)
    return len(content) < config.stamp_max_stems or (
        len(content) < config.stamp_keyword_max_stems and bool(_METADATA.search(rest))
    )


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


def event_mentions(
    article: Article, mentions: list[DateMention], spans: list[Span], config: TimelineConfig
) -> list[EventMention]:
    """Every date expression of `article` (`mentions`, found in its text split into `spans`) with the clause
    it dates; datelines and publication stamps are left out."""
    if not mentions:
        return []
    starts = [s.start for s in spans]
    out: list[EventMention] = []
    for mention in mentions:
        span = mention.span
        i = bisect.bisect_right(starts, span.start) - 1
        if (
            i < 0
            or span.end > spans[i].end
            or _is_metadata(spans[i], span, config)
            or _is_attributive_year(article.text, span)
        ):
            continue
        clause = _clause(spans[i], span, config.min_clause_words)
        out.append(EventMention(mention, clause, frozenset(set(stems(clause.text)) - set(stems(span.text)))))
    return out


def same_event(a: frozenset[str], b: frozenset[str], config: TimelineConfig) -> bool:
    """Whether two dated clauses tell the same event: enough of their content stems are shared."""
    shared = len(a & b)
    if not shared:
        return False
    overlap = shared / min(len(a), len(b))
    return shared / len(a | b) >= config.merge_jaccard or (
        shared >= config.merge_min_shared and overlap >= config.merge_overlap
    )
