"""Date expressions in news text, placed on the calendar against a report's date and the verb's tense.

News writes dates relative to the day it is published and leans on tense for the direction: in a
Friday report "said on Thursday" is the day before, "will launch on Tuesday" the Tuesday after. General
parsers are not tense-aware, so this module has its own small grammar (regular expressions) and does the
arithmetic itself, keeping the precision the text gives (day, month, season, year). Without a publication
date only expressions that carry their own year resolve; nothing is guessed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from storydesk.analysis.temporal.tense import cheap_tense, parse_tense
from storydesk.config import TemporalConfig
from storydesk.model import Span
from storydesk.text import MONTH, NUMBER_WORDS, sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_NUMBERS = {"a": 1, "an": 1, **{w: n for w, n in NUMBER_WORDS.items() if n <= 12}}  # "two days ago"

# Month names are matched capitalised only ("may", "march" are also verbs).
_MONTH = rf"(?P<mon>{MONTH})(?![\w-])"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_OPT_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_NOT_NUMBER_AFTER = r"(?![\w%]|[.,:]\d)"
_REL = r"(?P<rel>this|last|next)"
_MONTH_CONTEXT = (
    r"\b(?i:(?:(?:this|last|next|in|since|by|until|till|from|during|through|throughout|before|after|around|of"
    r"|for|early|late|mid|end|beginning|start)[\s-]+)+)"
)
_SENTENCE_START = r"""(?:^|(?<=\n)|(?<=[.!?:]\s)|(?<=[.!?:]["”’]\s)|(?<=["“‘]))"""
# Count nouns after a four-digit number make it a quantity, not a year ("2000 troops").
_COUNT_NOUNS = (
    r"people|persons|troops|soldiers|workers|children|deaths|dead|cases|homes|houses|jobs|km|miles|metres"
    r"|meters|feet|tons|tonnes|barrels|units|votes|seats|points|hours|hrs|local|gmt|bst|utc|[ecmp][sd]t"
)


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression as written and where it falls on the calendar (start of the period)."""

    expression: str
    start: dt.date | None
    precision: str
    label: str


def _label(start: dt.date, precision: str, season: str = "") -> str:
    if precision == "day":
        return start.isoformat()
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "season":
        return f"{start.year:04d}-{season}"
    return f"{start.year:04d}"


def _resolved(expression: str, start: dt.date | None, precision: str, season: str = "") -> ResolvedDate:
    if start is None:
        return ResolvedDate(expression, None, "unresolved", "")
    return ResolvedDate(expression, start, precision, _label(start, precision, season))


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _pick(candidates: list[dt.date], published: dt.date, tense: str) -> dt.date | None:
    """The candidate nearest to `published` that the tense allows (future on/after, past on/before)."""
    if tense == "future":
        allowed = [c for c in candidates if c >= published]
    elif tense == "past":
        allowed = [c for c in candidates if c <= published]
    else:
        allowed = candidates
    return min(allowed, key=lambda c: abs((c - published).days), default=None)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class _Match:
    """A regex match whose optional groups read as None when its pattern lacks them."""

    def __init__(self, m: re.Match[str]) -> None:
        self._text = m.group()
        self._groups = m.groupdict()
        self._groups["rel"] = self._groups.get("rel") or self._groups.get("rel2")

    def group(self) -> str:
        return self._text

    def __getitem__(self, name: str) -> str | None:
        return self._groups.get(name)


# --- handlers: (match, published, tense) -> ResolvedDate ---------------------------------------------

Handler = Callable[["_Match", "dt.date | None", str], ResolvedDate]


def _iso(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    return _resolved(m.group(), _safe_date(int(m["year"]), int(m["mon"]), int(m["day"])), "day")


def _day_month_year(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    return _resolved(m.group(), _safe_date(int(m["year"]), _month_number(m["mon"]), int(m["day"])), "day")


def _day_month_relyear(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "day")
    year = published.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return _resolved(m.group(), _safe_date(year, _month_number(m["mon"]), int(m["day"])), "day")


def _day_month(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "day")
    month, day = _month_number(m["mon"]), int(m["day"])
    candidates = [d for y in (-1, 0, 1) if (d := _safe_date(published.year + y, month, day))]
    return _resolved(m.group(), _pick(candidates, published, tense), "day")


def _month_year(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    return _resolved(m.group(), dt.date(int(m["year"]), _month_number(m["mon"]), 1), "month")


def _month(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "month")
    month = _month_number(m["mon"])
    this_month = published.replace(day=1)
    candidates = [dt.date(published.year + y, month, 1) for y in (-1, 0, 1)]
    words = m.group().lower().split()
    if "last" in words:
        start = max(c for c in candidates if c < this_month)
    elif "next" in words:
        start = min(c for c in candidates if c > this_month)
    elif "this" in words:
        start = dt.date(published.year, month, 1)
    else:
        start = _pick(candidates, this_month, tense)
    return _resolved(m.group(), start, "month")


def _season_start(year: int, name: str) -> dt.date:
    return dt.date(year, _SEASONS[name], 1)


def _season(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    name = m["season"].lower()
    label = "autumn" if name == "fall" else name
    if m["year"]:
        return _resolved(m.group(), _season_start(int(m["year"]), name), "season", label)
    if published is None:
        return _resolved(m.group(), None, "season")
    starts = [_season_start(published.year + y, name) for y in (-2, -1, 0, 1)]
    current = next((s for s in starts if s <= published < _add_months(s, 3)), None)
    rel = (m["rel"] or "").lower()
    if rel == "last":
        start = max(s for s in starts if _add_months(s, 3) <= published)
    elif rel == "next":
        start = min(s for s in starts if s > published)
    elif rel == "this":
        start = current or _season_start(published.year, name)
    elif current:
        start = current
    else:
        start = _pick(starts, published, tense)
    return _resolved(m.group(), start, "season", label)


def _relative_period(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "year")
    step = {"this": 0, "last": -1, "next": 1, "earlier": 0, "later": 0}[m["rel"].lower()]
    if m["unit"].lower() == "month":
        return _resolved(m.group(), _add_months(published.replace(day=1), step), "month")
    return _resolved(m.group(), dt.date(published.year + step, 1, 1), "year")


def _ago(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    unit = m["unit"].lower().rstrip("s")
    precision = {"day": "day", "month": "month", "year": "year"}[unit]
    if published is None:
        return _resolved(m.group(), None, precision)
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    if unit == "day":
        return _resolved(m.group(), published - dt.timedelta(days=n), "day")
    if unit == "month":
        return _resolved(m.group(), _add_months(published.replace(day=1), -n), "month")
    return _resolved(m.group(), dt.date(published.year - n, 1, 1), "year")


def _deictic(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "day")
    word = m.group().lower()
    shift = -1 if word.startswith("yesterday") else 1 if word.startswith("tomorrow") else 0
    return _resolved(m.group(), published + dt.timedelta(days=shift), "day")


def _weekday(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    if published is None:
        return _resolved(m.group(), None, "day")
    back = (published.weekday() - _WEEKDAYS.index(m["wd"].lower())) % 7
    ahead = (7 - back) % 7
    rel = (m["rel"] or "").lower()
    if rel == "last":
        delta = -(back or 7)
    elif rel == "next":
        delta = ahead or 7
    elif tense == "past":
        delta = -back
    elif tense == "future":
        delta = ahead
    else:
        delta = -back if back <= ahead else ahead
    return _resolved(m.group(), published + dt.timedelta(days=delta), "day")


def _year(m: _Match, published: dt.date | None, tense: str) -> ResolvedDate:
    return _resolved(m.group(), dt.date(int(m["year"]), 1, 1), "year")


# Longest-first priority among overlapping matches decides; order breaks ties.
_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"), _iso),
    (re.compile(_OPT_WEEKDAY + r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"\b"),
     _day_month_year),
    (re.compile(_OPT_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"), _day_month_year),
    (re.compile(_OPT_WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+of)?,?\s+(?i:" + _REL + r"\s+year)\b"),
     _day_month_relyear),
    (re.compile(_OPT_WEEKDAY + r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH), _day_month),
    (re.compile(_OPT_WEEKDAY + _MONTH + r"\s+" + _DAY + _NOT_NUMBER_AFTER), _day_month),
    (re.compile(_MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b"), _month_year),
    (re.compile(_MONTH_CONTEXT + _MONTH + r"(?!\s+\d)"), _month),
    (re.compile(r"(?i:(?:" + _REL + r"|in\s+the|during\s+the|by\s+the|over\s+the|early|late)\s+)"
                r"(?P<season>(?i:spring|summer|autumn|winter|fall))(?:\s+(?:of\s+)?" + _YEAR + r")?\b"),
     _season),
    (re.compile(r"\b(?P<season>(?i:spring|summer|autumn|winter|fall))(?:\s+of)?\s+" + _YEAR + r"\b"),
     _season),
    (re.compile(r"(?i)\b(?:(?P<rel>earlier|later)\s+this|(?P<rel2>this|last|next))\s+(?P<unit>year|month)\b"),
     _relative_period),
    (re.compile(r"(?i)\b(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                r"\s+(?P<unit>days?|months?|years?)\s+ago\b"), _ago),
    # Capitalised only where a sentence starts: mid-sentence they are names ("Edge of Tomorrow").
    (re.compile(r"\b(?:today|tonight|yesterday|tomorrow)\b|" + _SENTENCE_START
                + r"(?:Today|Tonight|Yesterday|Tomorrow)\b"), _deictic),
    (re.compile(r"(?:(?i:" + _REL + r")\s+)?" + _WEEKDAY), _weekday),
    (re.compile(r"(?<![$£€#\d.,/-])(?<!\bat\s)\b(?i:(?:mid|early|late)[\s-]+)?" + _YEAR
                + r"(?![\w%-]|[.,]\d|\s+(?i:" + _COUNT_NOUNS + r")\b)"), _year),
]
# --- public ------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _matches(text: str) -> tuple[tuple[re.Match[str], Handler], ...]:
    """Non-overlapping matches of the grammar, longest first where they compete.

    Cached: dating, facts and the timeline each read every article's dates.
    """
    found = [(m, h) for pattern, h in _PATTERNS for m in pattern.finditer(text)]
    order = {id(h): i for i, (_, h) in enumerate(_PATTERNS)}
    found.sort(key=lambda mh: (mh[0].start() - mh[0].end(), mh[0].start(), order[id(mh[1])]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for m, h in found:
        if all(m.end() <= s or m.start() >= e for s, e in taken):
            taken.append((m.start(), m.end()))
            chosen.append((m, h))
    chosen.sort(key=lambda mh: mh[0].start())
    return tuple(chosen)


def _as_date(published: dt.date | dt.datetime | None) -> dt.date | None:
    return published.date() if isinstance(published, dt.datetime) else published


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text with the tense of its verb; it resolves against any publication day.

    Kept separate from resolution so that a report of unknown date can be tried against candidate days.
    """

    span: Span
    tense: str
    match: _Match = field(repr=False, compare=False)
    handler: Handler = field(repr=False, compare=False)

    def resolve(self, published: dt.date | None, precision: str = "day") -> ResolvedDate:
        """The date this expression names in a report of `published`; with `precision` "month" only
        `published`'s month is known, so the expression resolves only if every day of it gives one answer."""
        return _resolve_in_period(self.handler, self.match, published, self.tense, precision)

    @property
    def names_day(self) -> bool:
        """Whether it names a day of the calendar without its year ("Oct. 5"): a telling coincidence."""
        return self.handler is _day_month


def date_mentions(
    text: str,
    *,
    doc: Doc | None = None,
    spans: list[Span] | None = None,
    tense: bool = True,
    config: TemporalConfig | None = None,
) -> list[DateMention]:
    """Every date expression in `text` with its tense (from `doc`'s parse when given, else the nearest
    auxiliary or past-tense marker in the sentence; `spans` are the text's sentences when already split).
    `tense=False` skips the tense ("present")."""
    config = config or TemporalConfig()
    matches = _matches(text)
    bounds: list[Span] = []
    mentions = []
    for m, handler in matches:
        found = None
        if tense:
            if doc is not None:
                found = parse_tense(doc, m.start(), m.end(), climb=config.tense_climb,
                                    depth=config.tense_governor_depth)
            if found is None:
                bounds = bounds or spans or sentences(text) or [Span(0, len(text), text)]
                i = max(bisect.bisect_right([s.start for s in bounds], m.start()) - 1, 0)
                sent = bounds[i]
                found = cheap_tense(sent.text, m.start() - sent.start, m.end() - sent.start)
        span = Span(m.start(), m.end(), m.group())
        mentions.append(DateMention(span, found or "present", _Match(m), handler))
    return mentions


def _resolve_in_period(
    handler: Handler, match: _Match, published: dt.date | None, tense: str, precision: str
) -> ResolvedDate:
    """Resolve against a publication day, or against every day of a publication month ("month"): an
    estimate known to the month places "next month" and "Oct. 5" but not "on Tuesday" or "yesterday"."""
    try:
        if published is None or precision == "day":
            return handler(match, published, tense)
        first = published.replace(day=1)
        days = (first + dt.timedelta(days=i) for i in range((_add_months(first, 1) - first).days))
        found = {handler(match, day, tense) for day in days}
    except (OverflowError, ValueError):  # "next year" in 9999, "on Sunday" in 0001: off the calendar
        return _resolved(match.group(), None, "unresolved")
    return found.pop() if len(found) == 1 else _resolved(match.group(), None, "unresolved")


def find_dates(
    text: str, published: dt.date | None, *, doc: Doc | None = None, precision: str = "day"
) -> list[tuple[Span, ResolvedDate]]:
    """Every date expression in `text`, resolved against `published` and the tense of its verb.

    `doc` (a spaCy Doc of the same text) gives the tense from the parse; without it the nearest
    auxiliary or past-tense marker in the sentence decides. Durations and ages are not matched.
    `precision` "month" says only the month of `published` is known.
    """
    published = _as_date(published)
    mentions = date_mentions(text, doc=doc, tense=published is not None)
    return [(m.span, m.resolve(published, precision)) for m in mentions]


def period_end(resolved: ResolvedDate) -> dt.date | None:
    """The last day of the period a resolved date names (the day itself at day precision)."""
    if resolved.start is None:
        return None
    months = {"month": 1, "season": 3, "year": 12}.get(resolved.precision)
    if months is None:
        return resolved.start
    return _add_months(resolved.start, months) - dt.timedelta(days=1)


def resolve_date(
    expression: str, published: dt.date | None, tense: str = "past", precision: str = "day"
) -> ResolvedDate:
    """Resolve one date expression (e.g. "next month", "on Tuesday", "Oct. 5") for a report date and tense;
    `precision` "month" when only the month of `published` is known."""
    published = _as_date(published)
    matches = _matches(expression)
    if not matches:
        return ResolvedDate(expression, None, "unresolved", "")
    m, handler = max(matches, key=lambda mh: mh[0].end() - mh[0].start())
    found = _resolve_in_period(handler, _Match(m), published, tense, precision)
    return ResolvedDate(expression, found.start, found.precision, found.label)
