"""Publication dates for undated reports, inferred from what they say about the story's dated events.

A careful reader dates an undated report from its content: "will blast off on Tuesday", about a launch
the story's other reports put on 5 October 2021, was written in the six days before it. Each undated
report gets the set of days on which it could have been published, narrowed by two kinds of constraint:

* an expression carrying its own year bounds the day through its tense: what is told as past had
  started by publication, what is told as future had not yet ended;
* a relative expression ("on Tuesday", "next month", "Oct. 5") whose clause tells the same event as a
  dated clause (`events.same_event`, the rule that merges timeline entries) must resolve onto that
  event's date; the publication days that allow it are found by trying them with the same resolver the
  timeline uses, so an estimate and its timeline always agree.

Dated events come from the dated reports, from year-bearing expressions anywhere in the story, and from
undated reports whose possible days already pin an expression down, so a newly narrowed report can date
another (rounds until nothing changes). A report gets a date only when its possible days fit in a week;
the latest is taken (a report cannot precede what it tells as past). When they fit in one calendar month
the report gets that month (`published_precision="month"`), against which month-level expressions still
resolve. Contradicting constraints or a wider range leave it undated: an estimate is never a guess.

The fact sheet adds a third constraint when given (`slot_dates`): a report that states the subject and
slot of a fact ("the film's launch date") with a relative expression must land on a date another report
gives that fact, even when the clauses share no words ("will lift off next month" and "the start of the
expedition is scheduled for 5 October 2021").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storydesk.analysis.temporal.events import EventMention, same_event
from storydesk.analysis.temporal.expressions import DateMention, ResolvedDate, period_end
from storydesk.config import Config
from storydesk.model import Article

if TYPE_CHECKING:
    from storydesk.analysis.context import StoryContext


@dataclass(frozen=True)
class SlotDate:
    """A report's statement of when a fact's event happens, as written ("lift off next month"), from the
    fact sheet's claims: the expression may need the report's publication date to resolve, which is what
    dating looks for."""

    article_id: str
    subject: str
    slot: str
    mention: DateMention


@dataclass(frozen=True)
class _Event:
    """A dated clause of the story; `fixed` when its date does not depend on when its report appeared."""

    start: int
    end: int
    stems: frozenset[str]
    article_id: str
    fixed: bool


class _Resolver:
    """Resolves mentions against candidate publication days, remembering what it has tried.

    Results are kept per expression (handler, words, tense), not per mention: undated reports repeat
    "on Tuesday" and "next month", and each is tried on hundreds of days.
    """

    def __init__(self, universe: range, reach_days: int) -> None:
        self.universe = universe
        self.reach_days = reach_days
        self._seen: dict[tuple, ResolvedDate] = {}
        self._periods: dict[tuple, dict[int, tuple[int, int] | None]] = {}  # by expression, by day
        self._landing: dict[tuple, frozenset[int]] = {}

    def __call__(self, mention: DateMention, day: int) -> ResolvedDate:
        key = (*_expression(mention), day)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = mention.resolve(dt.date.fromordinal(day))
        return found

    def pinned(self, mention: DateMention, days: Sequence[int] | None) -> ResolvedDate | None:
        """The date `mention` resolves to on every one of `days`, or None when they disagree."""
        first = self(mention, days[0]) if days else None
        if first is None or first.start is None:
            return None
        return first if all(self(mention, d) == first for d in days[1:]) else None

    def landing_days(self, mention: DateMention, event: _Event) -> frozenset[int]:
        """Publication days on which `mention` resolves to a day, month or season overlapping `event`.

        An event dated less precisely than the expression cannot place it (and is often another event of
        the same sentence), so it yields no days.
        """
        expression = _expression(mention)
        key = (*expression, event.start, event.end)
        if key not in self._landing:
            periods = self._periods.setdefault(expression, {})
            first = max(self.universe.start, event.start - self.reach_days)
            last = min(self.universe.stop - 1, event.end + self.reach_days)
            width = event.end - event.start
            days = set()
            for day in range(first, last + 1):
                if day not in periods:
                    periods[day] = _period(mention.resolve(dt.date.fromordinal(day)))
                lo, hi = periods[day] or (0, -1)  # no period: shorter than any event
                if hi - lo >= width and lo <= event.end and event.start <= hi:
                    days.add(day)
            self._landing[key] = frozenset(days)
        return self._landing[key]


def _period(found: ResolvedDate) -> tuple[int, int] | None:
    """First and last day (ordinals) of a resolved date if it names a day, month or season."""
    if found.start is None or found.precision == "year":
        return None
    return found.start.toordinal(), (period_end(found) or found.start).toordinal()


def _expression(mention: DateMention) -> tuple:
    """What a mention's resolution depends on: the same words under the same rule and tense agree."""
    return mention.handler, mention.span.text, mention.tense


def infer_publication_dates(ctx: StoryContext, slot_dates: Sequence[SlotDate] = ()) -> list[Article]:
    """The articles, with `published` estimated (`published_estimated=True`) where the story dates them.

    Tense comes from the context's parse; `slot_dates` (`storydesk.analysis.facts.slot_dates`) aligns
    statements of one fact across reports. Articles that already have a date, or whose possible days do
    not fit in a calendar month, are returned unchanged.
    """
    articles, config = ctx.articles, ctx.config
    undated = [a for a in articles if a.published is None]
    if not undated:
        return list(articles)
    horizon = config.temporal.horizon_days
    mentions = {a.id: ctx.events(a.id) for a in articles}
    published = {a.id: a for a in articles if a.published is not None}
    known = [_event(m, r, a.id, fixed=True) for a in articles for m in mentions[a.id]
             if (r := m.date.resolve(a.published, a.published_precision)).start is not None]
    if not known:
        return list(articles)
    universe = range(min(e.start for e in known) - horizon, max(e.end for e in known) + horizon)
    resolve = _Resolver(universe, config.temporal.reach_days)
    windows: dict[str, list[int]] = {}
    for _ in range(len(undated) + 1):
        events = known + [
            _event(m, pinned, a.id, fixed=False)
            for a in undated
            for m in mentions[a.id]
            if m.date.resolve(None).start is None and (pinned := resolve.pinned(m.date, windows.get(a.id)))
        ]
        slots = _slot_events(slot_dates, published, windows, resolve)
        new = {a.id: _possible_days(mentions[a.id], events, a.id, resolve, config,
                                    _slot_days(a.id, slot_dates, slots, resolve))
               for a in undated}
        if new == windows:
            break
        windows = new
    window = config.temporal.estimate_day_window
    return [_dated(a, windows[a.id], window) if a.id in windows else a for a in articles]


def _slot_events(
    slot_dates: Sequence[SlotDate], published: Mapping[str, Article], windows: Mapping[str, list[int]],
    resolve: _Resolver,
) -> dict[tuple[str, str], list[_Event]]:
    """The dates each fact (subject, slot) is given where they resolve: in dated reports, by their own
    year, or on every possible day of an undated report."""
    out: dict[tuple[str, str], list[_Event]] = {}
    for sd in slot_dates:
        article = published.get(sd.article_id)
        if article is not None:
            found = sd.mention.resolve(article.published, article.published_precision)
        else:
            own = sd.mention.resolve(None)
            found = own if own.start is not None else resolve.pinned(sd.mention, windows.get(sd.article_id))
        if found is not None and found.start is not None:
            end = period_end(found) or found.start
            event = _Event(found.start.toordinal(), end.toordinal(), frozenset(), sd.article_id, True)
            out.setdefault((sd.subject, sd.slot), []).append(event)
    return out


def _slot_days(
    article_id: str, slot_dates: Sequence[SlotDate], slots: Mapping[tuple[str, str], list[_Event]],
    resolve: _Resolver,
) -> set[int] | None:
    """Publication days on which every relative statement of a fact in this report lands on a date some
    other report gives the same fact; None when no such statement constrains it."""
    allowed: set[int] | None = None
    for sd in slot_dates:
        if sd.article_id != article_id or sd.mention.resolve(None).start is not None:
            continue
        others = [e for e in slots.get((sd.subject, sd.slot), []) if e.article_id != article_id]
        fits = set().union(*(resolve.landing_days(sd.mention, e) for e in others))
        if fits:
            allowed = fits if allowed is None else allowed & fits
    return allowed


def _event(mention: EventMention, resolved: ResolvedDate, article_id: str, *, fixed: bool) -> _Event:
    end = period_end(resolved) or resolved.start
    return _Event(resolved.start.toordinal(), end.toordinal(), mention.stems, article_id, fixed)


def _possible_days(
    mentions: list[EventMention], events: list[_Event], article_id: str, resolve: _Resolver, config: Config,
    allowed: set[int] | None = None,
) -> list[int]:
    """Days on which a report saying `mentions` could have appeared, given the story's dated events and
    the days `allowed` by other evidence (None: no such evidence)."""
    low, high = resolve.universe.start, resolve.universe.stop - 1
    for mention in mentions:
        own = mention.date.resolve(None)
        if own.start is not None:
            if mention.date.tense == "past":
                low = max(low, own.start.toordinal())
            elif mention.date.tense == "future":
                high = min(high, (period_end(own) or own.start).toordinal())
            continue
        fits = _fitting_days(mention, events, article_id, resolve, config)
        if fits:
            allowed = fits if allowed is None else allowed & fits
    candidates = range(low, high + 1) if allowed is None else (d for d in allowed if low <= d <= high)
    return sorted(candidates)


def _fitting_days(
    mention: EventMention, events: list[_Event], article_id: str, resolve: _Resolver, config: Config
) -> set[int]:
    """Publication days on which `mention` lands on the date of the dated event its clause tells best.

    Among the events whose date it can land on, the most similar clause names the event; others that
    agree with its date but are more precise (5 October within October) place it more exactly.
    """
    scored = []
    for event in events:
        if event.article_id == article_id and not event.fixed:
            continue
        score = _similarity(mention, event, config)
        if score and (days := resolve.landing_days(mention.date, event)):
            scored.append((score, event, days))
    if not scored:
        return set()
    top = max(score for score, _, _ in scored)
    best = [event for score, event, _ in scored if score == top]
    agreeing = [(e, d) for _, e, d in scored if any(e.start <= b.end and b.start <= e.end for b in best)]
    narrowest = min(e.end - e.start for e, _ in agreeing)
    return set().union(*(days for e, days in agreeing if e.end - e.start == narrowest))


def _similarity(mention: EventMention, event: _Event, config: Config) -> float:
    """Share of the shorter clause's content stems found in the other when the clauses can tell one event.

    The timeline's merge rule suffices; so do enough shared stems in long clauses, and fewer when the
    expression names a calendar day, as the coincidence of dates is itself evidence.
    """
    shared = len(mention.stems & event.stems)
    if not shared:
        return 0.0
    overlap = shared / min(len(mention.stems), len(event.stems))
    rules = config.temporal
    telling = (
        same_event(mention.stems, event.stems, config.timeline)
        or (shared >= rules.event_min_shared and overlap >= rules.event_min_overlap)
        or (mention.date.names_day and shared >= rules.event_min_shared_on_day)
    )
    return overlap if telling else 0.0


def _dated(article: Article, days: list[int], day_window: int) -> Article:
    """The article with its latest possible day when the possible days fit in a week, its month when they
    fit in one calendar month, else as it was."""
    if not days:
        return article
    first, last = dt.date.fromordinal(days[0]), dt.date.fromordinal(days[-1])
    if days[-1] - days[0] < day_window:
        return replace(article, published=last, published_estimated=True)
    if (first.year, first.month) == (last.year, last.month):
        return replace(article, published=first.replace(day=1), published_estimated=True,
                       published_precision="month")
    return article
