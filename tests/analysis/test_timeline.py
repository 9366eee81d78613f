"""The timeline: dated events on real dates, the same event from two reports merged with both sources."""

from __future__ import annotations

import datetime as dt
import re

from storydesk.analysis.context import StoryContext
from storydesk.analysis.timeline import build_timeline as _build
from storydesk.model import Article
from storydesk.text import sentences


def build_timeline(articles):
    return _build(StoryContext(articles))

MONDAY = dt.date(2021, 10, 4)


def _articles() -> list[Article]:
    first = Article(
        "a1",
        "Published 4 October 2021\n\nThe studio said the crew will blast off from the steppe on Tuesday. "
        "The director spent 12 days in training. In 2019, the agency first proposed a film in orbit.",
        outlet="Daily One",
        published=MONDAY,
    )
    second = Article(
        "b2",
        "An actress and a director are set to blast off from the steppe on Tuesday; the studio is thrilled. "
        "Critics met on Friday to discuss an unrelated festival programme.",
        outlet="Weekly Two",
        published=MONDAY,
    )
    undated = Article("c3", "The crew will blast off from the steppe on Tuesday, the studio said.")
    return [first, second, undated]


def test_same_event_from_two_reports_merges_with_both_sources():
    entries = build_timeline(_articles())
    tuesday = [e for e in entries if e.date == "2021-10-05"]
    assert len(tuesday) == 1
    assert tuesday[0].sources == ["a1", "b2"]
    assert [ev.value for ev in tuesday[0].evidence] == ["Tuesday", "Tuesday"]
    assert tuesday[0].start == dt.date(2021, 10, 5) and tuesday[0].precision == "day"


def test_entries_are_verbatim_sorted_and_skip_metadata_and_unresolved():
    articles = {a.id: a for a in _articles()}
    entries = build_timeline(list(articles.values()))
    assert [e.start for e in entries] == sorted(e.start for e in entries)
    assert {e.date for e in entries} == {"2019", "2021-10-01", "2021-10-05"}
    for entry in entries:
        for ev in entry.evidence:
            assert articles[ev.article_id].text[ev.start : ev.end] == ev.quote
            assert ev.value in ev.quote
    # the clause after the semicolon is not part of the Tuesday event's text
    second = next(ev for e in entries for ev in e.evidence if ev.article_id == "b2" and ev.value == "Tuesday")
    assert "thrilled" not in second.quote
    assert all(ev.article_id != "c3" for e in entries for ev in e.evidence)


def test_the_context_parses_each_article_once_for_every_stage(monkeypatch):
    """Tense comes from the one spaCy parse the context makes; the timeline asks for nothing more."""
    from storydesk.analysis import context

    calls = []
    real = context.parse
    monkeypatch.setattr(context, "parse", lambda texts, **kw: calls.append(len(texts)) or real(texts, **kw))
    ctx = StoryContext(_articles())
    entries = _build(ctx)
    assert entries and calls == [len(ctx.articles)]


def test_seed_report_launch_day(seeds_dir):
    """Reports with a date line place "on Tuesday" on the Tuesday after it; without one it stays out."""
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        stamp = re.search(r"\bdate (\d{4}-\d{2}-\d{2})\b", text[:200])
        published = dt.date.fromisoformat(stamp.group(1)) if stamp else None
        entries = build_timeline([Article(path.stem, text, published=published)])
        tuesday = [ev for e in entries for ev in e.evidence if ev.value == "Tuesday"]
        has_tuesday = any("on Tuesday" in s.text for s in sentences(text))
        if published is None:
            assert tuesday == []
            assert all(e.precision in ("day", "month", "season", "year") and e.start for e in entries)
        elif has_tuesday:
            days = {e.start for e in entries if any(ev.value == "Tuesday" for ev in e.evidence)}
            assert days and all(d.weekday() == 1 and 0 < (d - published).days <= 7 for d in days)
    dated = [p for p in seeds_dir.glob("*.txt") if re.search(r"\bdate \d{4}-", p.read_text()[:200])]
    if dated:
        text = dated[0].read_text(encoding="utf-8")
        published = dt.date.fromisoformat(re.search(r"\bdate (\d{4}-\d{2}-\d{2})", text).group(1))
        entries = build_timeline([Article("seed", text, published=published)])
        assert entries and all(e.start.year >= 1900 for e in entries)


def test_seed_launch_is_one_entry_with_every_report_and_clean_clauses(seeds_result):
    story = seeds_result.stories[0]
    days = [e for e in story.timeline if e.date == "2021-10-05"]
    assert len(days) == 1 and len(days[0].sources) >= 4
    for entry in story.timeline:
        assert not entry.text.rstrip().endswith((",", " adding", " saying")), entry.text
        assert not entry.text.rstrip().endswith(" his Mission"), entry.text


def test_clauses_keep_titles_with_colons_and_drop_a_dangling_speech_verb():
    text = ("In 2019 the studio said the sequel Moon: Return would open in May 2020, adding: \"We are "
            "thrilled with the cast.\"")
    entries = build_timeline([Article("a", text, published=dt.date(2019, 3, 1))])
    [may] = [e for e in entries if e.date == "2020-05"]
    assert "Moon: Return" in may.text and not may.text.endswith("adding")


def test_a_dateline_date_is_not_an_event() -> None:
    text = (
        "PORT EVRA, Mar 3 (Harbour Wire) - The council voted on Monday to close the harbour bridge.\n\n"
        "Engineers will begin work on Friday, the council said."
    )
    article = Article(id="a1", text=text, published=dt.date(2026, 3, 3))
    entries = build_timeline([article])
    assert [e.date for e in entries] == ["2026-03-02", "2026-03-06"]
    assert all("Harbour Wire" not in e.text for e in entries)


def test_a_year_describing_a_thing_is_not_the_event_date() -> None:
    text = "The 1958 bridge was shut to traffic on Monday. The bridge opened in 1958 after years of work."
    entries = build_timeline([Article(id="a1", text=text, published=dt.date(2026, 2, 3))])
    got = [(e.date, e.text[:14]) for e in entries]
    assert got == [("1958", "The bridge ope"), ("2026-02-02", "The 1958 bridg")]
