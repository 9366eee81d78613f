"""The eval baseline's topic keywords for Timeline17-style folders (the product's are in test_keydates)."""

from __future__ import annotations

import datetime as dt

from storydesk_eval.timeline import _Sentence, predict_timeline, topic_keywords

TEXTS = [
    "The Iraq war entered its fifth year as troops withdrew from Basra.",
    "Financial markets fell as the financial crisis spread to Europe; finance ministers met.",
    "Protesters in Cairo said the Egyptian protest movement would continue.",
] * 5


def test_camel_case_folder_names_split_at_capitals() -> None:
    assert topic_keywords("IraqWar_guardian", TEXTS) == ["iraq", "war"]
    assert topic_keywords("EgyptianProtest_cnn", TEXTS) == ["egyptian", "protest"]


def test_truncated_names_expand_to_frequent_words() -> None:
    assert topic_keywords("Finan_washingtonpost", TEXTS)[:2] == ["financial", "finance"]


def test_keywords_that_miss_every_article_are_ignored() -> None:
    day = dt.date(2011, 2, 1)
    sents = [
        _Sentence(
            text=f"Crowds gathered in the square on February 1, report {i} said.",
            published=day,
            mentions=frozenset({day}),
            article=i,
            lead=True,
        )
        for i in range(3)
    ]
    timeline = predict_timeline(sents, ["nomatch"], start=day, end=day, dates=1, k=1)
    assert list(timeline) == [day]


def test_keywords_from_folder_names() -> None:
    texts = ["BP said the oil spill grew.", "Oil reached the coast, BP said."] * 3
    assert topic_keywords("bpoil_bbc", texts) == ["bp", "oil"]
    assert topic_keywords("MJ_bbc", ["Michael Jackson died.", "Fans mourn Michael Jackson."]) == [
        "michael",
        "jackson",
    ]
