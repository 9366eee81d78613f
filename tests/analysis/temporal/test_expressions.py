"""Date expressions resolved against the report's date and the verb's tense (dates computed by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from storydesk.analysis.nlp import load_spacy
from storydesk.analysis.temporal.expressions import find_dates, resolve_date

MONDAY = dt.date(2021, 10, 4)
FRIDAY = dt.date(2021, 10, 8)
MAY_17 = dt.date(2021, 5, 17)

CASES = [
    # (sentence, publication date, expression, label, precision)
    ("The crew will blast off on Tuesday.", MONDAY, "Tuesday", "2021-10-05", "day"),
    ("The crew is set to launch on Tuesday.", FRIDAY, "Tuesday", "2021-10-12", "day"),
    ("The minister said on Thursday that talks had failed.", FRIDAY, "Thursday", "2021-10-07", "day"),
    ("On Wednesday, the agency sent a letter to the studio.", FRIDAY, "Wednesday", "2021-10-06", "day"),
    ("The crew will lift off next month on a long mission.", MAY_17, "next month", "2021-06", "month"),
    ("The firm lost money last year.", MAY_17, "last year", "2020", "year"),
    ("The plan was announced earlier this year.", MONDAY, "earlier this year", "2021", "year"),
    ("She was cast after a search last spring.", MONDAY, "last spring", "2021-spring", "season"),
    ("She was cast after a search last spring.", MAY_17, "last spring", "2020-spring", "season"),
    ("Russia will shoot a film this October.", MAY_17, "this October", "2021-10", "month"),
    ("The mission is scheduled to begin Oct. 5, officials say.", MAY_17, "Oct. 5", "2021-10-05", "day"),
    ("They are set to fly on October 1 this year.", MAY_17, "October 1 this year", "2021-10-01", "day"),
    ("The start is scheduled for 5 October 2021.", None, "5 October 2021", "2021-10-05", "day"),
    ("The bridge opened on June 1.", dt.date(2021, 3, 1), "June 1", "2020-06-01", "day"),
    ("The bridge will open on June 1.", dt.date(2021, 3, 1), "June 1", "2021-06-01", "day"),
    ("In 2020, the project was announced.", MAY_17, "2020", "2020", "year"),
    ("In 1975 the studio was founded.", None, "1975", "1975", "year"),
    ("The 2017 space film was a hit.", MAY_17, "2017", "2017", "year"),
    ("The storm hit two days ago.", FRIDAY, "two days ago", "2021-10-06", "day"),
    ("Prices rose in March 2020 and fell.", None, "March 2020", "2020-03", "month"),
]


@pytest.mark.parametrize(("sentence", "published", "expression", "label", "precision"), CASES)
def test_resolution_with_and_without_parse(sentence, published, expression, label, precision):
    for doc in (None, load_spacy()(sentence)):
        found = find_dates(sentence, published, doc=doc)
        assert [(span.text, r.label, r.precision) for span, r in found] == [(expression, label, precision)]
        span, resolved = found[0]
        assert sentence[span.start : span.end] == expression
        assert resolved.start is not None and resolved.label.startswith(f"{resolved.start.year:04d}")


def test_resolve_date_uses_the_given_tense():
    assert resolve_date("on Tuesday", FRIDAY, "past").start == dt.date(2021, 10, 5)
    assert resolve_date("on Tuesday", FRIDAY, "future").start == dt.date(2021, 10, 12)
    assert resolve_date("October 17", dt.date(2021, 10, 20), "future").start == dt.date(2022, 10, 17)
    assert resolve_date("October 17", dt.date(2021, 10, 20), "present").start == dt.date(2021, 10, 17)
    assert resolve_date("next month", dt.date(2021, 12, 10)).label == "2022-01"
    assert resolve_date("no date here", MONDAY).precision == "unresolved"


@pytest.mark.parametrize("expression", ["on Tuesday", "next month", "Oct. 5", "last spring", "this year"])
def test_relative_dates_stay_unresolved_without_publication_date(expression):
    resolved = resolve_date(expression, None)
    assert (resolved.start, resolved.precision, resolved.label) == (None, "unresolved", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "The crew flew a 12-day mission.",
        "The trip lasted 12 days and a three-day rest followed.",
        "The actor, aged 37, is a 37-year-old veteran.",
        "About 2000 troops arrived, and 1,999 more waited.",
        "The cut was completed at 1930 GMT.",
    ],
)
def test_durations_ages_and_quantities_are_not_dates(sentence):
    assert find_dates(sentence, MONDAY) == []


def test_deictic_words_capitalised_mid_sentence_are_names():
    assert find_dates("They star in Edge of Tomorrow, the studio said.", MONDAY) == []
    found = find_dates("The studio spoke. Tomorrow the crew flies.", MONDAY)
    assert [(span.text, r.start) for span, r in found] == [("Tomorrow", MONDAY + dt.timedelta(days=1))]


@pytest.mark.parametrize(
    ("expression", "tense", "label"),
    [
        ("next month", "future", "2021-10"),
        ("Oct. 5", "future", "2021-10-05"),
        ("earlier this year", "past", "2021"),
        ("last spring", "past", "2021-spring"),
        ("on Tuesday", "future", ""),
        ("yesterday", "past", ""),
    ],
)
def test_a_month_precision_date_resolves_only_what_the_month_decides(expression, tense, label):
    september = dt.date(2021, 9, 1)
    assert resolve_date(expression, september, tense, precision="month").label == label
    if label:  # the same answer as on any day of the month
        assert resolve_date(expression, dt.date(2021, 9, 23), tense).label == label


def test_a_month_day_in_the_publication_month_stays_unresolved_at_month_precision():
    october = dt.date(2021, 10, 1)
    assert resolve_date("Oct. 5", october, "future", precision="month").start is None
    assert resolve_date("Oct. 5", october, "future").label == "2021-10-05"


def test_infinitive_headlines_are_future_and_never_loop() -> None:
    """A root verb with "to" (headline style) once recursed forever through its own head."""
    published = dt.date(2026, 3, 2)  # a Monday
    for text in ("To reopen on Friday.", "Officials to reopen the bridge on Friday"):
        found = find_dates(text, published, doc=load_spacy()(text))
        assert [r.start for _, r in found] == [dt.date(2026, 3, 6)], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The bridge could reopen by June 12 if work stays on schedule.", dt.date(2026, 6, 12)),
        ("The ferry will run every 15 minutes starting Wednesday, the city said.", dt.date(2026, 2, 4)),
    ],
)
def test_modals_and_participles_take_the_tense_of_their_clause(text: str, expected: dt.date) -> None:
    published = dt.date(2026, 2, 3)  # a Tuesday
    found = find_dates(text, published, doc=load_spacy()(text))
    assert [r.start for _, r in found] == [expected]
