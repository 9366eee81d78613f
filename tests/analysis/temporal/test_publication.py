"""Publication dates of undated reports, inferred from the dated events their story tells."""

from __future__ import annotations

import datetime as dt

import pytest

from storydesk.analysis.context import StoryContext
from storydesk.analysis.story import analyse_story
from storydesk.analysis.temporal.expressions import period_end, resolve_date
from storydesk.analysis.temporal.publication import infer_publication_dates as _infer
from storydesk.analysis.timeline import build_timeline
from storydesk.config import TemporalConfig
from storydesk.model import Article

DAY_PRECISION_DAYS = TemporalConfig().estimate_day_window


def infer_publication_dates(articles, slot_dates=()):
    return _infer(StoryContext(articles), slot_dates)

DATED = dt.date(2022, 3, 7)
OPENING = dt.date(2022, 3, 15)
ON_TUESDAY = "The harbour bridge is set to open to traffic on Tuesday, council officials confirmed."


def _dated() -> Article:
    return Article(
        "dated",
        "The new harbour bridge will open to traffic on March 15, the city council said. "
        "Engineers finished the load tests last month.",
        outlet="Harbour Times",
        published=DATED,
    )


def _undated(article_id: str, text: str) -> Article:
    return Article(article_id, text, outlet=f"Outlet {article_id}")


def _by_id(articles: list[Article]) -> dict[str, Article]:
    return {a.id: a for a in articles}


def test_weekday_of_a_dated_event_dates_the_report_to_the_week_before():
    assert OPENING.weekday() == 1  # a Tuesday, so "on Tuesday" can only mean it from the 6 days before
    undated = _undated("u", ON_TUESDAY)
    out = _by_id(infer_publication_dates([_dated(), undated]))
    estimate = out["u"].published
    assert out["u"].published_estimated
    assert OPENING - dt.timedelta(days=DAY_PRECISION_DAYS - 1) <= estimate <= OPENING
    assert resolve_date("on Tuesday", estimate, "future").start == OPENING
    assert out["dated"] == _dated()  # dated reports are left alone
    tuesday = [e for e in build_timeline(StoryContext(list(out.values()))) if "u" in e.sources]
    assert [e.start for e in tuesday] == [OPENING]
    assert tuesday[0].sources == ["dated", "u"]


def test_a_newly_dated_report_dates_another():
    closing = OPENING + dt.timedelta(days=1)
    assert closing.weekday() == 2
    bridge = _undated(
        "bridge",
        ON_TUESDAY + " The ferry service across the harbour will end on March 16, the operator said.",
    )
    ferry = _undated("ferry", "The ferry service across the harbour will end on Wednesday, staff said.")
    out = _by_id(infer_publication_dates([ferry, bridge, _dated()]))
    assert out["bridge"].published_estimated and out["ferry"].published_estimated
    assert resolve_date("on Wednesday", out["ferry"].published, "future").start == closing
    assert out["ferry"].published <= closing


def test_month_level_evidence_dates_the_month_not_the_day():
    undated = _undated("m", "The harbour bridge will open to traffic next month, the city council said.")
    out = _by_id(infer_publication_dates([_dated(), undated]))
    assert out["m"].published_estimated and out["m"].published_precision == "month"
    assert out["m"].published == dt.date(2022, 2, 1)  # the month before the opening
    assert resolve_date("next month", out["m"].published, "future", "month").start == OPENING.replace(day=1)
    assert resolve_date("on Tuesday", out["m"].published, "future", "month").start is None


def test_a_fact_stated_in_other_words_constrains_the_date():
    from storydesk.analysis.entities import extract_entities
    from storydesk.analysis.facts import read_claims

    dated = Article("d", "Mission control said the rocket Aurora will launch on 14 May 2023 from the coast.",
                    published=dt.date(2023, 3, 2))
    undated = _undated("u", "The crew of the rocket Aurora is set to lift off next month, officials said.")
    articles = [dated, undated]
    ctx = StoryContext(articles)
    stated = read_claims(ctx, extract_entities(ctx)).slot_dates()
    assert {(s.article_id, s.slot) for s in stated} >= {("u", "launch date"), ("d", "launch date")}
    assert _infer(ctx)[1].published is None  # no shared words
    out = _infer(ctx, stated)[1]
    assert (out.published, out.published_precision) == (dt.date(2023, 4, 1), "month")


def test_conflicting_constraints_leave_the_report_undated():
    undated = _undated(
        "c",
        ON_TUESDAY + " In 2024, the council approved the budget for its repainting.",
    )
    out = _by_id(infer_publication_dates([_dated(), undated]))
    assert out["c"].published is None


def test_without_constraints_nothing_changes():
    undated = _undated("n", "A choir sang on Sunday in the old market hall, which was packed with visitors.")
    articles = [_dated(), undated]
    assert infer_publication_dates(articles) == articles
    assert infer_publication_dates([undated]) == [undated]


def test_the_pipeline_keeps_the_estimates_in_the_story():
    undated = _undated("u", ON_TUESDAY)
    story = analyse_story([_dated(), undated])
    estimated = [a for a in story.articles if a.published_estimated]
    assert [a.id for a in estimated] == ["u"]
    assert any(e.start == OPENING and "u" in e.sources for e in story.timeline)


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    from storydesk.clean import clean_article
    from storydesk.ingest import read_inputs

    raw, _ = read_inputs([str(seeds_dir)])
    ctx = StoryContext([clean_article(a) for a in raw])
    return ctx, _infer(ctx)


def test_seeds_place_the_relative_launch_day_on_the_real_day(seeds):
    ctx, after = seeds
    says_tuesday = [
        a for a in ctx.articles if a.published is None
        and any(m.date.span.text == "Tuesday" for m in ctx.events(a.id))
    ]
    assert says_tuesday
    dated = _by_id(after)
    entries = build_timeline(ctx.with_articles(after))
    for article in says_tuesday:
        assert dated[article.id].published_estimated
        mine = [(e, v) for e in entries for v in e.evidence if v.article_id == article.id]
        tuesday = [e for e, v in mine if v.value == "Tuesday"]
        assert [e.date for e in tuesday] == ["2021-10-05"]


def test_seeds_estimates_agree_with_what_each_report_says(seeds):
    ctx, after = seeds
    for old, new in zip(ctx.articles, after, strict=True):
        assert new.id == old.id and new.text == old.text
        if old.published is not None:
            assert new == old
            continue
        if not new.published_estimated:
            assert new.published is None
            continue
        for mention in ctx.events(new.id):
            own = mention.date.resolve(None)
            if own.start is None:
                continue
            if mention.date.tense == "past":
                assert own.start <= new.published, mention
            if mention.date.tense == "future":
                assert period_end(own) >= new.published, mention
